"""Using a deployed catalog through the AWS APIs, as a user does: wait for a crawl, read the
tables, run a query. The demo, the integration tier and the README's commands use the same calls
(boto3 against the emulator, or against AWS)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any


class Timeout(AssertionError):
    pass


ENDED = ("COMPLETED", "FAILED", "STOPPED")  # ListCrawls states of a crawl that is over


def wait_for_crawl(glue: Any, crawler: str, after: int = 0, timeout: float = 60.0) -> dict[str, Any]:
    """Wait until the crawler is READY with more than `after` crawls; return its latest crawl
    (ListCrawls). `after` is how many crawls there were before the one awaited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = glue.get_crawler(Name=crawler)["Crawler"]["State"]
        crawls = glue.list_crawls(CrawlerName=crawler)["Crawls"]
        # Two calls, not one snapshot: a crawl may start between them (READY, then a RUNNING crawl).
        if state == "READY" and len(crawls) > after:
            latest: dict[str, Any] = max(crawls, key=lambda c: c["StartTime"])
            if latest["State"] in ENDED:
                return latest
        time.sleep(0.2)
    raise Timeout(f"crawler {crawler} did not finish a crawl within {timeout:.0f}s")


def crawl_count(glue: Any, crawler: str) -> int:
    return len(glue.list_crawls(CrawlerName=crawler)["Crawls"])


@dataclass(frozen=True)
class Table:
    name: str
    columns: list[tuple[str, str]]
    partition_keys: list[tuple[str, str]]
    location: str
    classification: str
    partitions: list[tuple[list[str], str]]  # (values, location)


def tables(glue: Any, database: str) -> list[Table]:
    """Every table of the database with its columns, partition keys and partitions, by name."""
    found = []
    for page in glue.get_paginator("get_tables").paginate(DatabaseName=database):
        for t in page["TableList"]:
            sd = t["StorageDescriptor"]
            partitions = [
                (p["Values"], p["StorageDescriptor"]["Location"])
                for part_page in glue.get_paginator("get_partitions").paginate(
                    DatabaseName=database, TableName=t["Name"]
                )
                for p in part_page["Partitions"]
            ]
            found.append(
                Table(
                    name=t["Name"],
                    columns=[(c["Name"], c["Type"]) for c in sd["Columns"]],
                    partition_keys=[(k["Name"], k["Type"]) for k in t.get("PartitionKeys", [])],
                    location=sd["Location"],
                    classification=t.get("Parameters", {}).get("classification", ""),
                    partitions=sorted(partitions),
                )
            )
    return sorted(found, key=lambda t: t.name)


@dataclass(frozen=True)
class Result:
    query_id: str
    state: str
    reason: str
    columns: list[str]
    rows: list[list[str | None]]
    scanned_bytes: int
    output_location: str
    seconds: float


def query(athena: Any, sql: str, workgroup: str, database: str, timeout: float = 60.0) -> Result:
    """Run one query in the workgroup (its enforced result location and encryption apply) and
    return its rows (all pages), or its final state and reason when it did not succeed."""
    started = time.monotonic()
    query_id = athena.start_query_execution(
        QueryString=sql, WorkGroup=workgroup, QueryExecutionContext={"Database": database}
    )["QueryExecutionId"]
    deadline = started + timeout
    while True:
        execution = athena.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]
        state = execution["Status"]["State"]
        if state in ("SUCCEEDED", "FAILED", "CANCELLED"):
            break
        if time.monotonic() > deadline:
            raise Timeout(f"query {query_id} still {state} after {timeout:.0f}s")
        time.sleep(0.05)
    columns: list[str] = []
    rows: list[list[str | None]] = []
    if state == "SUCCEEDED":
        for page in athena.get_paginator("get_query_results").paginate(QueryExecutionId=query_id):
            for row in page["ResultSet"]["Rows"]:
                values = [cell.get("VarCharValue") for cell in row["Data"]]
                if not columns:
                    columns = [v or "" for v in values]
                else:
                    rows.append(values)
    return Result(
        query_id,
        state,
        execution["Status"].get("StateChangeReason", ""),
        columns,
        rows,
        int(execution.get("Statistics", {}).get("DataScannedInBytes", 0)),
        execution.get("ResultConfiguration", {}).get("OutputLocation", ""),
        round(time.monotonic() - started, 3),
    )
