"""Athena query executions that run: the moto side of the local Athena engine (engine.py).

* What moto does. StartQueryExecution stores the query and never runs it; GetQueryExecution moves
  it QUEUED -> RUNNING -> SUCCEEDED on successive reads with zero statistics; GetQueryResults returns
  no rows (or rows queued beforehand through a moto-only endpoint); the workgroup's result
  configuration, encryption, enforcement and scan cutoff are ignored; an unknown workgroup answers
  a plain "WorkGroup does not exist"; BatchGetQueryExecution is not implemented (500).
* What broke. Nothing that queried the catalog could be tried locally: `make demo`'s Athena step,
  the README's query examples and any test of the tables the crawler writes all saw SUCCEEDED with
  zero rows, whatever the SQL (a typo and a missing table included), and no result file.
* What the fill does. StartQueryExecution checks the request as Athena does (the workgroup exists
  and is enabled; the result location from the workgroup when it enforces its configuration, else
  the client's, else the workgroup's; the output bucket exists; the SQL parses, else
  InvalidRequestException MALFORMED_QUERY) and queues the query on a worker thread, which runs it
  with engine.py against moto's Glue catalog and moto's S3 objects (read in-process), honours the
  workgroup's BytesScannedCutoffPerQuery (the query ends CANCELLED, "Bytes scanned limit was
  exceeded", as Athena's does), writes `<OutputLocation><id>.csv` and `<id>.csv.metadata` with the
  configured server-side encryption (SSE_S3 -> AES256, SSE_KMS -> aws:kms with the key) and ends
  SUCCEEDED, FAILED (Status.StateChangeReason and Status.AthenaError as Athena reports them) or
  CANCELLED. SHOW TABLES / SHOW DATABASES answer from the Glue catalog and CREATE / DROP DATABASE
  change it (`<id>.txt` results, as Athena); other DDL and DML writes end FAILED with NOT_SUPPORTED.
  GetQueryExecution, BatchGetQueryExecution and ListQueryExecutions report the real
  state and statistics (bytes read, queue, engine, service and total times); GetQueryResults pages
  Athena's rows (header row first on the first page, MaxResults up to 1000, NextToken) and gives
  Athena's InvalidRequestException for a query without results; StopQueryExecution cancels a queued
  or running query. Nothing a query does can take the server down: every failure ends in FAILED.
* Identity (EMULATOR_IAM=enforce). A query runs as its caller, as in Athena: StartQueryExecution
  keeps the access key that signed it, and the worker thread asks IAM, for that key, before each
  Glue read, S3 listing, file read and result write (access.py has what is checked, AWS's texts for
  each denial and what is not checked); a denial ends the query FAILED as Athena reports it. With
  enforcement off nothing is checked.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import queue
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from moto.athena.models import AthenaBackend, WorkGroup, athena_backends
from moto.athena.responses import AthenaResponse
from moto.core.exceptions import JsonRESTError
from moto.glue.models import GlueBackend, glue_backends
from moto.s3.models import FakeDeleteMarker, FakeKey, S3Backend, s3_backends
from moto.utilities.utils import get_partition
from sqlglot import exp

from tooling.emulator import iam
from tooling.emulator.athena import access, engine
from tooling.emulator.athena.results import result_rows, to_csv, to_metadata

MAX_RESULTS = 1000
LIST_MAX_RESULTS = 50
WORKERS = 2
FINAL_STATES = ("SUCCEEDED", "FAILED", "CANCELLED")
NO_OUTPUT_LOCATION = (
    "No output location provided. An output location is required either through the Workgroup "
    "result configuration setting or as an API input."
)


class AthenaRequestError(JsonRESTError):
    """InvalidRequestException with Athena's AthenaErrorCode (and ErrorCode, the same value)."""

    code = 400

    def __init__(self, message: str, athena_code: str = "INVALID_INPUT") -> None:
        super().__init__("InvalidRequestException", message)
        self.description = json.dumps(
            {
                "__type": "InvalidRequestException",
                "AthenaErrorCode": athena_code,
                "ErrorCode": athena_code,
                "Message": message,
            }
        )


# --- request checks (pure) ---------------------------------------------------------------------


def result_configuration(workgroup: dict[str, Any], client: dict[str, Any] | None) -> dict[str, Any]:
    """The result configuration a query uses: the workgroup's alone when it enforces its
    configuration, else the client's settings over the workgroup's."""
    own = dict(workgroup.get("ResultConfiguration") or {})
    if workgroup.get("EnforceWorkGroupConfiguration", True):
        return own
    return {**own, **(client or {})}


def output_file(location: str | None, query_id: str, statement_type: str) -> str:
    """The full OutputLocation of a query's result file (`<location>/<id>.csv`; `.txt` for DDL and
    utility statements). Raises AthenaRequestError for a missing or malformed location."""
    if not location:
        raise AthenaRequestError(NO_OUTPUT_LOCATION)
    try:
        bucket, prefix = engine.split_s3_url(location)
    except ValueError as error:
        raise AthenaRequestError("outputLocation is not a valid S3 path.") from error
    folder = prefix if not prefix or prefix.endswith("/") else prefix + "/"
    suffix = ".csv" if statement_type == "DML" else ".txt"
    return f"s3://{bucket}/{folder}{query_id}{suffix}"


# moto's put_object arguments by the S3 header a result PutObject carries.
_SSE_ARGUMENT = {
    "x-amz-server-side-encryption": "encryption",
    "x-amz-server-side-encryption-aws-kms-key-id": "kms_key_id",
}


def encryption_arguments(configuration: dict[str, Any] | None) -> dict[str, str]:
    """moto put_object arguments for a result EncryptionConfiguration: the headers a client would
    send (access.result_headers; CSE_KMS writes no SSE), by moto's names."""
    return {_SSE_ARGUMENT[header]: value for header, value in access.result_headers(configuration).items()}


def page_token(query_id: str, offset: int) -> str:
    return base64.b64encode(json.dumps({"q": query_id, "o": offset}).encode()).decode()


def token_offset(token: str, query_id: str) -> int:
    try:
        data = json.loads(base64.b64decode(token.encode(), validate=True))
        if data["q"] != query_id or int(data["o"]) < 0:
            raise ValueError(token)
        return int(data["o"])
    except (ValueError, KeyError, TypeError, binascii.Error) as error:
        raise AthenaRequestError(f"Malformed nextPageToken {token}") from error


def check_max_results(value: Any, maximum: int) -> int:
    if value is None:
        return maximum
    number = int(value)
    if number < 1:
        raise AthenaRequestError(
            "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: "
            "Member must have value greater than or equal to 1"
        )
    if number > maximum:
        if maximum == MAX_RESULTS:
            raise AthenaRequestError(f"MaxResults is more than maximum allowed length {maximum}")
        raise AthenaRequestError(
            "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: "
            f"Member must have value less than or equal to {maximum}"
        )
    return number


# --- moto's Glue and S3 as the engine's catalog and object store ----------------------------------


def _find(mapping: dict[str, Any], name: str) -> Any:
    if name in mapping:
        return mapping[name]
    return next((v for k, v in mapping.items() if k.lower() == name.lower()), None)


@dataclass
class GlueCatalog:
    """moto's Glue Data Catalog of one account and region (names match case-insensitively, as
    Glue lower-cases them)."""

    backend: GlueBackend

    def has_database(self, name: str) -> bool:
        return _find(self.backend.databases, name) is not None

    def databases(self) -> list[str]:
        return list(self.backend.databases)

    def tables(self, database: str) -> list[str]:
        db = _find(self.backend.databases, database)
        return list(db.tables) if db is not None else []

    def table(self, database: str, name: str) -> engine.Table | None:
        db = _find(self.backend.databases, database)
        fake = _find(db.tables, name) if db is not None else None
        if fake is None:
            return None
        return engine.Table.from_glue(fake.as_dict(), [p.as_dict() for p in list(fake.partitions.values())])


@dataclass
class MotoObjects:
    """moto's S3 objects, read in-process (latest versions; delete markers are absent objects)."""

    backend: S3Backend

    def _bucket(self, name: str) -> Any:
        try:
            return self.backend.get_bucket(name)
        except Exception as error:
            raise engine.QueryFailed(
                "HIVE_FILESYSTEM_ERROR",
                f"The specified bucket does not exist (Bucket: {name})",
            ) from error

    def list(self, bucket: str, prefix: str) -> list[engine.StoredObject]:
        keys = list(self._bucket(bucket).keys.items())
        return [
            engine.StoredObject(name, int(key.size))
            for name, key in keys
            if name.startswith(prefix) and isinstance(key, FakeKey) and not isinstance(key, FakeDeleteMarker)
        ]

    def read(self, bucket: str, key: str) -> bytes:
        stored = self.backend.get_object(bucket, key)
        if stored is None:
            raise engine.QueryFailed(
                "HIVE_CANNOT_OPEN_SPLIT",
                f"Error opening Hive split s3://{bucket}/{key}: The specified key does not exist.",
            )
        return bytes(stored.value)


# --- executions --------------------------------------------------------------------------------


def _millis(seconds: float) -> int:
    return max(0, round(seconds * 1000))


@dataclass
class QueryRun:
    """One query execution as Athena reports it."""

    id: str
    query: str
    workgroup: str
    account: str
    region: str
    context: dict[str, Any]
    result_configuration: dict[str, Any]
    statement: engine.Statement
    execution_parameters: list[str] | None = None
    bytes_limit: int | None = None
    state: str = "QUEUED"
    reason: str | None = None
    athena_error: dict[str, Any] | None = None
    submitted: float = field(default_factory=time.time)
    started: float | None = None
    completed: float | None = None
    preprocessing_ms: int = 0
    engine_ms: int = 0
    service_ms: int = 0
    bytes_scanned: int = 0
    outcome: engine.Outcome | None = None
    caller: str | None = None  # the access key that started the query (EMULATOR_IAM=enforce)
    connection: Any = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def finish(self, state: str, reason: str | None = None, error: dict[str, Any] | None = None) -> bool:
        """Move to a final state once; False if the query had already ended (a stop won the race)."""
        with self.lock:
            if self.state in FINAL_STATES:
                return False
            self.state, self.reason, self.athena_error = state, reason, error
            self.completed = time.time()
            return True

    def statistics(self) -> dict[str, Any]:
        now = self.completed or time.time()
        queued_until = self.started or now
        return {
            "EngineExecutionTimeInMillis": self.engine_ms,
            "DataScannedInBytes": self.bytes_scanned,
            "TotalExecutionTimeInMillis": _millis(now - self.submitted),
            "QueryQueueTimeInMillis": _millis(queued_until - self.submitted),
            "ServicePreProcessingTimeInMillis": self.preprocessing_ms,
            "QueryPlanningTimeInMillis": 0,
            "ServiceProcessingTimeInMillis": self.service_ms,
            "ResultReuseInformation": {"ReusedPreviousResult": False},
        }

    def as_dict(self) -> dict[str, Any]:
        """QueryExecution as GetQueryExecution returns it."""
        status: dict[str, Any] = {"State": self.state, "SubmissionDateTime": self.submitted}
        if self.reason:
            status["StateChangeReason"] = self.reason
        if self.completed is not None:
            status["CompletionDateTime"] = self.completed
        if self.athena_error:
            status["AthenaError"] = self.athena_error
        execution: dict[str, Any] = {
            "QueryExecutionId": self.id,
            "Query": self.query,
            "StatementType": self.statement.statement_type,
            "ResultConfiguration": self.result_configuration,
            "ResultReuseConfiguration": {"ResultReuseByAgeConfiguration": {"Enabled": False}},
            "QueryExecutionContext": self.context,
            "Status": status,
            "Statistics": self.statistics(),
            "WorkGroup": self.workgroup,
            "EngineVersion": dict(engine.ENGINE_VERSION),
            "SubstatementType": self.statement.substatement_type,
        }
        if self.execution_parameters is not None:
            execution["ExecutionParameters"] = self.execution_parameters
        return execution


def runs(backend: AthenaBackend) -> dict[str, QueryRun]:
    """The backend's query executions by id, newest last (reset with the backend)."""
    store: dict[str, QueryRun] = backend.__dict__.setdefault("_local_query_runs", {})
    return store


def _tokens(backend: AthenaBackend) -> dict[str, str]:
    store: dict[str, str] = backend.__dict__.setdefault("_local_query_tokens", {})
    return store


def _get_run(backend: AthenaBackend, query_id: str | None) -> QueryRun:
    run = runs(backend).get(query_id or "")
    if run is None:
        raise AthenaRequestError(f"QueryExecution {query_id} was not found", "QUERY_EXECUTION_NOT_FOUND")
    return run


# --- the worker threads ------------------------------------------------------------------------

_queue: queue.Queue[QueryRun] = queue.Queue()
_workers: list[threading.Thread] = []
_workers_lock = threading.Lock()


def _ensure_workers() -> None:
    with _workers_lock:
        while len(_workers) < WORKERS:
            worker = threading.Thread(target=_work, name=f"athena-query-{len(_workers)}", daemon=True)
            worker.start()
            _workers.append(worker)


def _work() -> None:
    while True:
        run = _queue.get()
        try:
            execute_run(run)
        except Exception as error:  # never let a query end the worker
            run.finish(
                "FAILED",
                f"GENERIC_INTERNAL_ERROR: {error}",
                engine.QueryFailed("GENERIC_INTERNAL_ERROR", str(error), category=engine.SYSTEM).athena_error(),
            )


def _caller(run: QueryRun) -> access.Caller:
    return access.Caller(run.caller, run.region, run.account)


def _write_results(run: QueryRun, outcome: engine.Outcome, s3: S3Backend) -> None:
    """`<id>.csv` and `<id>.csv.metadata` for a query; `<id>.txt` (rows joined by newlines, columns
    by tabs, no header) for DDL and SHOW, as Athena writes them; each one a PutObject the caller
    must be allowed (with the workgroup's encryption header)."""
    bucket, key = engine.split_s3_url(run.result_configuration["OutputLocation"])
    encryption = run.result_configuration.get("EncryptionConfiguration")
    arguments = encryption_arguments(encryption)
    headers = access.result_headers(encryption)
    if outcome.statement_type == "DML":
        files = [
            (key, to_csv(outcome.columns, outcome.rows)),
            (key + ".metadata", to_metadata(outcome.engine_query_id, outcome.columns)),
        ]
    else:
        files = [(key, "\n".join("\t".join(v or "" for v in row) for row in outcome.rows).encode())]
    for name, body in files:
        _caller(run).require_write(bucket, name, headers)
        stored = s3.put_object(bucket, name, body, **arguments)  # type: ignore[arg-type]
        stored.set_metadata({"Content-Type": "application/octet-stream"})


def _ddl_failure(message: str) -> engine.QueryFailed:
    """A Hive DDL failure as Athena words it (`FAILED: Execution Error, ... DDLTask. <exception>`)."""
    return engine.QueryFailed(
        "FAILED", "Execution Error, return code 1 from org.apache.hadoop.hive.ql.exec.DDLTask. " + message
    )


def _require_ddl(caller: access.Caller | None, action: str, resources: list[str]) -> None:
    """The caller's Glue call inside Hive DDL, failing as Athena's DDLTask does."""
    if caller is None:
        return
    decision = caller.glue(action, resources)
    if not decision.allowed:
        raise access.ddl_denied(decision.message(caller.principal()), str(uuid.uuid4()))


def database_ddl(statement: engine.Statement, glue: GlueBackend, caller: access.Caller | None = None) -> engine.Outcome:
    """CREATE DATABASE|SCHEMA [IF NOT EXISTS] and DROP DATABASE|SCHEMA [IF EXISTS] [CASCADE] on the
    Glue catalog, as Athena runs them (as `caller`, when given)."""
    tree = statement.tree
    target = tree.this if isinstance(tree, exp.Create) else (tree.args.get("tables") or [tree.this])[0]
    name = (target.name or (target.args.get("db") and target.args["db"].name) or "").lower()
    arns = access.database_arns(name, glue.region_name, glue.account_id)
    if not isinstance(tree, exp.Create) or tree.args.get("exists"):  # Hive looks the database up first
        _require_ddl(caller, "glue:GetDatabase", arns)
    exists = _find(glue.databases, name) is not None
    if isinstance(tree, exp.Create):
        if exists and not tree.args.get("exists"):
            raise _ddl_failure(f"AlreadyExistsException(message:Database {name} already exists)")
        if not exists:
            _require_ddl(caller, "glue:CreateDatabase", arns)
            glue.create_database(name, {"Name": name})
    else:
        if not exists and not tree.args.get("exists"):
            raise engine.QueryFailed("FAILED", f"SemanticException [Error 10072]: Database does not exist: {name}")
        database = _find(glue.databases, name)
        if database is not None and database.tables and not tree.args.get("cascade"):
            raise _ddl_failure(
                f"InvalidOperationException(message:Database {name} is not empty. One or more tables exist.)"
            )
        if database is not None:
            _require_ddl(
                caller,
                "glue:DeleteDatabase",
                [
                    *arns,
                    arns[0].replace(":catalog", f":table/{name}/*"),
                    arns[0].replace(":catalog", f":userDefinedFunction/{name}/*"),
                ],
            )
            glue.delete_database(database.name)
    return engine.Outcome(
        [], [], 0, statement.statement_type, statement.substatement_type, engine.engine_query_id(), update_count=None
    )


def execute_run(run: QueryRun, *, on_done: Callable[[QueryRun], None] | None = None) -> None:
    """Run a queued query to its final state (on a worker thread)."""
    with run.lock:
        if run.state != "QUEUED":
            return
        run.state, run.started = "RUNNING", time.time()
    partition = get_partition(run.region)
    s3 = s3_backends[run.account][partition]
    began = time.perf_counter()

    def keep_connection(connection: Any) -> None:
        run.connection = connection

    try:
        if run.statement.substatement_type in ("CREATE_DATABASE", "DROP_DATABASE"):
            outcome = database_ddl(run.statement, glue_backends[run.account][run.region], _caller(run))
            # moto's own Athena database list (GetDatabase, ListDatabases) follows the catalog
            athena_backends[run.account][run.region]._process_ddl(run.query, run.context)  # type: ignore[arg-type]
        else:
            caller = _caller(run)
            catalog = access.AuthorizedCatalog(GlueCatalog(glue_backends[run.account][run.region]), caller)
            outcome = engine.execute(
                run.statement,
                catalog=catalog,
                objects=access.AuthorizedObjects(MotoObjects(s3), caller),
                database=run.context.get("Database"),
                catalog_name=run.context.get("Catalog"),
                bytes_limit=run.bytes_limit,
                on_connection=keep_connection,
            )
        run.engine_ms = _millis(time.perf_counter() - began)
        run.bytes_scanned = outcome.bytes_scanned
        if run.state != "RUNNING":
            return
        written = time.perf_counter()
        _write_results(run, outcome, s3)
        run.service_ms = _millis(time.perf_counter() - written)
        run.outcome = outcome
        run.finish("SUCCEEDED")
    except engine.ScanLimitExceeded as error:
        run.engine_ms = _millis(time.perf_counter() - began)
        run.bytes_scanned = error.limit
        run.finish("CANCELLED", "Bytes scanned limit was exceeded")
    except engine.QueryFailed as error:
        run.engine_ms = _millis(time.perf_counter() - began)
        run.finish("FAILED", error.reason, error.athena_error())
    finally:
        run.connection = None
        if on_done is not None:
            on_done(run)


# --- the API -----------------------------------------------------------------------------------


def _workgroup(backend: AthenaBackend, name: str | None) -> WorkGroup:
    workgroup = backend.work_groups.get(name or "primary")
    if workgroup is None:
        raise AthenaRequestError("WorkGroup is not found.")
    return workgroup


def start_query_execution(self: AthenaResponse) -> str:
    backend = self.athena_backend
    token = self._get_param("ClientRequestToken")
    if token and token in _tokens(backend) and _tokens(backend)[token] in runs(backend):
        return json.dumps({"QueryExecutionId": _tokens(backend)[token]})
    query = self._get_param("QueryString")
    if not query:
        raise AthenaRequestError(
            "1 validation error detected: Value null at 'queryString' failed to satisfy "
            "constraint: Member must not be null"
        )
    workgroup = _workgroup(backend, self._get_param("WorkGroup"))
    if str(getattr(workgroup, "state", "ENABLED")).upper() != "ENABLED":
        raise AthenaRequestError(f"WorkGroup {workgroup.name} is disabled.")
    parameters = self._get_param("ExecutionParameters")
    began = time.perf_counter()
    try:
        statement = engine.parse(query, parameters)
    except engine.MalformedQuery as error:
        raise AthenaRequestError(error.message, "MALFORMED_QUERY") from error
    query_id = str(uuid.uuid4())
    configuration = result_configuration(workgroup.configuration, self._get_param("ResultConfiguration"))
    configuration["OutputLocation"] = output_file(
        configuration.get("OutputLocation"), query_id, statement.statement_type
    )
    bucket, _ = engine.split_s3_url(configuration["OutputLocation"])
    try:
        s3_backends[self.current_account][get_partition(self.region)].get_bucket(bucket)
    except Exception as error:
        raise AthenaRequestError(f"Unable to verify/create output bucket {bucket}") from error
    cutoff = workgroup.configuration.get("BytesScannedCutoffPerQuery")
    run = QueryRun(
        id=query_id,
        query=query,
        workgroup=workgroup.name,
        account=self.current_account,
        region=self.region,
        context=dict(self._get_param("QueryExecutionContext") or {}),
        result_configuration=configuration,
        statement=statement,
        execution_parameters=parameters,
        bytes_limit=int(cutoff) if cutoff else None,
        preprocessing_ms=_millis(time.perf_counter() - began),
        caller=iam.current_access_key(),
    )
    runs(backend)[query_id] = run
    if token:
        _tokens(backend)[token] = query_id
    _ensure_workers()
    _queue.put(run)
    return json.dumps({"QueryExecutionId": query_id})


def get_query_execution(self: AthenaResponse) -> str:
    run = _get_run(self.athena_backend, self._get_param("QueryExecutionId"))
    return json.dumps({"QueryExecution": run.as_dict()})


def batch_get_query_execution(self: AthenaResponse) -> str:
    found, missing = [], []
    for query_id in self._get_param("QueryExecutionIds") or []:
        run = runs(self.athena_backend).get(query_id)
        if run is None:
            missing.append(
                {
                    "QueryExecutionId": query_id,
                    "ErrorCode": "QUERY_EXECUTION_NOT_FOUND",
                    "ErrorMessage": f"QueryExecution {query_id} was not found",
                }
            )
        else:
            found.append(run.as_dict())
    return json.dumps({"QueryExecutions": found, "UnprocessedQueryExecutionIds": missing})


def list_query_executions(self: AthenaResponse) -> str:
    workgroup = _workgroup(self.athena_backend, self._get_param("WorkGroup"))
    limit = check_max_results(self._get_param("MaxResults"), LIST_MAX_RESULTS)
    ids = [r.id for r in reversed(list(runs(self.athena_backend).values())) if r.workgroup == workgroup.name]
    token = self._get_param("NextToken")
    offset = token_offset(token, workgroup.name) if token else 0
    page: dict[str, Any] = {"QueryExecutionIds": ids[offset : offset + limit]}
    if offset + limit < len(ids):
        page["NextToken"] = page_token(workgroup.name, offset + limit)
    return json.dumps(page)


def stop_query_execution(self: AthenaResponse) -> str:
    run = _get_run(self.athena_backend, self._get_param("QueryExecutionId"))
    if run.finish("CANCELLED", "Query cancelled by user"):
        connection = run.connection
        if connection is not None:
            with contextlib.suppress(Exception):  # the connection may have closed since
                connection.interrupt()
    return json.dumps({})


def get_query_results(self: AthenaResponse) -> str:
    run = _get_run(self.athena_backend, self._get_param("QueryExecutionId"))
    limit = check_max_results(self._get_param("MaxResults"), MAX_RESULTS)
    if run.state in ("QUEUED", "RUNNING"):
        raise AthenaRequestError(
            f"Query has not yet finished. Current state: {run.state}", "INVALID_QUERY_EXECUTION_STATE"
        )
    if run.state == "FAILED":
        raise AthenaRequestError(
            "Query did not finish successfully. Final query state: FAILED", "INVALID_QUERY_EXECUTION_STATE"
        )
    if run.state == "CANCELLED" or run.outcome is None:
        raise AthenaRequestError("Could not find results", "RESULT_NOT_FOUND")
    token = self._get_param("NextToken")
    offset = token_offset(token, run.id) if token else 0
    rows = result_rows(run.outcome.columns, run.outcome.rows)
    if run.outcome.statement_type != "DML":
        rows = rows[1:]  # SHOW and DESCRIBE rows have no header row
    page = rows[offset : offset + limit]
    answer: dict[str, Any] = {
        "ResultSet": {"Rows": page, "ResultSetMetadata": {"ColumnInfo": [c.info() for c in run.outcome.columns]}},
    }
    if run.outcome.update_count is not None:
        answer["UpdateCount"] = run.outcome.update_count
    if len(page) == limit and offset + limit <= len(rows) and page:
        answer["NextToken"] = page_token(run.id, offset + limit)
    return json.dumps(answer)


def wait(backend: AthenaBackend, query_id: str, timeout: float = 30) -> QueryRun:
    """Block until a query ends (for in-process callers and tests of this module)."""
    deadline = time.monotonic() + timeout
    run = _get_run(backend, query_id)
    while run.state not in FINAL_STATES and time.monotonic() < deadline:
        time.sleep(0.01)
    return run


def install() -> None:
    AthenaResponse.start_query_execution = start_query_execution  # type: ignore[method-assign]
    AthenaResponse.get_query_execution = get_query_execution  # type: ignore[method-assign]
    AthenaResponse.get_query_results = get_query_results  # type: ignore[method-assign]
    AthenaResponse.stop_query_execution = stop_query_execution  # type: ignore[method-assign]
    AthenaResponse.list_query_executions = list_query_executions  # type: ignore[method-assign]
    AthenaResponse.batch_get_query_execution = batch_get_query_execution  # type: ignore[attr-defined]
