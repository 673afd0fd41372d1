#!/usr/bin/env python3
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
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

import deploy  # noqa: E402
import harness  # noqa: E402

WORK = REPO / ".build" / "demo"
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


def terraform(directory: Path, env: dict[str, str], *args: str) -> str:
    result = subprocess.run(["terraform", *args, "-no-color"], cwd=directory, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"terraform {args[0]} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def run(server: harness.MotoServer, example: Path, env: dict[str, str]) -> dict[str, Any]:
    """Apply, load data, trigger, watch. Returns what the report needs."""
    with step("terraform init (hashicorp/aws from the local mirror)"):
        terraform(example, env, "init", "-input=false")
    with step("terraform apply examples/basic"):
        out = terraform(example, env, "apply", "-auto-approve", "-input=false")
    say(next((line for line in out.splitlines() if line.startswith("Apply complete")), "applied"))
    outputs = json.loads(terraform(example, env, "output", "-json"))["catalog"]["value"]

    s3, glue = server.client("s3"), server.client("glue")
    bucket, crawler = outputs["data_bucket_name"], outputs["crawler_name"]
    with step(f"Uploading examples/sample-data to s3://{bucket}/"):
        keys = deploy.upload_sample_data(s3, bucket, [""])
    say("uploaded " + ", ".join(keys))

    with step("Running the deployed trigger (the same zip and environment as the function)"):
        with deploy.crawl_transition(server.url), deploy.deployed_handler(
                server.client("lambda"), outputs["trigger_function_name"],
                example.parent.parent / "dist" / "trigger_crawler.zip", server.url) as trigger:
            first = trigger.handler({"source": "data-catalog.demo"}, None)
            running = glue.get_crawler(Name=crawler)["Crawler"]["State"]
            say(f"trigger #1 -> {json.dumps(first)}; the crawler is {running}")
            second = trigger.handler({"source": "data-catalog.demo"}, None)
            say(f"trigger #2 -> {json.dumps(second)} (a crawl is running: reported, not raised)")
            crawls = glue.list_crawls(CrawlerName=crawler)["Crawls"]  # the emulator finishes the crawl here
            final = glue.get_crawler(Name=crawler)["Crawler"]["State"]
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
    if harness.terraform_binary() is None:
        print("terraform is not on PATH: install Terraform >= 1.5 (see README)", file=sys.stderr)
        return 1
    server = harness.MotoServer()
    with step("Starting the AWS emulator (moto server) on 127.0.0.1"):
        server.start()
    say(f"emulator answering at {server.url}")
    env = {**os.environ, **harness.terraform_env(server.url)}
    example = deploy.copy_stack("basic", WORK / "stack", server.url)
    result: dict[str, Any] | None = None
    try:
        result = run(server, example, env)
        report(result, server.url)
        return 0
    except StepFailed:
        return 1
    finally:
        if KEEP:
            print(f"KEEP=1: the stack and the emulator (PID {server.process.pid if server.process else '?'}) keep running.")
            print(f"  export AWS_ENDPOINT_URL={server.url} AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION={harness.REGION}")
            print("  aws s3 ls s3://catalog-basic-data-123456789012-us-east-1 --recursive")
            print("  aws glue get-crawler --name catalog-basic")
            print(f"  python3 -c \"import boto3; print(boto3.client('glue', endpoint_url='{server.url}', "
                  f"region_name='{harness.REGION}').get_crawler(Name='catalog-basic')['Crawler']['State'])\"")
            print(f"  stop it: kill {server.process.pid if server.process else '<pid>'}  (state lives in {example})")
        else:
            try:
                with step("Emptying the data bucket and running terraform destroy"):
                    if result is not None:
                        deploy.delete_every_version(server.client("s3"), result["outputs"]["data_bucket_name"], result["keys"])
                    terraform(example, env, "destroy", "-auto-approve", "-input=false")
            except StepFailed:
                pass
            finally:
                server.stop()
                say("emulator stopped")


if __name__ == "__main__":
    sys.exit(main())
