"""The local Athena engine: a Trino SQL statement over a Glue catalog and S3 objects, run with
DuckDB, with Athena's results and Athena's errors.

Pure apart from DuckDB: the catalog and the objects come in through two small protocols
(`Catalog`, `ObjectStore`), so tests give it dictionaries and the emulator gives it moto's Glue
and S3 backends (queries.py).

* `parse(sql, parameters)` parses with sqlglot's Trino dialect and binds ExecutionParameters; a
  statement that does not parse raises MalformedQuery, which Athena (engine version 3) answers
  synchronously from StartQueryExecution (InvalidRequestException, MALFORMED_QUERY).
* `execute(statement, ...)` resolves every table reference itself (catalog AwsDataCatalog, the
  database from the context or `db.table`), failing with Athena's TABLE_NOT_FOUND /
  SCHEMA_NOT_FOUND / CATALOG_NOT_FOUND text and the reference's line:column; reads the files of
  each table (the Location prefix when unpartitioned, each registered partition's location when
  partitioned; files whose names start with `_` or `.` are hidden, as in Athena) through the
  table's SerDe (hive.py) into a DuckDB table of the catalog's types, partition columns included;
  stops with ScanLimitExceeded once the bytes read pass `bytes_limit`; translates the statement to
  DuckDB (sqlglot, read trino, write duckdb) and runs it in an in-memory DuckDB with no extension
  loading or installing and no file system access; and returns Athena's column types and values
  (results.py). DuckDB errors become Athena's error names (COLUMN_NOT_FOUND, FUNCTION_NOT_FOUND,
  EXPRESSION_NOT_AGGREGATE, TYPE_MISMATCH, ...) with the position of the offending name in the
  original SQL.

* `show(...)` answers SHOW TABLES and SHOW DATABASES from the catalog; other statements than
  queries fail with NOT_SUPPORTED (CREATE/DROP DATABASE are queries.py's, as they change Glue).

Trino semantics kept on top of DuckDB's: integer division truncates, a decimal literal (`1.5`)
is a double as in Athena, an unnamed select item is `_col<N>`, result column names are lower case.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import string
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import sqlglot
from sqlglot import exp

from tooling.emulator.athena import hive
from tooling.emulator.athena.results import Column, athena_column, format_row

DEFAULT_CATALOG = "AwsDataCatalog"
DEFAULT_DATABASE = "default"
ENGINE_VERSION = {"SelectedEngineVersion": "AUTO", "EffectiveEngineVersion": "Athena engine version 3"}

# AthenaError.ErrorCategory: 1 system, 2 user. ErrorType per Athena's error catalog.
USER, SYSTEM = 2, 1
ERROR_TYPES = {
    "TABLE_NOT_FOUND": 1301,
    "SCHEMA_NOT_FOUND": 1301,
    "CATALOG_NOT_FOUND": 1301,
    "COLUMN_NOT_FOUND": 1006,
    "FUNCTION_NOT_FOUND": 1006,
    "EXPRESSION_NOT_AGGREGATE": 1006,
    "TYPE_MISMATCH": 1006,
    "INVALID_PARAMETER_USAGE": 1006,
    "INVALID_CAST_ARGUMENT": 1001,
    "DIVISION_BY_ZERO": 1001,
    "HIVE_CURSOR_ERROR": 1001,
    "HIVE_BAD_DATA": 1001,
    "NOT_SUPPORTED": 1200,
    "HIVE_UNSUPPORTED_FORMAT": 1200,
    "GENERIC_USER_ERROR": 1000,
    "GENERIC_INTERNAL_ERROR": 200,
    "FAILED": 1003,
}


class MalformedQuery(Exception):
    """The statement does not parse: Athena rejects it in StartQueryExecution."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class QueryFailed(Exception):
    """The query ends FAILED with Athena's error name and message."""

    def __init__(self, name: str, message: str, *, category: int = USER, retryable: bool = False) -> None:
        super().__init__(f"{name}: {message}")
        self.name, self.message, self.category, self.retryable = name, message, category, retryable

    @property
    def reason(self) -> str:
        """Status.StateChangeReason and AthenaError.ErrorMessage."""
        return f"{self.name}: {self.message}"

    @property
    def error_type(self) -> int:
        return ERROR_TYPES.get(self.name, 1000 if self.category == USER else 200)

    def athena_error(self) -> dict[str, Any]:
        return {
            "ErrorCategory": self.category,
            "ErrorType": self.error_type,
            "Retryable": self.retryable,
            "ErrorMessage": self.reason,
        }


class ScanLimitExceeded(Exception):
    """The workgroup's BytesScannedCutoffPerQuery was passed: Athena cancels the query."""

    def __init__(self, limit: int) -> None:
        super().__init__("Bytes scanned limit was exceeded")
        self.limit = limit


# --- the catalog and the objects ---------------------------------------------------------------


@dataclass(frozen=True)
class TableColumn:
    name: str
    type: str


@dataclass(frozen=True)
class Partition:
    values: tuple[str, ...]
    location: str


@dataclass(frozen=True)
class Table:
    """A Glue table as the engine needs it."""

    database: str
    name: str
    columns: tuple[TableColumn, ...]
    partition_keys: tuple[TableColumn, ...] = ()
    location: str = ""
    storage: Mapping[str, Any] = field(default_factory=dict)
    parameters: Mapping[str, str] = field(default_factory=dict)
    partitions: tuple[Partition, ...] = ()
    table_type: str = "EXTERNAL_TABLE"

    @classmethod
    def from_glue(cls, table: Mapping[str, Any], partitions: Iterable[Mapping[str, Any]] = ()) -> Table:
        """From GetTable's Table and GetPartitions' Partitions (the shapes moto's as_dict() gives)."""
        storage = table.get("StorageDescriptor") or {}
        keys = tuple(
            TableColumn(c["Name"].lower(), c.get("Type") or "string") for c in table.get("PartitionKeys") or []
        )
        location = storage.get("Location") or ""
        parts = []
        for partition in partitions:
            values = tuple(str(v) for v in partition.get("Values") or [])
            part_location = (partition.get("StorageDescriptor") or {}).get("Location") or ""
            if not part_location:
                folders = "/".join(f"{k.name}={v}" for k, v in zip(keys, values, strict=False))
                part_location = location.rstrip("/") + "/" + folders
            parts.append(Partition(values, part_location))
        return cls(
            database=table.get("DatabaseName", ""),
            name=table["Name"],
            columns=tuple(
                TableColumn(c["Name"].lower(), c.get("Type") or "string") for c in storage.get("Columns") or []
            ),
            partition_keys=keys,
            location=location,
            storage=storage,
            parameters={str(k): str(v) for k, v in (table.get("Parameters") or {}).items()},
            partitions=tuple(parts),
            table_type=table.get("TableType") or "EXTERNAL_TABLE",
        )


class Catalog(Protocol):
    def has_database(self, name: str) -> bool: ...

    def table(self, database: str, name: str) -> Table | None: ...

    def databases(self) -> list[str]: ...

    def tables(self, database: str) -> list[str]: ...


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int


class ObjectStore(Protocol):
    def list(self, bucket: str, prefix: str) -> list[StoredObject]: ...

    def read(self, bucket: str, key: str) -> bytes: ...


def split_s3_url(url: str) -> tuple[str, str]:
    """`s3://bucket/a/b` -> ("bucket", "a/b"); ValueError for anything else."""
    match = re.fullmatch(r"s3[an]?://([^/]+)/?(.*)", url.strip())
    if not match:
        raise ValueError(f"not an S3 location: {url}")
    return match.group(1), match.group(2)


def _folder(prefix: str) -> str:
    return prefix if not prefix or prefix.endswith("/") else prefix + "/"


def _hidden(relative_key: str) -> bool:
    """Athena skips files and folders whose names start with `_` or `.`, and folder markers."""
    return relative_key.endswith("/") or any(part.startswith(("_", ".")) for part in relative_key.split("/") if part)


def table_files(table: Table, objects: ObjectStore) -> list[tuple[str, StoredObject, tuple[str, ...]]]:
    """(bucket, object, partition values) for every file a query of `table` reads: every object
    under the Location when the table has no partition keys, else every object under each
    partition registered in the catalog (unregistered folders are not read, as in Athena)."""
    places: list[tuple[str, tuple[str, ...]]] = (
        [(p.location, p.values) for p in table.partitions] if table.partition_keys else [(table.location, ())]
    )
    files = []
    for location, values in places:
        bucket, prefix = split_s3_url(location)
        prefix = _folder(prefix)
        for stored in sorted(objects.list(bucket, prefix), key=lambda o: o.key):
            if not _hidden(stored.key[len(prefix) :]):
                files.append((bucket, stored, values))
    return files


# --- statements --------------------------------------------------------------------------------


@dataclass
class Statement:
    sql: str
    tree: exp.Expr
    statement_type: str  # DML, DDL or UTILITY
    substatement_type: str  # SELECT, INSERT, CREATE_TABLE, ...


_QUERY_TYPES = (exp.Select, exp.SetOperation, exp.Values, exp.Subquery)


def _kind(tree: exp.Expr) -> tuple[str, str]:
    if isinstance(tree, _QUERY_TYPES):
        return "DML", "SELECT"
    if isinstance(tree, exp.Insert):
        return "DML", "INSERT"
    if isinstance(tree, (exp.Update, exp.Delete, exp.Merge)):
        return "DML", type(tree).__name__.upper()
    if isinstance(tree, exp.Create):
        kind = str(tree.args.get("kind") or "TABLE").upper()
        if tree.expression is not None and kind == "TABLE":
            return "DDL", "CREATE_TABLE_AS_SELECT"
        return "DDL", "CREATE_DATABASE" if kind in ("SCHEMA", "DATABASE") else f"CREATE_{kind}"
    if isinstance(tree, exp.Drop):
        kind = str(tree.args.get("kind") or "TABLE").upper()
        return "DDL", "DROP_DATABASE" if kind in ("SCHEMA", "DATABASE") else f"DROP_{kind}"
    if isinstance(tree, exp.Describe):
        return "UTILITY", "DESCRIBE_TABLE"
    text = tree.sql(dialect="trino").split()
    first = text[0].upper() if text else ""
    if first in ("SHOW", "DESCRIBE", "DESC", "EXPLAIN"):
        return "UTILITY", "_".join(text[:2]).upper()
    return "DDL", first or "UNKNOWN"


def _position(sql: str, start: int) -> str:
    """Trino's `line L:C` (1-based) of a character offset."""
    line = sql.count("\n", 0, start) + 1
    column = start - (sql.rfind("\n", 0, start) + 1) + 1
    return f"line {line}:{column}"


def _start_of(node: exp.Expr) -> int | None:
    starts = [n.meta["start"] for n in node.walk() if isinstance(n, exp.Identifier) and "start" in n.meta]
    if isinstance(node, exp.Func) and not starts and "start" in node.meta:
        return int(node.meta["start"])
    return min(starts) if starts else None


def _where(sql: str, node: exp.Expr | None) -> str:
    start = _start_of(node) if node is not None else None
    return _position(sql, start if start is not None else 0)


def _parameter_expression(value: str) -> exp.Expr:
    """Athena's binding of an ExecutionParameter: a value that parses as an expression without
    column references is that expression; anything else is a string literal."""
    try:
        parsed = sqlglot.parse_one(value, read="trino")
    except sqlglot.errors.SqlglotError:
        return exp.Literal.string(value)
    if parsed is None or isinstance(parsed, (exp.Command, exp.Select)) or any(parsed.find_all(exp.Column)):
        return exp.Literal.string(value)
    return parsed


def parse(sql: str, parameters: Sequence[str] | None = None) -> Statement:
    """Parse one Trino statement and bind `parameters` to its `?` placeholders."""
    text = sql.strip().rstrip(";").strip()
    if not text:
        raise MalformedQuery("line 1:1: mismatched input '<EOF>'. Expecting: <query>")
    try:
        trees = [t for t in sqlglot.parse(text, read="trino") if t is not None]
    except sqlglot.errors.ParseError as error:
        detail = error.errors[0] if error.errors else {}
        line, column = detail.get("line", 1), detail.get("col", 1)
        token = detail.get("highlight") or "<EOF>"
        start = max(1, int(column) - len(token) + 1)
        raise MalformedQuery(
            f"line {line}:{start}: mismatched input '{token}'. {detail.get('description', 'Invalid expression')}"
        ) from error
    except sqlglot.errors.SqlglotError as error:
        raise MalformedQuery(f"line 1:1: {error}") from error
    if len(trees) != 1:
        raise MalformedQuery("line 1:1: only one statement can be run at a time")
    tree = trees[0]
    if isinstance(tree, exp.Command) and tree.name.upper() not in ("SHOW", "DESCRIBE", "DESC", "EXPLAIN", "MSCK"):
        raise MalformedQuery(
            f"line 1:1: mismatched input '{tree.name}'. Expecting: 'ALTER', 'CREATE', 'DESCRIBE', "
            "'DROP', 'EXPLAIN', 'INSERT', 'SHOW', <query>"
        )
    placeholders = [p for p in tree.find_all(exp.Placeholder, bfs=False) if p.name in ("", "?")]
    values = list(parameters or [])
    if placeholders and len(values) != len(placeholders):
        raise MalformedQuery(
            f"line 1:1: Incorrect number of parameters: expected {len(placeholders)} but found {len(values)}"
        )
    for number, placeholder in enumerate(placeholders):  # the tree's order is not the text's (WITH comes last)
        placeholder.set("this", f"athena_parameter_{number}_")
    rendered = tree.sql(dialect="trino")
    in_text_order = sorted(placeholders, key=lambda p: rendered.find(str(p.this)))
    for placeholder, value in zip(in_text_order, values, strict=False):
        placeholder.replace(_parameter_expression(value))
    statement_type, substatement_type = _kind(tree)
    return Statement(sql, tree, statement_type, substatement_type)


# --- resolving and loading tables --------------------------------------------------------------


@dataclass
class Outcome:
    """A finished query: Athena's columns and VarCharValues, and what it read."""

    columns: list[Column]
    rows: list[list[str | None]]
    bytes_scanned: int
    statement_type: str
    substatement_type: str
    engine_query_id: str
    update_count: int | None = 0


def engine_query_id(now: dt.datetime | None = None) -> str:
    """A Trino-style query id (`20240101_120000_00001_abcde`), as Athena writes into `.metadata`."""
    moment = now or dt.datetime.now(dt.UTC)
    suffix = "".join(random.choices(string.ascii_lowercase + string.digits, k=5))  # noqa: S311 - an id, not a secret
    return f"{moment:%Y%m%d_%H%M%S}_{random.randint(0, 99999):05d}_{suffix}"  # noqa: S311


def referenced_tables(tree: exp.Expr) -> list[exp.Table]:
    """Table references that name a catalog table (not a CTE, not a table function)."""
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    tables = []
    for table in tree.find_all(exp.Table):
        if not isinstance(table.this, exp.Identifier) or not table.name:
            continue
        if not table.db and not table.catalog and table.name.lower() in ctes:
            continue
        tables.append(table)
    return tables


def resolve(sql: str, reference: exp.Table, catalog: Catalog, database: str, catalog_name: str) -> Table:
    """The catalog table a reference names, or Athena's not-found error at its position."""
    where = _where(sql, reference)
    catalog_part = (reference.catalog or catalog_name).lower()
    if catalog_part != DEFAULT_CATALOG.lower():
        raise QueryFailed("CATALOG_NOT_FOUND", f"{where}: Catalog '{catalog_part}' does not exist")
    schema = (reference.db or database).lower()
    if not catalog.has_database(schema):
        raise QueryFailed("SCHEMA_NOT_FOUND", f"{where}: Schema '{schema}' does not exist")
    table = catalog.table(schema, reference.name.lower())
    if table is None or table.table_type.upper() == "VIRTUAL_VIEW":
        raise QueryFailed(
            "TABLE_NOT_FOUND", f"{where}: Table '{catalog_part}.{schema}.{reference.name.lower()}' does not exist"
        )
    return table


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def load_table(
    connection: Any, name: str, table: Table, objects: ObjectStore, scanned: list[int], bytes_limit: int | None
) -> None:
    """Create DuckDB table `name` with `table`'s columns (catalog types) and fill it from its files.
    `scanned` is a one-item running total of the bytes read (compressed sizes, as Athena counts)."""
    import pyarrow as pa

    if str(table.parameters.get("table_type", "")).upper() == "ICEBERG":
        raise QueryFailed(
            "NOT_SUPPORTED", f"Iceberg table {table.database}.{table.name} is not read by the local Athena"
        )
    try:
        serde = hive.serde_of(table.storage, table.parameters)
    except hive.UnsupportedFormat as error:
        raise QueryFailed("HIVE_UNSUPPORTED_FORMAT", f"Unable to create input format {error}") from error
    data_columns = [c.name for c in table.columns]
    all_columns = list(table.columns) + list(table.partition_keys)
    types = [hive.duckdb_type(c.type) for c in all_columns]
    connection.execute(
        f"CREATE TEMP TABLE {_quote(name)} ("
        + ", ".join(f"{_quote(c.name)} {t}" for c, t in zip(all_columns, types, strict=True))
        + ")"
    )
    for bucket, stored, values in table_files(table, objects):
        if bytes_limit is not None and scanned[0] + stored.size > bytes_limit:
            raise ScanLimitExceeded(bytes_limit)
        data = hive.decompress(stored.key, objects.read(bucket, stored.key))
        scanned[0] += stored.size
        try:
            if serde.kind == "parquet":
                raw = hive.read_parquet(data, data_columns)
            else:
                rows = (
                    hive.read_json_rows(data, serde, data_columns)
                    if serde.kind == "json"
                    else hive.read_text_rows(data, serde, len(data_columns))
                )
                raw = pa.table({c: pa.array([r[i] for r in rows], pa.string()) for i, c in enumerate(data_columns)})
        except hive.MalformedJson as error:
            raise QueryFailed("HIVE_CURSOR_ERROR", f"{error} (file s3://{bucket}/{stored.key})") from error
        except Exception as error:
            raise QueryFailed("HIVE_BAD_DATA", f"Error reading file s3://{bucket}/{stored.key}: {error}") from error
        for key, value in zip(table.partition_keys, values, strict=False):
            partition_value = None if value == hive.HIVE_DEFAULT_PARTITION else value
            raw = raw.append_column(key.name, pa.array([partition_value] * raw.num_rows, pa.string()))
        casts = [
            hive.cast_sql(
                c.name,
                t,
                source=serde.source if c in table.columns else "text",
                collection_delim=serde.collection_delim,
            )
            for c, t in zip(all_columns, types, strict=True)
        ]
        connection.register("__athena_raw", raw)
        try:
            # Identifiers are quoted; the casts come from catalog types, never from query text.
            connection.execute(f"INSERT INTO {_quote(name)} SELECT {', '.join(casts)} FROM __athena_raw")  # noqa: S608
        finally:
            connection.unregister("__athena_raw")


# --- translating -------------------------------------------------------------------------------


def _first_select(tree: exp.Expr) -> exp.Select | None:
    node: exp.Expr | None = tree
    while isinstance(node, (exp.SetOperation, exp.Subquery)):
        node = node.this
    return node if isinstance(node, exp.Select) else None


def name_outputs(tree: exp.Expr) -> None:
    """Trino's output names: an unnamed expression is `_col<position>`."""
    select = _first_select(tree)
    if select is None:
        return
    for index, item in enumerate(list(select.expressions)):
        if isinstance(item, (exp.Alias, exp.Column, exp.Star, exp.Dot)):
            continue
        item.replace(exp.alias_(item.copy(), f"_col{index}", quoted=False))


def doubles_for_decimal_literals(tree: exp.Expr) -> None:
    """Athena parses `1.5` as a double (parse_decimal_literals_as_double); DuckDB as a decimal."""
    for literal in list(tree.find_all(exp.Literal)):
        if literal.is_number and re.search(r"[.eE]", literal.this):
            literal.replace(exp.cast(literal.copy(), exp.DataType.build("DOUBLE")))


def translate(tree: exp.Expr, names: Mapping[int, str]) -> str:
    """DuckDB SQL for `tree`, with each table reference (by id()) renamed to its loaded table."""
    for table in list(tree.find_all(exp.Table)):
        loaded = names.get(id(table))
        if loaded is None:
            continue
        alias = table.alias or table.name.lower()
        table.set("catalog", None)
        table.set("db", None)
        table.set("this", exp.to_identifier(loaded))
        table.set("alias", exp.TableAlias(this=exp.to_identifier(alias)))
    name_outputs(tree)
    doubles_for_decimal_literals(tree)
    return tree.sql(dialect="duckdb")


# --- DuckDB errors as Athena's -----------------------------------------------------------------


def _find(tree: exp.Expr, kind: type[exp.Expr], test: Callable[[Any], bool]) -> exp.Expr | None:
    for node in tree.find_all(kind):
        if test(node):
            return node
    return None


def athena_failure(error: Exception, sql: str, tree: exp.Expr) -> QueryFailed:
    """Athena's error for a DuckDB error, positioned in the original SQL."""
    text = str(error)
    first = text.split("\n")[0]
    detail = re.sub(r"^[A-Za-z ]+ Error: ", "", first)
    match = re.search(r'Referenced column "([^"]+)" not found', text)
    qualified = re.search(r'Table "([^"]+)" does not have a column named "([^"]+)"', text)
    if match or qualified:
        table, column = (qualified.group(1), qualified.group(2)) if qualified else ("", match.group(1) if match else "")
        node = _find(
            tree,
            exp.Column,
            lambda c: c.name.lower() == column.lower() and (not table or c.table.lower() == table.lower()),
        )
        shown = f"{table}.{column}" if table else column
        return QueryFailed(
            "COLUMN_NOT_FOUND",
            f"{_where(sql, node)}: Column '{shown.lower()}' cannot be resolved "
            "or requester is not authorized to access requested resources",
        )
    match = re.search(r"Function with name (\S+) does not exist", text)
    if match:
        name = match.group(1).strip('"').lower()
        called = re.search(rf"\b{re.escape(name)}\s*\(", sql, re.IGNORECASE)
        where = _position(sql, called.start()) if called else "line 1:1"
        return QueryFailed("FUNCTION_NOT_FOUND", f"{where}: Function '{name}' not registered")
    match = re.search(r'column "([^"]+)" must appear in the GROUP BY clause', text)
    if match:
        column = match.group(1)
        node = _find(tree, exp.Column, lambda c: c.name.lower() == column.lower())
        shown = node.sql(dialect="trino") if node is not None else column
        return QueryFailed(
            "EXPRESSION_NOT_AGGREGATE",
            f"{_where(sql, node)}: '{shown}' must be an aggregate expression or appear in GROUP BY clause",
        )
    if "Division by zero" in text:
        return QueryFailed("DIVISION_BY_ZERO", "Division by zero")
    match = re.search(r"Could not convert string '([^']*)' to (\w+)", text)
    if match:
        return QueryFailed("INVALID_CAST_ARGUMENT", f"Cannot cast '{match.group(1)}' to {match.group(2).lower()}")
    if "No function matches" in text or "Cannot compare" in text or "Cannot mix" in text or "Conversion" in first:
        return QueryFailed("TYPE_MISMATCH", f"line 1:1: {detail}")
    if type(error).__name__ in ("ParserException", "NotImplementedException", "InternalException"):
        return QueryFailed(
            "GENERIC_INTERNAL_ERROR", f"the local engine could not run this statement: {detail}", category=SYSTEM
        )
    return QueryFailed("GENERIC_USER_ERROR", detail)


# --- running -----------------------------------------------------------------------------------

_database: Any = None
_database_lock = threading.Lock()


def connect() -> Any:
    """A connection to the engine's in-memory DuckDB, which downloads and loads nothing and cannot
    touch the file system (its configuration is locked). Each query gets its own connection to one
    shared database (opening a database costs ~15 ms; a connection ~0.1 ms) and keeps its tables as
    TEMP tables, which only that connection sees and which go when it closes."""
    import duckdb

    global _database
    with _database_lock:
        if _database is None:
            database = duckdb.connect(
                ":memory:",
                config={
                    "autoinstall_known_extensions": False,
                    "autoload_known_extensions": False,
                    "enable_external_access": False,
                    "integer_division": True,
                    "threads": 2,
                    "lambda_syntax": "ENABLE_SINGLE_ARROW",  # sqlglot writes Trino's `x -> f(x)` lambdas that way
                },
            )
            database.execute("SET lock_configuration = true")
            _database = database
        return _database.cursor()


def hive_pattern(pattern: str) -> re.Pattern[str]:
    """SHOW's Hive pattern: `*` matches anything, `|` separates alternatives, case-insensitive."""
    choices = ["".join(".*" if c == "*" else re.escape(c) for c in part.strip()) for part in pattern.split("|")]
    return re.compile("|".join(f"(?:{c})" for c in choices), re.IGNORECASE)


def show(statement: Statement, catalog: Catalog, database: str) -> Outcome:
    """SHOW TABLES [IN db] [[LIKE] 'pattern'] and SHOW DATABASES|SCHEMAS [LIKE 'pattern'], as Athena's
    Hive DDL answers them: one `string` column (`tab_name`, `database_name`), names sorted."""
    text = statement.tree.expression.name if isinstance(statement.tree, exp.Command) else ""
    tables = re.fullmatch(
        r"TABLES(?:\s+(?:IN|FROM)\s+`?(\w+)`?)?(?:\s+(?:LIKE\s+)?'([^']*)')?", text.strip(), re.IGNORECASE
    )
    databases = re.fullmatch(r"(?:DATABASES|SCHEMAS)(?:\s+LIKE\s+'([^']*)')?", text.strip(), re.IGNORECASE)
    if tables:
        schema = (tables.group(1) or database).lower()
        if not catalog.has_database(schema):
            raise QueryFailed("SCHEMA_NOT_FOUND", f"line 1:1: Schema '{schema}' does not exist")
        column, names, pattern = "tab_name", catalog.tables(schema), tables.group(2)
    elif databases:
        column, names, pattern = "database_name", catalog.databases(), databases.group(1)
    else:
        raise QueryFailed("NOT_SUPPORTED", f"SHOW {text} is not supported by the local Athena")
    if pattern is not None:
        names = [n for n in names if hive_pattern(pattern).fullmatch(n)]
    return Outcome(
        [Column(column, "string")],
        [[n] for n in sorted(n.lower() for n in names)],
        0,
        statement.statement_type,
        statement.substatement_type,
        engine_query_id(),
    )


def execute(
    statement: Statement,
    *,
    catalog: Catalog,
    objects: ObjectStore,
    database: str | None = None,
    catalog_name: str | None = None,
    bytes_limit: int | None = None,
    on_connection: Callable[[Any], None] | None = None,
) -> Outcome:
    """Run a parsed statement. Raises QueryFailed or ScanLimitExceeded."""
    import duckdb

    if statement.statement_type == "UTILITY" and statement.substatement_type.startswith("SHOW_"):
        return show(statement, catalog, (database or DEFAULT_DATABASE).lower())
    if statement.substatement_type != "SELECT":
        raise QueryFailed(
            "NOT_SUPPORTED",
            "the local Athena runs queries (SELECT, WITH, VALUES), SHOW TABLES, "
            f"SHOW DATABASES and CREATE/DROP DATABASE; {statement.substatement_type} is not supported",
        )
    sql, tree = statement.sql, statement.tree.copy()
    context_db = (database or DEFAULT_DATABASE).lower()
    context_catalog = catalog_name or DEFAULT_CATALOG
    references = referenced_tables(tree)
    resolved = [resolve(sql, r, catalog, context_db, context_catalog) for r in references]
    connection = connect()
    if on_connection is not None:
        on_connection(connection)
    try:
        scanned = [0]
        loaded: dict[tuple[str, str], str] = {}
        names: dict[int, str] = {}
        for reference, table in zip(references, resolved, strict=True):
            key = (table.database.lower(), table.name.lower())
            if key not in loaded:
                loaded[key] = f"__athena_t{len(loaded)}"
                load_table(connection, loaded[key], table, objects, scanned, bytes_limit)
            names[id(reference)] = loaded[key]
        duck_sql = translate(tree, names)
        try:
            cursor = connection.execute(duck_sql)
            description = cursor.description or []
            fetched = cursor.fetchall()
        except duckdb.Error as error:
            raise athena_failure(error, sql, statement.tree) from error
        columns = [athena_column(str(d[0]).lower(), str(d[1])) for d in description]
        rows = [format_row(row, columns) for row in fetched]
        return Outcome(
            columns, rows, scanned[0], statement.statement_type, statement.substatement_type, engine_query_id()
        )
    finally:
        connection.close()


def run(
    sql: str,
    *,
    catalog: Catalog,
    objects: ObjectStore,
    database: str | None = None,
    parameters: Sequence[str] | None = None,
    bytes_limit: int | None = None,
) -> Outcome:
    """parse() then execute(): one call for tests and scripts."""
    return execute(parse(sql, parameters), catalog=catalog, objects=objects, database=database, bytes_limit=bytes_limit)
