"""Measure the local Athena: how long a small query takes from StartQueryExecution to SUCCEEDED.

    .venv/bin/python bench/emulator_athena.py [--runs 20] [--poll 0.005]

Starts an emulator of its own on 127.0.0.1, puts a partitioned CSV table (two partitions, three
small files) in moto's S3 and Glue, and runs `SELECT dt, count(*) AS orders, sum(amount) AS revenue
FROM sales GROUP BY dt ORDER BY dt` `runs` times in an enforced, SSE_S3 workgroup (after one warm-up
query, which pays the imports of DuckDB, pyarrow and sqlglot in the server). Prints medians (and
min/max) in milliseconds of:

- end to end: StartQueryExecution until GetQueryExecution reads SUCCEEDED, polling every `poll`
  seconds (so it includes up to one polling interval);
- engine: the execution's EngineExecutionTimeInMillis (tables loaded, SQL translated and run);
- total: its TotalExecutionTimeInMillis (queue, engine and the results written to S3).
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from tooling.emulator.server import Emulator
from tooling.paths import BUILD

QUERY = "SELECT dt, count(*) AS orders, sum(amount) AS revenue FROM sales GROUP BY dt ORDER BY dt"
FILES = {
    "sales/dt=2024-01-01/part-0.csv": b"order_id,customer,amount\n1,alice,10.5\n2,bob,4.5\n",
    "sales/dt=2024-01-01/part-1.csv": b"order_id,customer,amount\n3,alice,5.0\n",
    "sales/dt=2024-01-02/part-0.csv": b"order_id,customer,amount\n4,carol,7.25\n5,bob,2.75\n",
}


def _setup(emulator: Emulator) -> None:
    s3, glue, athena = emulator.client("s3"), emulator.client("glue"), emulator.client("athena")
    for bucket in ("latency-data", "latency-results"):
        s3.create_bucket(Bucket=bucket)
    for key, body in FILES.items():
        s3.put_object(Bucket="latency-data", Key=key, Body=body)
    glue.create_database(DatabaseInput={"Name": "latency"})
    glue.create_table(
        DatabaseName="latency",
        TableInput={
            "Name": "sales",
            "PartitionKeys": [{"Name": "dt", "Type": "string"}],
            "Parameters": {"classification": "csv", "skip.header.line.count": "1"},
            "StorageDescriptor": {
                "Location": "s3://latency-data/sales/",
                "Columns": [
                    {"Name": "order_id", "Type": "bigint"},
                    {"Name": "customer", "Type": "string"},
                    {"Name": "amount", "Type": "double"},
                ],
                "SerdeInfo": {
                    "SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
                    "Parameters": {"field.delim": ","},
                },
            },
        },
    )
    for day in ("2024-01-01", "2024-01-02"):
        glue.create_partition(
            DatabaseName="latency",
            TableName="sales",
            PartitionInput={"Values": [day], "StorageDescriptor": {"Location": f"s3://latency-data/sales/dt={day}/"}},
        )
    athena.create_work_group(
        Name="latency",
        Tags=[{"Key": "emulator", "Value": "moto"}],
        Configuration={
            "EnforceWorkGroupConfiguration": True,
            "BytesScannedCutoffPerQuery": 10_485_760,
            "ResultConfiguration": {
                "OutputLocation": "s3://latency-results/",
                "EncryptionConfiguration": {"EncryptionOption": "SSE_S3"},
            },
        },
    )


def _query(athena: Any, poll: float) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    query_id = athena.start_query_execution(
        QueryString=QUERY, WorkGroup="latency", QueryExecutionContext={"Database": "latency"}
    )["QueryExecutionId"]
    while True:
        execution: dict[str, Any] = athena.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]
        if execution["Status"]["State"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
            elapsed = (time.perf_counter() - started) * 1000
            if execution["Status"]["State"] != "SUCCEEDED":
                raise RuntimeError(f"the query ended {execution['Status']}")
            return elapsed, execution
        time.sleep(poll)


def _summary(label: str, values: list[float]) -> str:
    return f"{label:<12} median {statistics.median(values):7.1f} ms  (min {min(values):.1f}, max {max(values):.1f})"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--poll", type=float, default=0.005, help="seconds between GetQueryExecution calls")
    args = parser.parse_args(argv)
    emulator = Emulator(log_path=BUILD / "athena-latency-emulator.log").start()
    try:
        _setup(emulator)
        athena = emulator.client("athena")
        warm_up, _ = _query(athena, args.poll)
        end_to_end, engine, total = [], [], []
        for _ in range(args.runs):
            elapsed, execution = _query(athena, args.poll)
            end_to_end.append(elapsed)
            engine.append(float(execution["Statistics"]["EngineExecutionTimeInMillis"]))
            total.append(float(execution["Statistics"]["TotalExecutionTimeInMillis"]))
        print(f"{args.runs} runs of: {QUERY}")
        print(f"first query (imports in the server): {warm_up:.1f} ms")
        print(_summary("end to end", end_to_end))
        print(_summary("engine", engine))
        print(_summary("total", total))
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()
