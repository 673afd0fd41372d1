"""`make demo`: files in, rows out, on one machine.

A local AWS emulator on 127.0.0.1 (moto with this project's gap fills and local engines:
tooling/emulator), `terraform apply` of examples/basic against it (from a copy under .build/demo,
so the working tree is never written to), then the module's whole data path:

1. upload the sample files (CSV and JSON lines under dt=... partition folders);
2. `aws lambda invoke` the deployed trigger: it starts the crawler; a second invoke during the
   crawl answers already_running;
3. the crawl writes tables and partitions into the Data Catalog; the crawl report reaches the
   alerts topic; print the tables with their columns, partitions and row counts;
4. run the README's query through the Athena API (the workgroup's enforced result location) and
   print its rows;
5. upload a new day's partition with a new column, trigger again, and show the new partition and
   column and the changed answer.

Each step prints its time. Then the emulator stops (its state is in memory: nothing is left).
KEEP=1 leaves the emulator and the stack running and prints how to reach them with the AWS CLI
(v1 and v2) or boto3; `make demo-down` tears a kept stack down.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tooling import aws_env, catalog, sample_data
from tooling.emulator.server import Emulator
from tooling.paths import BUILD, EXAMPLES_DIR
from tooling.terraform import cli_config
from tooling.terraform.deployment import Deployment
from tooling.terraform.runner import terraform_binary

WORK = BUILD / "demo"
STATE = WORK / "emulator.json"  # how to reach a kept stack (make demo-down reads it)
NEXT_DAY = EXAMPLES_DIR / "sample-data-next-day"
QUERY = "SELECT dt, count(*) AS orders, round(sum(amount), 2) AS revenue FROM sales GROUP BY dt ORDER BY dt"
KEEP = os.environ.get("KEEP", "") not in ("", "0", "false")
STARTED = time.monotonic()


def say(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:5.1f}s] {message}", flush=True)


class StepFailed(Exception):
    pass


@contextmanager
def step(name: str) -> Iterator[None]:
    began = time.monotonic()
    say(f"{name} ...")
    try:
        yield
    except Exception as error:
        print(f"\nFAILED at step '{name}': {error}\n", file=sys.stderr, flush=True)
        raise StepFailed(name) from error
    say(f"  done in {time.monotonic() - began:.1f}s")


def invoke(server: Emulator, function: str) -> dict[str, Any]:
    """`aws lambda invoke`: the deployed function runs in the emulator, from its zip."""
    response = server.client("lambda").invoke(FunctionName=function, Payload=b'{"source": "data-catalog.demo"}')
    payload: dict[str, Any] = json.loads(response["Payload"].read())
    if "FunctionError" in response:
        raise RuntimeError(f"{function} failed: {payload}")
    return payload


def table_lines(glue: Any, athena: Any, database: str, workgroup: str) -> list[str]:
    lines = []
    for table in catalog.tables(glue, database):
        sql = f'SELECT count(*) FROM "{table.name}"'  # noqa: S608 - a table name read from the catalog, quoted
        rows = catalog.query(athena, sql, workgroup, database)
        count = rows.rows[0][0] if rows.rows else "?"
        columns = ", ".join(f"{n} {t}" for n, t in table.columns)
        keys = ", ".join(f"{n} {t}" for n, t in table.partition_keys)
        lines.append(
            f"  {table.name} ({table.classification}): {columns}; partitioned by {keys}; "
            f"{len(table.partitions)} partitions, {count} rows; {table.location}"
        )
    return lines


def print_result(result: catalog.Result) -> None:
    table: list[list[str | None]] = [list(result.columns), *result.rows]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(result.columns))]
    for values in table:
        say("    " + "  ".join(str(v).rjust(w) for v, w in zip(values, widths, strict=True)))
    say(f"  {result.state} in {result.seconds:.2f}s, {result.scanned_bytes} bytes scanned")
    say(f"  results in {result.output_location}")


def subscribe_inbox(server: Emulator, topic: str) -> str:
    """A queue subscribed to the alerts topic, as an operator's email would be."""
    sqs = server.client("sqs")
    url: str = sqs.create_queue(QueueName="demo-alerts-inbox")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    server.client("sns").subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
    return url


def read_inbox(server: Emulator, url: str, timeout: float = 15.0) -> list[str]:
    deadline, subjects = time.monotonic() + timeout, list[str]()
    while time.monotonic() < deadline and not subjects:
        for message in server.client("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
            subjects.append(json.loads(message["Body"]).get("Subject", ""))
        time.sleep(0.2)
    return subjects


def run(server: Emulator, stack: Deployment) -> dict[str, Any]:
    with step("terraform init (hashicorp/aws from the local mirror)"):
        stack.tf.init()
    with step("terraform apply examples/basic"):
        stack.tf.apply()
        stack.outputs = stack.tf.output()
    out = stack.catalog
    glue, athena, s3 = server.client("glue"), server.client("athena"), server.client("s3")
    bucket, crawler, database = out["data_bucket_name"], out["crawler_name"], out["database_name"]
    function, workgroup = out["trigger_function_name"], out["athena_workgroup_name"]
    inbox = subscribe_inbox(server, out["alerts_topic_arn"])

    with step(f"Uploading examples/sample-data to s3://{bucket}/"):
        keys = sample_data.upload(s3, bucket, [""])
    say("  " + ", ".join(keys))

    with step(f"aws lambda invoke --function-name {function} (twice)"):
        first = invoke(server, function)
        second = invoke(server, function)
        say(f"  #1 -> {json.dumps(first)}")
        say(f"  #2 -> {json.dumps(second)} (a crawl is running: reported, not raised)")
        if (first["action"], second["action"]) != ("started", "already_running"):
            raise RuntimeError("the trigger did not start one crawl and report the second call as already running")

    with step(f"Crawling (crawler {crawler})"):
        crawl = catalog.wait_for_crawl(glue, crawler)
        if crawl["State"] != "COMPLETED":
            raise RuntimeError(f"the crawl ended {crawl['State']}: {crawl.get('ErrorMessage')}")
    say(f"  crawl {crawl['CrawlId']}: {crawl['State']}")
    for subject in read_inbox(server, inbox):
        say(f"  alerts topic: {subject}")

    with step(f"Tables in {database}"):
        for line in table_lines(glue, athena, database, workgroup):
            say(line)

    with step(f"Athena, workgroup {workgroup}: {QUERY}"):
        before = catalog.query(athena, QUERY, workgroup, database)
        if before.state != "SUCCEEDED":
            raise RuntimeError(f"the query ended {before.state}: {before.reason}")
    print_result(before)

    next_keys = list(sample_data.files_from(NEXT_DAY))
    with step(f"A new day arrives ({', '.join(next_keys)}, with a new column); trigger and crawl again"):
        sample_data.upload_from(s3, bucket, NEXT_DAY)
        crawls = catalog.crawl_count(glue, crawler)
        say(f"  trigger -> {json.dumps(invoke(server, function))}")
        crawl = catalog.wait_for_crawl(glue, crawler, after=crawls)
    say(f"  crawl {crawl['CrawlId']}: {crawl['State']}")
    for subject in read_inbox(server, inbox):
        say(f"  alerts topic: {subject}")
    for line in table_lines(glue, athena, database, workgroup):
        if " sales " in f" {line.split('(')[0]} ":
            say(line)

    with step("The same query, now"):
        after = catalog.query(athena, QUERY, workgroup, database)
    print_result(after)
    return {"outputs": out, "before": before, "after": after}


def keep_instructions(server: Emulator, stack: Deployment) -> None:
    env = {**aws_env.fake_env(), "AWS_ENDPOINT_URL": server.url}
    exports = " ".join(
        f"{k}={v}"
        for k, v in env.items()
        if k.startswith(("AWS_ENDPOINT", "AWS_ACCESS", "AWS_SECRET", "AWS_REGION", "AWS_DEFAULT"))
    )
    # Terraform in the stack's folder (terraform output, plan) with the same provider mirror.
    exports += f" TF_CLI_CONFIG_FILE={cli_config.DEFAULT}"
    print("\nKEEP=1: the stack and the emulator keep running.")
    print("Point the AWS CLI (v1 or v2) or boto3 at it:")
    print(f"  export {exports}")
    print(f"  cd {stack.dir}   # terraform output -raw trigger_function_name, ...")
    print("  aws glue get-tables --database-name catalog_basic --query 'TableList[].Name'")
    print("  aws lambda invoke --function-name catalog-basic-trigger-crawler out.json && cat out.json")
    print("Tear it down (terraform destroy, stop the emulator, remove .build/demo): make demo-down")


def main() -> int:
    if terraform_binary() is None:
        print("terraform is not on PATH: install Terraform >= 1.5 (see README)", file=sys.stderr)
        return 1
    shutil.rmtree(WORK, ignore_errors=True)
    server = Emulator(log_path=WORK / "emulator.log")
    with step("Starting the AWS emulator (moto and local engines) on 127.0.0.1"):
        server.start()
    say(f"  answering at {server.url}")
    stack = Deployment("basic", WORK / "stack", server.url)
    try:
        run(server, stack)
        say("Files in, rows out.")
        return 0
    except StepFailed:
        return 1
    finally:
        if KEEP and server.process is not None:
            STATE.write_text(json.dumps({"pid": server.process.pid, "url": server.url, "stack": str(stack.dir)}))
            keep_instructions(server, stack)
        else:
            server.stop()
            say("emulator stopped (its state was in memory: nothing is left)")


def empty_and_destroy(stack: Deployment, url: str) -> None:
    """Empty the stack's buckets (every version: the sample data, the user's uploads, every query's
    results), then `terraform destroy`. The buckets keep the module's `force_destroy = false`, so
    they must be empty first, as on AWS."""
    s3 = aws_env.client("s3", url)
    module = stack.tf.output()["catalog"]
    for bucket in (module["data_bucket_name"], module["results_bucket_name"]):
        if bucket:
            sample_data.delete_every_version(s3, bucket)
    stack.tf.destroy()


def down() -> int:
    """`make demo-down`: destroy a kept demo stack, stop its emulator, remove .build/demo."""
    if not STATE.is_file():
        print("no kept demo stack (.build/demo/emulator.json is missing)")
        shutil.rmtree(WORK, ignore_errors=True)
        return 0
    kept = json.loads(STATE.read_text())
    stack = Deployment.existing("basic", Path(kept["stack"]), kept["url"])
    code = 0
    try:
        empty_and_destroy(stack, kept["url"])
        print("terraform destroy: done")
    except Exception as error:
        print(f"terraform destroy failed: {error}", file=sys.stderr)
        code = 1
    with contextlib.suppress(ProcessLookupError):
        os.killpg(kept["pid"], 15)
    shutil.rmtree(WORK, ignore_errors=True)
    print("emulator stopped, .build/demo removed")
    return code


if __name__ == "__main__":
    sys.exit(down() if sys.argv[1:] == ["down"] else main())
