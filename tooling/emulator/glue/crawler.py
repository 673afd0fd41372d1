"""Glue crawls that read S3 and write the Data Catalog, as Glue's crawler does.

* What moto does. StartCrawler appends a FakeCrawl that moto's state manager moves from RUNNING
  to COMPLETED (by default on the first ListCrawls); nothing is read from S3 and no table or
  partition is ever written. ListCrawls has no Summary or ErrorMessage, LastCrawl no ErrorMessage
  and a crawl state where Glue says SUCCEEDED/FAILED/CANCELLED, CrawlElapsedTime is always 0,
  StopCrawler only renames the state, GetCrawlerMetrics is not implemented (500), and
  GetPartitionIndexes always answers with no index.
* What broke. A crawl never produced a table, so nothing downstream (Athena over the crawled
  tables, the demo's report) could be tried locally; the trigger Lambda, which relies on
  CrawlElapsedTime while a crawl runs, always saw 0; crawl alerts (EventBridge rules on "Glue
  Crawler State Change") never fired.
* What the fill does. StartCrawler starts a crawl on a worker thread: the crawler is RUNNING for
  at least EMULATOR_CRAWL_SECONDS (default 2.0, so callers can watch a running crawl, with
  CrawlElapsedTime in milliseconds), reads every S3 target with the engine in crawl.py
  (classification, grouping, the schema change and recrawl policies), then, STOPPING while it
  writes, creates/updates/deletes tables and partitions in moto's catalog, and ends READY. The
  crawl's record (ListCrawls, LastCrawl, GetCrawlerMetrics) has Glue's fields; the crawl's log
  lines go to CloudWatch Logs (the crawler's log group, stream = crawler name, each line
  prefixed with the crawl id); "Glue Crawler State Change" (Started, Succeeded, Failed) and the
  Data Catalog's table events go to the default EventBridge bus. A crawl that cannot read (no
  database, no bucket) ends FAILED with its ErrorMessage and the crawler READY; StopCrawler ends
  it STOPPED (LastCrawl CANCELLED) without writing. Nothing a crawl does can fail a request.

  moto's state manager still ends a crawl when a test asks for it: if a transition for
  `glue::crawl` is set explicitly (`/moto-api/state-manager/set-transition`), the call that
  reaches it (ListCrawls for "manual", any read for "immediate", the time for "time") skips the
  rest of the minimum duration and waits for the crawl to finish writing; while a "manual"
  transition is set, the clock does not end a crawl at all (only ListCrawls does), as in moto.
* Identity (EMULATOR_IAM=enforce). A crawl runs as the crawler's role, as in Glue: CreateCrawler
  and StartCrawler refuse a role Glue may not assume (its trust policy), the crawl lists and reads
  its targets, reads and writes the catalog and writes its log lines only as far as the role's
  policies allow, with Glue's texts for each denial (access.py has what AWS does, what is checked
  and what is not). With enforcement off nothing is checked.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.glue.exceptions import (
    CrawlerNotRunningException,
    CrawlerRunningException,
    GlueClientError,
)
from moto.glue.models import FakeCrawl, FakeCrawler, FakeTable, GlueBackend
from moto.glue.responses import GlueResponse
from moto.moto_api import state_manager

from tooling.emulator.glue import access, gaps
from tooling.emulator.glue import crawl as engine

logger = logging.getLogger(__name__)

MODEL = "glue::crawl"
SECONDS_VARIABLE = "EMULATOR_CRAWL_SECONDS"
DEFAULT_SECONDS = 2.0
WAIT_FOR_FINISH_SECONDS = 60.0
_write_lock = threading.Lock()
_original_create_crawler = GlueBackend.create_crawler


class CrawlerStoppingException(GlueClientError):
    def __init__(self, msg: str) -> None:
        super().__init__("CrawlerStoppingException", msg)


def crawl_seconds() -> float:
    try:
        return max(float(os.environ.get(SECONDS_VARIABLE, DEFAULT_SECONDS)), 0.0)
    except ValueError:
        return DEFAULT_SECONDS


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class LocalCrawl(FakeCrawl):
    """One crawl: its state (RUNNING, COMPLETED, FAILED, STOPPED) is set by the worker, never by
    moto's state manager."""

    def __init__(self, crawler: FakeCrawler) -> None:
        super().__init__(crawler.name)
        self.state = "RUNNING"
        self.started = time.monotonic()
        self.ended: float | None = None
        self.error: str | None = None
        self.summary: str | None = None
        self.counts: dict[str, int] = {}
        self.log_group = engine.log_group(crawler.role or "", crawler.crawler_security_configuration)
        self.log_stream = crawler.name
        self.message_prefix = self.crawl_id
        self.stop_requested = threading.Event()
        self.hurry = threading.Event()
        self.done = threading.Event()
        self.ticks = 0

    @property
    def status(self) -> str:
        return self.state

    @status.setter
    def status(self, value: str) -> None:
        self.state = value

    @property
    def elapsed(self) -> float:
        return (self.ended if self.ended is not None else time.monotonic()) - self.started

    def advance(self) -> None:
        """moto's ListCrawls ticks every crawl it returns: honour an explicit manual transition."""
        self.ticks += 1
        honour_state_manager(self)

    def as_dict(self) -> dict[str, Any]:
        """CrawlerHistory, as ListCrawls answers."""
        record: dict[str, Any] = {
            "CrawlId": self.crawl_id,
            "State": self.state,
            "StartTime": self.start_time,
            "LogGroup": self.log_group,
            "LogStream": self.log_stream,
            "MessagePrefix": self.message_prefix,
            "DPUHour": engine.dpu_hours(self.elapsed),
        }
        if self.end_time is not None:
            record["EndTime"] = self.end_time
        if self.summary is not None:
            record["Summary"] = self.summary
        if self.error is not None:
            record["ErrorMessage"] = self.error
        return record


def _explicit_transition() -> dict[str, Any] | None:
    transition: dict[str, Any] | None = getattr(state_manager, "_transitions", {}).get(MODEL)
    return transition


def _manual_transition() -> bool:
    """A test set a manual transition: the crawl ends when ListCrawls says, not by the clock."""
    transition = _explicit_transition()
    return transition is not None and transition.get("progression") == "manual"


def honour_state_manager(crawl: LocalCrawl) -> None:
    """An explicitly set `glue::crawl` transition ends a running crawl early (see the docstring)."""
    if crawl.state != "RUNNING" or crawl.done.is_set():
        return
    transition = _explicit_transition()
    if not transition:
        return
    progression = transition.get("progression")
    due = (
        progression == "immediate"
        or (progression == "manual" and crawl.ticks >= int(transition.get("times", 1)))
        or (progression == "time" and crawl.elapsed >= float(transition.get("seconds", 0)))
    )
    if due:
        crawl.hurry.set()
        crawl.done.wait(WAIT_FOR_FINISH_SECONDS)


# --------------------------------------------------------------------------- the crawler


def _state(crawler: FakeCrawler) -> str:
    state: str = crawler.__dict__.setdefault("compat_state", "READY")
    return state


def _set_state(crawler: FakeCrawler, state: str) -> None:
    crawler.__dict__["compat_state"] = state


def _current(crawler: FakeCrawler) -> LocalCrawl | None:
    last = crawler.crawls[-1] if crawler.crawls else None
    return last if isinstance(last, LocalCrawl) and last.state == "RUNNING" else None


def _status(self: FakeCrawler) -> str:
    running = _current(self)
    if running is not None:
        honour_state_manager(running)
    return _state(self)


def _role(crawler: FakeCrawler) -> access.CrawlerRole:
    backend: GlueBackend = crawler.backend
    return access.CrawlerRole.of(
        crawler.role or "", crawler.name, crawler.database_name or "", backend.region_name, backend.account_id
    )


def _create_crawler(self: GlueBackend, name: str, role: str, *args: Any, **kwargs: Any) -> None:
    """CreateCrawler: Glue must be able to assume the role (EMULATOR_IAM=enforce)."""
    access.CrawlerRole.of(role or "", name, "", self.region_name, self.account_id).require_trusted("CreateCrawler")
    _original_create_crawler(self, name, role, *args, **kwargs)


def _start_crawler(self: FakeCrawler) -> None:
    if _state(self) != "READY":
        raise CrawlerRunningException(f"Crawler with name {self.name} has already started")
    _role(self).require_trusted("StartCrawler")
    crawl = LocalCrawl(self)
    self.crawls.append(crawl)
    _set_state(self, "RUNNING")
    threading.Thread(target=_run_safely, args=(self, crawl), name=f"glue-crawl-{self.name}", daemon=True).start()


def _stop_crawler(self: FakeCrawler) -> None:
    state = _state(self)
    if state == "STOPPING":
        raise CrawlerStoppingException(f"Crawler with name {self.name} is stopping")
    running = _current(self)
    if state != "RUNNING" or running is None:
        raise CrawlerNotRunningException(f"Crawler with name {self.name} isn't running")
    _set_state(self, "STOPPING")
    running.stop_requested.set()


def _last_finished(crawler: FakeCrawler) -> LocalCrawl | None:
    for crawl in reversed(crawler.crawls):
        if isinstance(crawl, LocalCrawl) and crawl.state != "RUNNING":
            return crawl
    return None


_LAST_CRAWL_STATUS = {"COMPLETED": "SUCCEEDED", "FAILED": "FAILED", "STOPPED": "CANCELLED"}


def _crawler_as_dict(self: FakeCrawler) -> dict[str, Any]:
    """GetCrawler's Crawler: moto's fields, the state this module keeps, CrawlElapsedTime while a
    crawl runs, and LastCrawl for the last crawl that ended."""
    state = _status(self)
    data: dict[str, Any] = {
        "Name": self.name,
        "Role": self.role,
        "Targets": self.targets,
        "DatabaseName": self.database_name,
        "Description": self.description,
        "Classifiers": self.classifiers,
        "RecrawlPolicy": self.recrawl_policy,
        "SchemaChangePolicy": self.schema_change_policy,
        "LineageConfiguration": self.lineage_configuration,
        "State": state,
        "TablePrefix": self.table_prefix,
        "CrawlElapsedTime": 0,
        "CreationTime": self.creation_time,
        "LastUpdated": self.last_updated,
        "Version": self.version,
        "Configuration": self.configuration,
        "CrawlerSecurityConfiguration": self.crawler_security_configuration,
    }
    if self.schedule:
        data["Schedule"] = {"ScheduleExpression": self.schedule, "State": "SCHEDULED"}
    latest = self.crawls[-1] if self.crawls else None
    if state != "READY" and isinstance(latest, LocalCrawl):
        data["CrawlElapsedTime"] = int(latest.elapsed * 1000)
    last = _last_finished(self)
    if last is not None:
        data["LastCrawl"] = {
            "Status": _LAST_CRAWL_STATUS[last.state],
            "LogGroup": last.log_group,
            "LogStream": last.log_stream,
            "MessagePrefix": last.message_prefix,
            "StartTime": last.start_time,
        }
        if last.error:
            data["LastCrawl"]["ErrorMessage"] = last.error
    return data


# ---------------------------------------------------------------------------- the worker


def _run_safely(crawler: FakeCrawler, crawl: LocalCrawl) -> None:
    try:
        _run(crawler, crawl)
    except Exception:
        logger.exception("the local crawl of %s failed", crawler.name)
        _finish(crawler, crawl, "FAILED", "Internal Service Exception")
    finally:
        crawl.done.set()


def _run(crawler: FakeCrawler, crawl: LocalCrawl) -> None:
    backend: GlueBackend = crawler.backend
    account, region = backend.account_id, backend.region_name
    settings = _settings(crawler)
    _log(crawler, crawl, [f"BENCHMARK : Running Start Crawl for Crawler {crawler.name}"])
    _put_events(
        account,
        region,
        [
            (
                "Glue Crawler State Change",
                engine.crawler_state_detail("Started", crawler.name, account, "", _iso(crawl.start_time)),
                [],
            )
        ],
    )
    found: _Found | None = None
    error: str | None = None
    try:
        found = _read(crawler, settings)
        _log(crawler, crawl, found.notes)
    except Exception as failure:
        error = _message(failure)
    deadline = crawl.started + crawl_seconds()
    while not crawl.hurry.is_set() and not crawl.stop_requested.is_set():
        if time.monotonic() >= deadline and not _manual_transition():
            break
        crawl.stop_requested.wait(0.05)
    if crawl.stop_requested.is_set():
        _log(crawler, crawl, ["BENCHMARK : Crawler was stopped before it wrote to the Data Catalog"])
        _finish(crawler, crawl, "STOPPED")
        return
    if error is not None or found is None:
        _fail(crawler, crawl, error or "Internal Service Exception")
        return
    _set_state(crawler, "STOPPING")
    _log(
        crawler,
        crawl,
        [
            f"BENCHMARK : Classification complete, writing results to database {settings.database}",
            "INFO : Crawler configured with SchemaChangePolicy "
            + json.dumps(
                {"UpdateBehavior": settings.effective_update, "DeleteBehavior": settings.effective_delete},
                separators=(",", ":"),
            )
            + f", RecrawlPolicy {settings.recrawl_behavior}",
        ],
    )
    try:
        with _write_lock:
            plan = _write(backend, crawler, crawl, settings, found)
    except Exception as failure:
        _fail(crawler, crawl, _message(failure))
        return
    crawl.summary = engine.summary(plan)
    crawl.counts = plan.counts
    _log(crawler, crawl, [*plan.logs, "BENCHMARK : Finished writing to Catalog"])
    catalog = engine.catalog_events(plan, settings.database, region, account)
    events = [(e.detail_type, e.detail, e.resources) for e in catalog]
    _end(crawler, crawl, "COMPLETED")
    _put_events(
        account,
        region,
        [
            *events,
            (
                "Glue Crawler State Change",
                engine.crawler_state_detail(
                    "Succeeded",
                    crawler.name,
                    account,
                    engine.log_link(region, crawl.log_group, crawl.log_stream),
                    _iso(crawl.start_time),
                    _iso(crawl.end_time or utcnow()),
                    plan.counts,
                    round(crawl.elapsed),
                ),
                [],
            ),
        ],
    )
    _ready(crawler, crawl)


def _message(failure: Exception) -> str:
    message = getattr(failure, "message", None) or str(failure) or type(failure).__name__
    return str(message)[:2048]


def _fail(crawler: FakeCrawler, crawl: LocalCrawl, error: str) -> None:
    _log(crawler, crawl, [f"ERROR : {error}"])
    _end(crawler, crawl, "FAILED", error)
    account, region = crawler.backend.account_id, crawler.backend.region_name
    _put_events(
        account,
        region,
        [
            (
                "Glue Crawler State Change",
                engine.crawler_state_detail(
                    "Failed",
                    crawler.name,
                    account,
                    engine.log_link(region, crawl.log_group, crawl.log_stream),
                    _iso(crawl.start_time),
                    error=error,
                ),
                [],
            )
        ],
    )
    _ready(crawler, crawl)


def _finish(crawler: FakeCrawler, crawl: LocalCrawl, state: str, error: str | None = None) -> None:
    _end(crawler, crawl, state, error)
    _ready(crawler, crawl)


def _end(crawler: FakeCrawler, crawl: LocalCrawl, state: str, error: str | None = None) -> None:
    """The crawl's end (its record); the crawler is READY only once _ready has run."""
    if crawl.state != "RUNNING":
        return
    crawl.ended = time.monotonic()
    crawl.end_time = utcnow()
    crawl.error = error
    crawl.state = state
    if state == "COMPLETED":
        crawler.__dict__.setdefault("compat_runtimes", []).append(crawl.elapsed)


def _ready(crawler: FakeCrawler, crawl: LocalCrawl) -> None:
    """Everything the crawl tells (logs, events) is out before the crawler reads READY."""
    _log(crawler, crawl, ["BENCHMARK : Crawler has finished running and is in state READY"])
    _set_state(crawler, "READY")


# --------------------------------------------------------------------- reading and writing


class _Found:
    def __init__(self) -> None:
        self.tables: list[engine.TableSpec] = []
        self.notes: list[str] = []
        self.folders: dict[str, list[engine.CrawledFile]] = {}
        self.prefixes: list[str] = []


def _settings(crawler: FakeCrawler) -> engine.Settings:
    store = gaps.classifiers(crawler.backend)
    specs = []
    for name in crawler.classifiers or []:
        kinds = store.get(name) or {}
        if "CsvClassifier" in kinds:
            specs.append(engine.CsvClassifierSpec.from_api(kinds["CsvClassifier"]))
    return engine.Settings.from_crawler(
        crawler.name,
        crawler.database_name,
        crawler.targets,
        specs,
        crawler.table_prefix,
        crawler.schema_change_policy,
        crawler.recrawl_policy,
        crawler.configuration,
        crawler.role or "",
    )


def _objects(
    account: str, region: str, bucket_name: str, prefix: str, role: access.CrawlerRole
) -> list[engine.S3Object]:
    from moto.s3.models import FakeKey, s3_backends
    from moto.utilities.utils import get_partition

    bucket = s3_backends[account][get_partition(region)].get_bucket(bucket_name)
    found = []
    for name, key in list(bucket.keys.items()):
        if isinstance(key, FakeKey) and name.startswith(prefix.rstrip("/")):
            found.append(engine.S3Object(name, key.size, _reader(key, bucket_name, role)))
    return found


def _reader(key: Any, bucket: str, role: access.CrawlerRole) -> Callable[[], bytes]:
    def read() -> bytes:
        role.require_read(bucket, key.name)  # engine.Unreadable when the role may not
        value: bytes = key.value
        return value

    return read


def _read(crawler: FakeCrawler, settings: engine.Settings) -> _Found:
    backend: GlueBackend = crawler.backend
    role = _role(crawler)
    role.require_catalog("glue:GetDatabase")
    backend.get_database(settings.database)  # a crawl into a database that does not exist fails
    found = _Found()
    memory: dict[str, list[engine.CrawledFile]] = crawler.__dict__.setdefault("compat_folders", {})
    remembered = memory if settings.new_folders_only and memory else None
    target_kinds = [k for k, v in (crawler.targets or {}).items() if v and k != "S3Targets"]
    for kind in target_kinds:
        found.notes.append(f"INFO : {kind} are not crawled by the local crawler; skipped")
    for name in crawler.classifiers or []:
        kinds = gaps.classifiers(backend).get(name) or {}
        if "CsvClassifier" not in kinds:
            found.notes.append(f"INFO : Classifier {name} ({', '.join(kinds) or 'not found'}) is not emulated; skipped")
    for target in settings.targets:
        denied = role.list_denied(target.bucket, target.prefix)
        if denied is not None:  # a read error: the target gives nothing, and nothing under it is gone
            found.notes.append(denied)
            continue
        objects = _objects(backend.account_id, backend.region_name, target.bucket, target.prefix, role)
        chosen, notes = engine.select(target, objects)
        files, read_notes = engine.read_objects(target, chosen, settings.classifiers, remembered)
        grouping = engine.group(target, files, settings)
        found.notes += notes + read_notes + grouping.notes
        found.tables += grouping.tables
        found.prefixes.append(
            f"s3://{target.bucket}/{target.prefix.rstrip('/')}/" if target.prefix else f"s3://{target.bucket}/"
        )
        for f in files:
            found.folders.setdefault(f"s3://{target.bucket}/{engine.folder_of(f.key)}", []).append(f)
    return found


def _version(table: FakeTable) -> dict[str, Any]:
    version: dict[str, Any] = table.get_version(str(table._current_version))
    return version


def _existing(backend: GlueBackend, database: str, role: access.CrawlerRole) -> dict[str, engine.ExistingTable]:
    """The database's tables and their partitions (GetTables, GetPartitions as the role)."""
    role.require_catalog("glue:GetTables", "*")
    db = backend.get_database(database)
    existing = {}
    for name, table in list(db.tables.items()):
        version = _version(table)
        if version.get("PartitionKeys"):
            role.require_catalog("glue:GetPartitions", name)
        existing[name] = engine.ExistingTable(
            version, {tuple(p.values): p.partition_input for p in list(table.partitions.values())}
        )
    return existing


def _write(
    backend: GlueBackend, crawler: FakeCrawler, crawl: LocalCrawl, settings: engine.Settings, found: _Found
) -> engine.Plan:
    run = engine.RunInfo(crawl.crawl_id, backend.account_id, int(time.time() * 1000))
    role = _role(crawler)
    plan = engine.plan(found.tables, _existing(backend, settings.database, role), settings, run, found.prefixes)
    db = settings.database
    for table_input in plan.create_tables:
        role.require_catalog("glue:CreateTable", table_input["Name"])
        table = backend.create_table(db, table_input["Name"], table_input)
        if table_input["Name"] in plan.partition_indexes:
            table.__dict__["compat_partition_indexes"] = [
                {
                    "IndexName": engine.PARTITION_INDEX_NAME,
                    "IndexStatus": "ACTIVE",
                    "Keys": [{"Name": k, "Type": "string"} for k in plan.partition_indexes[table_input["Name"]]],
                }
            ]
    for table_input in plan.update_tables + plan.deprecate_tables:
        role.require_catalog("glue:UpdateTable", table_input["Name"])
        backend.get_table(db, table_input["Name"]).update(table_input)
    for name, partitions in plan.create_partitions.items():
        role.require_catalog("glue:BatchCreatePartition", name)
        table = backend.get_table(db, name)
        for partition in partitions:
            if str(partition["Values"]) not in table.partitions:
                table.create_partition(partition)
    for name, partitions in plan.update_partitions.items():
        role.require_catalog("glue:BatchUpdatePartition", name)
        table = backend.get_table(db, name)
        for partition in partitions:
            table.update_partition(partition["Values"], partition)
    for name, values in plan.delete_partitions.items():
        role.require_catalog("glue:BatchDeletePartition", name)
        table = backend.get_table(db, name)
        for value in values:
            table.partitions.pop(str(value), None)
    for name in plan.delete_tables:
        role.require_catalog("glue:DeleteTable", name)
        backend.delete_table(db, name)
    crawler.__dict__["compat_folders"] = found.folders
    return plan


# -------------------------------------------------------------------- logs and events


def _log(crawler: FakeCrawler, crawl: LocalCrawl, lines: Sequence[str]) -> None:
    """The crawl's lines in its CloudWatch log group, stream = crawler name, prefixed by the crawl id
    (nothing when the role may not write them)."""
    if not lines:
        return
    try:
        from moto.logs.models import logs_backends

        logs = logs_backends[crawler.backend.account_id][crawler.backend.region_name]
        group = logs.groups.get(crawl.log_group)
        if not _role(crawler).may_log(
            crawl.log_group,
            crawl.log_stream,
            create_group=group is None,
            create_stream=group is None or crawl.log_stream not in group.streams,
        ):
            logger.info("the role of crawler %s may not write to %s; lines dropped", crawler.name, crawl.log_group)
            return
        logs.ensure_log_group(crawl.log_group)
        logs.ensure_log_stream(crawl.log_group, crawl.log_stream)
        now = int(time.time() * 1000)
        logs.put_log_events(
            crawl.log_group,
            crawl.log_stream,
            [{"timestamp": now, "message": f"[{crawl.message_prefix}] {line}"} for line in lines],
        )
    except Exception:
        logger.exception("could not write the crawl's log lines")


def _put_events(account: str, region: str, events: Sequence[tuple[str, Mapping[str, Any], list[str]]]) -> None:
    """Glue's events on the default bus of the crawler's account and region."""
    if not events:
        return
    try:
        from moto.events.models import events_backends

        bus = events_backends[account][region]
        for detail_type, detail, resources in events:
            bus.put_events(
                [
                    {
                        "Source": "aws.glue",
                        "DetailType": detail_type,
                        "Detail": json.dumps(detail),
                        "Resources": resources,
                    }
                ]
            )
    except Exception:
        logger.exception("could not put the crawl's events")


# ----------------------------------------------------------------------------- API gaps


def get_crawler_metrics(self: GlueResponse) -> ActionResult:
    """GetCrawlerMetrics: the last run's table counts, last and median runtime, time left."""
    names = self.parameters.get("CrawlerNameList") or list(self.glue_backend.crawlers)
    metrics = []
    for name in names:
        crawler = self.glue_backend.crawlers.get(name)
        if crawler is None:
            continue
        runtimes: list[float] = crawler.__dict__.get("compat_runtimes", [])
        last = next((c for c in reversed(crawler.crawls) if isinstance(c, LocalCrawl) and c.state == "COMPLETED"), None)
        counts = last.counts if last is not None else {}
        running = _current(crawler)
        median = engine.median_runtime(runtimes)
        metrics.append(
            {
                "CrawlerName": name,
                "TimeLeftSeconds": max(median - running.elapsed, 0.0) if running is not None and runtimes else 0.0,
                "StillEstimating": running is not None and not runtimes,
                "LastRuntimeSeconds": round(runtimes[-1], 3) if runtimes else 0.0,
                "MedianRuntimeSeconds": round(median, 3),
                "TablesCreated": counts.get("tablesCreated", 0),
                "TablesUpdated": counts.get("tablesUpdated", 0),
                "TablesDeleted": counts.get("tablesDeleted", 0),
            }
        )
    return ActionResult({"CrawlerMetricsList": metrics})


def get_partition_indexes(self: GlueResponse) -> ActionResult:
    """GetPartitionIndexes: the index a crawl created (CreatePartitionIndex), none otherwise."""
    table = self.glue_backend.get_table(str(self.parameters.get("DatabaseName")), str(self.parameters.get("TableName")))
    return ActionResult({"PartitionIndexDescriptorList": list(table.__dict__.get("compat_partition_indexes", []))})


def install() -> None:
    GlueBackend.create_crawler = _create_crawler  # type: ignore[method-assign]
    FakeCrawler.start_crawler = _start_crawler  # type: ignore[method-assign]
    FakeCrawler.stop_crawler = _stop_crawler  # type: ignore[method-assign]
    FakeCrawler.status = property(_status)  # type: ignore[assignment,method-assign]
    FakeCrawler.as_dict = _crawler_as_dict  # type: ignore[method-assign]
    GlueResponse.get_crawler_metrics = get_crawler_metrics  # type: ignore[attr-defined]
    GlueResponse.get_partition_indexes = get_partition_indexes  # type: ignore[method-assign]
