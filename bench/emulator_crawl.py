"""How long the local crawl of examples/sample-data takes: `.venv/bin/python bench/emulator_crawl.py`.

Two figures: the engine alone (classify, group, plan; in this process), and StartCrawler to READY
on a running emulator, once with EMULATOR_CRAWL_SECONDS=0 (the crawl's own work) and once with the
default minimum of 2 s. A script, not a test: timing is measured here, never asserted.
"""

from __future__ import annotations

import statistics
import sys
import time
import uuid
from collections.abc import Callable

from tooling import sample_data
from tooling.emulator.glue import crawl as engine
from tooling.emulator.server import Emulator
from tooling.paths import BUILD

RUNS = 5


def _reader(body: bytes) -> Callable[[], bytes]:
    return lambda: body


def engine_seconds() -> float:
    objects = [engine.S3Object(key, len(body), _reader(body)) for key, body in sample_data.files().items()]
    settings = engine.Settings(crawler="measure", database="db")
    target = engine.Target("s3://bucket/")
    started = time.perf_counter()
    chosen, _ = engine.select(target, objects)
    files, _ = engine.read_objects(target, chosen, ())
    tables = engine.group(target, files, settings).tables
    engine.plan(tables, {}, settings, engine.RunInfo("id", "123456789012", 0), ["s3://bucket/"])
    return time.perf_counter() - started


def crawl_seconds(server: Emulator) -> float:
    s3, glue = server.client("s3"), server.client("glue")
    name = f"measure-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=name)
    sample_data.upload(s3, name, [""])
    glue.create_database(DatabaseInput={"Name": name.replace("-", "_")})
    glue.create_crawler(
        Name=name,
        Role="arn:aws:iam::123456789012:role/measure",
        DatabaseName=name.replace("-", "_"),
        Targets={"S3Targets": [{"Path": f"s3://{name}/"}]},
    )
    started = time.perf_counter()
    glue.start_crawler(Name=name)
    while glue.get_crawler(Name=name)["Crawler"]["State"] != "READY":
        time.sleep(0.01)
    elapsed = time.perf_counter() - started
    tables = sorted(t["Name"] for t in glue.get_tables(DatabaseName=name.replace("-", "_"))["TableList"])
    if tables != ["events", "sales"]:
        raise RuntimeError(f"the crawl made {tables}, not events and sales")
    return elapsed


def main() -> None:
    engine_runs = [engine_seconds() for _ in range(RUNS)]
    print(
        f"engine (classify, group, plan) over {len(sample_data.files())} sample objects: "
        f"median {statistics.median(engine_runs) * 1000:.1f} ms of {RUNS} runs"
    )
    for seconds in ("0", "2.0"):
        server = Emulator(log_path=BUILD / "measure-emulator.log", settings={"EMULATOR_CRAWL_SECONDS": seconds}).start()
        try:
            runs = [crawl_seconds(server) for _ in range(RUNS)]
        finally:
            server.stop()
        print(
            f"StartCrawler -> READY, EMULATOR_CRAWL_SECONDS={seconds}: median {statistics.median(runs):.3f} s, "
            f"max {max(runs):.3f} s of {RUNS} runs"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
