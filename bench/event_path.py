"""How long a file takes to start a crawl through the real event path on the local emulator.

S3 PutObject -> EventBridge (the bucket's notification and a rule on Object Created) -> SQS ->
the Lambda event source mapping (window 0 s, as a test would set it; the module's default is 60 s)
-> the deployed trigger function, run from dist/functions.zip -> glue:StartCrawler. Measured from
the PutObject call returning to the crawl appearing in ListCrawls, one upload at a time, each after
the previous crawl ended. Nothing but 127.0.0.1.

    .venv/bin/python bench/event_path.py [--runs 10]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from tooling.emulator.server import Emulator
from tooling.paths import BUILD, DIST

ROLE_TRUST = {
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": ["lambda.amazonaws.com", "glue.amazonaws.com"]},
            "Action": "sts:AssumeRole",
        }
    ]
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args(argv)
    server = Emulator(log_path=BUILD / "bench-event-path.log", settings={"EMULATOR_CRAWL_SECONDS": "0.5"}).start()
    try:
        c = server.client
        role = c("iam").create_role(RoleName="bench", AssumeRolePolicyDocument=json.dumps(ROLE_TRUST))["Role"]["Arn"]
        c("s3").create_bucket(Bucket="bench-data")
        c("s3").put_bucket_notification_configuration(
            Bucket="bench-data", NotificationConfiguration={"EventBridgeConfiguration": {}}
        )
        queue = c("sqs").create_queue(QueueName="bench-new-objects", Attributes={"VisibilityTimeout": "30"})["QueueUrl"]
        queue_arn = c("sqs").get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        c("events").put_rule(
            Name="bench",
            EventPattern=json.dumps(
                {
                    "source": ["aws.s3"],
                    "detail-type": ["Object Created"],
                    "detail": {"bucket": {"name": ["bench-data"]}},
                }
            ),
        )
        c("events").put_targets(Rule="bench", Targets=[{"Id": "q", "Arn": queue_arn}])
        c("glue").create_database(DatabaseInput={"Name": "bench"})
        c("glue").create_crawler(
            Name="bench", Role=role, DatabaseName="bench", Targets={"S3Targets": [{"Path": "s3://bench-data/"}]}
        )
        c("lambda").create_function(
            FunctionName="bench-trigger",
            Runtime="python3.13",
            Role=role,
            Handler="trigger_crawler.handler",
            Code={"ZipFile": (DIST / "functions.zip").read_bytes()},
            Environment={"Variables": {"CRAWLER_NAME": "bench"}},
            Timeout=30,
        )
        c("lambda").create_event_source_mapping(
            EventSourceArn=queue_arn,
            FunctionName="bench-trigger",
            BatchSize=10,
            MaximumBatchingWindowInSeconds=0,
            FunctionResponseTypes=["ReportBatchItemFailures"],
        )
        seconds = []
        for run in range(args.runs):
            before = len(c("glue").list_crawls(CrawlerName="bench")["Crawls"])
            c("s3").put_object(
                Bucket="bench-data",
                Key=f"sales/dt=2026-11-{run + 1:02d}/part-0000.csv",
                Body=b"order_id,amount\n1,2.5\n",
            )
            put = time.monotonic()
            while len(c("glue").list_crawls(CrawlerName="bench")["Crawls"]) == before:
                time.sleep(0.02)
            seconds.append(time.monotonic() - put)
            while c("glue").get_crawler(Name="bench")["Crawler"]["State"] != "READY":
                time.sleep(0.05)
        print(
            f"upload -> crawl start through S3, EventBridge, SQS, the mapping and the function ({args.runs} runs): "
            f"median {statistics.median(seconds):.3f} s, min {min(seconds):.3f} s, max {max(seconds):.3f} s"
        )
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
