"""`make demo`: deploy examples/basic to a local AWS emulator and watch data become a table.

Steps: start moto server on 127.0.0.1, `terraform apply` examples/basic against it (from a copy under
.build/demo, so the working tree is never written to), upload the sample files (CSV and JSON lines
under key=value partition folders), run the deployed trigger code (the same zip and environment
variables the Lambda has), watch the crawler go RUNNING and back to READY, show that a second
trigger during a crawl is not an error, print a report, then destroy and stop the emulator.
KEEP=1 keeps the stack and the emulator running and prints how to reach them.

Nothing here talks to anything but 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tooling import aws_env, sample_data
from tooling.emulator.server import Emulator
from tooling.paths import BUILD
from tooling.terraform.deployment import Deployment
from tooling.terraform.runner import terraform_binary

WORK = BUILD / "demo"
KEEP = os.environ.get("KEEP", "") not in ("", "0", "false")
STARTED = time.monotonic()


def say(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:5.1f}s] {message}", flush=True)


class StepFailed(Exception):
    pass


@contextmanager
def step(name: str) -> Iterator[None]:
    say(f"{name} ...")
    try:
        yield
    except Exception as error:
        print(f"\nFAILED at step '{name}': {error}\n", file=sys.stderr, flush=True)
        raise StepFailed(name) from error


def invoke(server: Emulator, function: str, event: dict[str, Any]) -> dict[str, Any]:
    """`aws lambda invoke`: the deployed function runs in the emulator, from its zip."""
    response = server.client("lambda").invoke(FunctionName=function, Payload=json.dumps(event).encode())
    payload: dict[str, Any] = json.loads(response["Payload"].read())
    if "FunctionError" in response:
        raise RuntimeError(f"{function} failed: {payload}")
    return payload


def run(server: Emulator, stack: Deployment) -> dict[str, Any]:
    """Apply, load data, trigger, watch. Returns what the report needs."""
    with step("terraform init (hashicorp/aws from the local mirror)"):
        stack.tf.init()
    with step("terraform apply examples/basic"):
        stack.tf.apply()
        stack.outputs = stack.tf.output()
    say(f"applied {stack.tf.managed_resources()} resources")
    outputs = stack.catalog

    s3, glue = server.client("s3"), server.client("glue")
    bucket, crawler, function = outputs["data_bucket_name"], outputs["crawler_name"], outputs["trigger_function_name"]
    with step(f"Uploading examples/sample-data to s3://{bucket}/"):
        keys = sample_data.upload(s3, bucket, [""])
    say("uploaded " + ", ".join(keys))

    with step(f"Invoking {function} (the deployed zip, run by the emulator)"):
        server.post("/moto-api/state-manager/set-transition",
                    {"model_name": "glue::crawl", "transition": {"progression": "manual", "times": 1}})
        first = invoke(server, function, {"source": "data-catalog.demo"})
        running = glue.get_crawler(Name=crawler)["Crawler"]["State"]
        say(f"trigger #1 -> {json.dumps(first)}; the crawler is {running}")
        second = invoke(server, function, {"source": "data-catalog.demo"})
        say(f"trigger #2 -> {json.dumps(second)} (a crawl is running: reported, not raised)")
        crawls = glue.list_crawls(CrawlerName=crawler)["Crawls"]  # the emulator finishes the crawl here
        final = glue.get_crawler(Name=crawler)["Crawler"]["State"]
        server.post("/moto-api/state-manager/unset-transition", {"model_name": "glue::crawl"})
        say(f"crawls: {[(c['CrawlId'][:8], c['State']) for c in crawls]}; the crawler is {final}")
        if (first["action"], running, second["action"], final, len(crawls)) != ("started", "RUNNING", "already_running", "READY", 1):
            raise RuntimeError("the trigger did not start exactly one crawl and report the second call as already running")
    return {"outputs": outputs, "keys": keys, "first": first, "second": second, "running": running,
            "crawls": crawls, "final": final}


def report(result: dict[str, Any], url: str) -> None:
    outputs = result["outputs"]
    print("\n================ data catalog demo report ================")
    print("Resources created (module outputs):")
    for key in ("data_bucket_name", "results_bucket_name", "database_name", "crawler_name", "crawler_s3_targets",
                "trigger_function_name", "schedule_arn", "trigger_failures_queue_arn", "alerts_topic_arn"):
        print(f"  {key:28} {outputs.get(key)}")
    print(f"Sample data: {len(result['keys'])} files under key=value partition folders")
    print("Crawler run:")
    print(f"  trigger #1: {result['first']['action']} -> crawler {result['running']}")
    print(f"  trigger #2 during the crawl: {result['second']['action']} (no error)")
    crawl = result["crawls"][-1]
    print(f"  crawl {crawl['CrawlId']}: {crawl['State']}; crawler back to {result['final']}")
    print("Athena:")
    print(f"  workgroup        {outputs['athena_workgroup_name']} (enforced, encrypted, 10 GiB scan cutoff)")
    print(f"  results location {outputs['athena_results_location']} (a separate bucket, never crawled)")
    print("The same on a real AWS account (credentials in your environment, a Terraform registry reachable):")
    print("  cd examples/basic && terraform init && terraform apply -var name=my-catalog")
    print("  aws s3 cp ../sample-data/ s3://$(terraform output -json catalog | jq -r .data_bucket_name)/ --recursive")
    print("  aws lambda invoke --function-name $(terraform output -json catalog | jq -r .trigger_function_name) /dev/stdout")
    print("  aws glue get-crawler --name my-catalog --query Crawler.State   # RUNNING, then READY")
    print("  aws athena start-query-execution --work-group my-catalog --query-execution-context Database=my_catalog \\")
    print("      --query-string 'SELECT dt, count(*) FROM sales GROUP BY dt'")
    print(f"(This run used the emulator at {url}. moto does not create tables, so no query runs here.)")
    print("===========================================================\n")


def main() -> int:
    if terraform_binary() is None:
        print("terraform is not on PATH: install Terraform >= 1.5 (see README)", file=sys.stderr)
        return 1
    server = Emulator(log_path=BUILD / "demo-emulator.log")
    with step("Starting the AWS emulator (moto server) on 127.0.0.1"):
        server.start()
    say(f"emulator answering at {server.url}")
    stack = Deployment("basic", WORK / "stack", server.url)
    result: dict[str, Any] | None = None
    try:
        result = run(server, stack)
        report(result, server.url)
        return 0
    except StepFailed:
        return 1
    finally:
        if KEEP:
            pid = server.process.pid if server.process else "?"
            print(f"KEEP=1: the stack and the emulator (PID {pid}) keep running.")
            print(f"  export AWS_ENDPOINT_URL={server.url} AWS_ACCESS_KEY_ID={aws_env.ACCESS_KEY_ID} "
                  f"AWS_SECRET_ACCESS_KEY={aws_env.SECRET_ACCESS_KEY} AWS_REGION={aws_env.REGION} AWS_DEFAULT_REGION={aws_env.REGION}")
            print("  aws glue get-crawler --name catalog-basic")
            print(f"  stop it: kill {pid}  (state lives in {stack.dir})")
        else:
            try:
                with step("Emptying the data bucket and running terraform destroy"):
                    if result is not None:
                        sample_data.delete_every_version(server.client("s3"), result["outputs"]["data_bucket_name"], result["keys"])
                    stack.tf.destroy()
            except StepFailed:
                pass
            finally:
                server.stop()
                say("emulator stopped")


if __name__ == "__main__":
    sys.exit(main())
