"""The local Glue crawl, as pure functions: classify S3 objects, group them into tables and
partitions, render them as Glue writes them, and diff them against the catalog.

`crawler.py` is the thin layer that reads moto's S3, writes moto's Glue catalog, the crawl record,
CloudWatch Logs and EventBridge; everything it decides is decided here, from plain data.

Fidelity: what the local crawl approximates and where Glue differs
-------------------------------------------------------------------

| Area | Local crawl | AWS Glue |
| --- | --- | --- |
| Built-in classifiers | Parquet, JSON, CSV; gzip and bzip2 compressed text | also Avro, ORC, XML, Ion, logs, zip |
| Custom classifiers | CSV (all its fields but CustomDatatypes) | grok, XML, JSON too (skipped, logged here) |
| CSV header | Glue's documented rules (below) | the same plus unpublished heuristics |
| CSV types | bigint, double, boolean, string; dates, timestamps stay string | the same (built-in classifier) |
| JSON types | int, bigint, double, boolean, string, array<..>, struct<..> | the same names |
| Parquet types | from the file's schema (pyarrow) | the same |
| Reading | CSV: first 1000 records or 1 MB; JSON: the first 1 MB (up to 10) | the same limits |
| Sampling | `SampleSize`: the first files of each leaf folder, in key order | files chosen at random |
| Grouping | see "Grouping" below: 70 % thresholds on columns and folders | threshold 0.7, measure unpublished |
| Name clashes | a table for another location gets `_<md5 of its location>` | a hash suffix of another form |
| Recrawl | new-folders-only and event mode: folders not crawled before | event mode: folders S3 events name |
| Record | DPUHour invented (one DPU, ten-minute minimum) | Glue's accounting |

Grouping: files are alike when they have the same format, compression and (CSV) delimiter and
header, and at least 70 % of their column names in common (`CombineCompatibleSchemas` drops the
column test). A folder's files form one schema when more than 70 % of them are alike; a folder's
sub-folders are the partitions of one table when more than 70 % of them are alike at one depth.
The reading limits are the knowledge-center article "How does the AWS Glue crawler detect the
schema?"; the 70 % thresholds too.

What the local crawl does with input that is not clean (Glue's outcome, and its source):

* Empty object (0 bytes, or only whitespace): skipped and logged, part of no table. Glue
  documents nothing; its classifiers recognise nothing in an empty file.
* Folder placeholder (key ending in `/`): ignored.
* Object the crawler's role may not read (EMULATOR_IAM=enforce; crawler.py asks IAM): logged with
  Glue's line ("Error Access Denied (Service: Amazon S3; ...) retrieving file at s3://... Tables
  created did not infer schemas from this file."), part of no table; the crawl goes on.
* Object matching an exclude pattern: never read, never counted ("Include and exclude patterns":
  globs relative to the include path; `*` within a folder, `**` across folders, `?`, `[...]`,
  `[!...]`, `{a,b}`, backslash escapes). A pattern that cannot be read excludes nothing.
* Format no classifier recognises: UNKNOWN, left out, logged ("If no classifier returns a
  certainty greater than 0.0, AWS Glue returns the default classification string of UNKNOWN").
* CSV with one line or one column: not CSV ("the table schema must have at least two columns and
  two rows of data"), unless a custom classifier sets AllowSingleColumn.
* CSV rows with different numbers of fields (ragged): not CSV for that delimiter, so UNKNOWN
  unless another delimiter fits. Glue documents no rule; the local one is strict.
* A text file that is not JSON lines (a line that does not parse): not JSON; then CSV or UNKNOWN.
* A JSON file whose top level is an array: one column `array` of type `array<...>` (the guide:
  without a JSON path "the crawler treats the data as one object, that is, just an array").
* Files with different schemas in one folder: more than 70 % alike make the table and the others
  are skipped ("Some files do not match the schema detected", Glue's log line); otherwise one
  table per file, named after the file, located at the file.
* Sub-folders that are not `key=value`: partitions all the same when alike, keys `partition_0`,
  `partition_1`, ... ("How does a crawler determine when to create partitions?").
* Sub-folders that are not alike: a table per sub-folder, named after it.
* Files directly in the include path: part of the table rooted there (named after the include
  path's last folder, or the bucket), in none of its partitions; when the sub-folders split into
  tables, those files form a table of their own at that folder.
* Partition folders at different depths: the depth most sub-folders share makes the table (the
  others count against its 70 %); a folder at another depth, or of another format, becomes a table
  of its own, logged; with TableLevelConfiguration it is skipped ("Folder partition keys do not
  match table partition keys, skipped folder", Glue's log line).
* A single dataset folder under the include path: the include path is still the table's root (the
  table is named after it, or the bucket, and the folder is a `partition_0` value), by the guide's
  grouping rule; Glue documents this case nowhere. Point the include path at the dataset's folder.
* An include path that names one object: a table for that object, named after it (`data_csv`).

Glue's rules followed, by source:

* Built-in CSV classifier (developer guide "Built-in classifiers"): delimiters comma, pipe, tab,
  semicolon and Ctrl-A (`\\u0001`, written `^A`), tried in that order; a header is inferred when
  every cell of the first row parses as STRING, every cell but the last is under 150 characters
  (the last may be empty throughout), every cell meets Glue's column-name pattern, and the data
  rows parse as something other than STRING somewhere. Without a header the columns are named
  `col0`, `col1`, ... (the guide says "col1, col2", Glue's tables say col0).
* Classifier order ("Adding classifiers to a crawler"): custom classifiers first, in the crawler's
  order; the first with certainty 1.0 wins; then the built-ins.
* Grouping and table names ("How does a crawler determine when to create partitions?",
  "Specifying the table location and partitioning level"): the include path's last folder names
  a table rooted there; `TableLevelConfiguration` fixes the table's absolute level, the bucket
  being level 1; `CombineCompatibleSchemas` ignores schema similarity but still requires the same
  format and compression.
* Schema change policy ("Setting crawler configuration options"): new tables and partitions are
  always created; UPDATE_IN_DATABASE replaces the table definition, LOG leaves it;
  `CrawlerOutput.Tables.AddOrUpdateBehavior = MergeNewColumns` only adds columns;
  `CrawlerOutput.Partitions.AddOrUpdateBehavior = InheritFromTable` gives partitions the table's
  schema and formats; DeleteBehavior DELETE_FROM_DATABASE deletes tables and partitions whose data
  is gone, DEPRECATE_IN_DATABASE sets the table parameter `DEPRECATED_BY_CRAWLER` (epoch
  milliseconds, as Glue's tables show), LOG only logs.
* Incremental crawls ("Incremental crawls in AWS Glue"): CRAWL_NEW_FOLDERS_ONLY crawls only
  folders added since the last crawl and forces UpdateBehavior and DeleteBehavior to LOG.
* Table parameters as Glue-created tables show them: `classification`, `compressionType`,
  `typeOfData`, `recordCount`, `averageRecordSize`, `objectCount`, `sizeKey`, `delimiter`,
  `areColumnsQuoted`, `columnsOrdered`, `skip.header.line.count`, `UPDATED_BY_CRAWLER`,
  `CRAWL_RUN_ID`, `CrawlerSchemaSerializerVersion`, `CrawlerSchemaDeserializerVersion`,
  `exclusions`; a partition index named `crawler_partition_index` when `CreatePartitionIndex`.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import hashlib
import io
import json
import math
import re
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeAlias

CSV_DELIMITERS = (",", "|", "\t", ";", "\x01")
CSV_MAX_RECORDS = 1000
READ_BYTES = 1024 * 1024
READ_BYTES_MAX = 10 * 1024 * 1024
SIMILARITY = 0.7
HEADER_CELL_MAX = 150
COLUMN_NAME_MAX = 255
PARTITION_INDEX_NAME = "crawler_partition_index"

LAZY_SIMPLE_SERDE = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"
OPEN_CSV_SERDE = "org.apache.hadoop.hive.serde2.OpenCSVSerde"
JSON_SERDE = "org.openx.data.jsonserde.JsonSerDe"
PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat"
TEXT_OUTPUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
PARQUET_INPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
PARQUET_OUTPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"

_COLUMN_NAME = re.compile("^[\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff\t]*$")
_INT = re.compile(r"^[+-]?\d+$")
_FLOAT = re.compile(r"^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$")
_INT64 = (-(2**63), 2**63 - 1)
_INT32 = (-(2**31), 2**31 - 1)


# ----------------------------------------------------------------------------------- types


@dataclass(frozen=True)
class ArrayT:
    element: HType


@dataclass(frozen=True)
class StructT:
    fields: tuple[tuple[str, HType], ...]


HType: TypeAlias = "str | ArrayT | StructT"
_NUMERIC = ("tinyint", "smallint", "int", "bigint", "float", "double")


def render(t: HType | None) -> str:
    """A Hive type string, as Glue writes it in a column's Type."""
    if t is None:
        return "string"
    if isinstance(t, ArrayT):
        return f"array<{render(t.element)}>"
    if isinstance(t, StructT):
        if not t.fields:
            return "string"
        return "struct<" + ",".join(f"{n}:{render(v)}" for n, v in t.fields) + ">"
    return t


def widen(a: HType | None, b: HType | None) -> HType | None:
    """The type that holds values of both: numbers widen (int < bigint < double), arrays and
    structs merge element- and field-wise, anything else becomes string. None means "only nulls"."""
    if a is None:
        return b
    if b is None or a == b:
        return a
    if isinstance(a, str) and isinstance(b, str) and a in _NUMERIC and b in _NUMERIC:
        if "double" in (a, b) or "float" in (a, b):
            return "double"
        return a if _NUMERIC.index(a) > _NUMERIC.index(b) else b
    if isinstance(a, ArrayT) and isinstance(b, ArrayT):
        return ArrayT(widen(a.element, b.element) or "string")
    if isinstance(a, StructT) and isinstance(b, StructT):
        return StructT(_merge_fields(a.fields, b.fields))
    return "string"


def _merge_fields(
    a: Sequence[tuple[str, HType | None]], b: Sequence[tuple[str, HType | None]]
) -> tuple[tuple[str, HType], ...]:
    merged: dict[str, HType | None] = dict(a)
    for name, t in b:
        merged[name] = widen(merged[name], t) if name in merged else t
    return tuple((n, t if t is not None else "string") for n, t in merged.items())


def csv_value_type(value: str) -> str | None:
    """Glue's CSV type of one value: None for an empty value, then boolean, bigint, double, string."""
    if value == "":
        return None
    if value.lower() in ("true", "false"):
        return "boolean"
    if _INT.match(value):
        return "bigint" if _INT64[0] <= int(value) <= _INT64[1] else "double"
    if _FLOAT.match(value):
        return "double"
    return "string"


def json_value_type(value: Any) -> HType | None:
    """Glue's JSON type of one value (int for 32-bit integers, as Glue's JSON tables show)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        if _INT32[0] <= value <= _INT32[1]:
            return "int"
        return "bigint" if _INT64[0] <= value <= _INT64[1] else "double"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        element: HType | None = None
        for item in value:
            element = widen(element, json_value_type(item))
        return ArrayT(element if element is not None else "string")
    if isinstance(value, dict):
        return StructT(_merge_fields([], [(str(k), json_value_type(v)) for k, v in value.items()]))
    return "string"


# ----------------------------------------------------------------------------- file schemas


@dataclass(frozen=True)
class Column:
    name: str
    type: HType | None


@dataclass(frozen=True)
class CsvFormat:
    delimiter: str
    quote: str
    header: bool
    quoted: bool  # some value was quoted: OpenCSVSerde

    @property
    def serde(self) -> str:
        return OPEN_CSV_SERDE if self.quoted else LAZY_SIMPLE_SERDE


@dataclass(frozen=True)
class FileSchema:
    """What a classifier found in one object (or, merged, in several)."""

    classification: str  # csv | json | parquet
    compression: str  # none | gzip | bzip2
    columns: tuple[Column, ...]
    csv: CsvFormat | None = None
    records: int = 0  # records read
    record_bytes: int = 0  # uncompressed bytes those records took
    complete: bool = True  # the whole object was read
    classifier: str | None = None  # the custom classifier that recognised it

    def compatible(self, other: FileSchema) -> bool:
        """Glue's "data compatibility": same format, compression and, for CSV, delimiter and header."""
        if (self.classification, self.compression) != (other.classification, other.compression):
            return False
        if self.csv and other.csv:
            return (self.csv.delimiter, self.csv.header) == (other.csv.delimiter, other.csv.header)
        return True

    def similar(self, other: FileSchema) -> bool:
        """Column names at least 70 % alike (shared / all)."""
        a, b = {c.name for c in self.columns}, {c.name for c in other.columns}
        return not (a | b) or len(a & b) / len(a | b) >= SIMILARITY


def merge(a: FileSchema, b: FileSchema) -> FileSchema:
    """One schema for compatible files: columns in order of first appearance, types widened."""
    columns = _merge_fields([(c.name, c.type) for c in a.columns], [(c.name, c.type) for c in b.columns])
    fmt = a.csv
    if a.csv and b.csv:
        fmt = replace(a.csv, quoted=a.csv.quoted or b.csv.quoted)
    return replace(
        a,
        columns=tuple(Column(n, t) for n, t in columns),
        csv=fmt,
        records=a.records + b.records,
        record_bytes=a.record_bytes + b.record_bytes,
        complete=a.complete and b.complete,
    )


@dataclass(frozen=True)
class CsvClassifierSpec:
    """A custom CSV classifier, as GetClassifier returns it under `CsvClassifier`."""

    name: str
    delimiter: str = ","
    quote_symbol: str = '"'
    contains_header: str = "UNKNOWN"  # PRESENT | ABSENT | UNKNOWN
    header: tuple[str, ...] = ()
    allow_single_column: bool = False
    disable_value_trimming: bool = False
    serde: str | None = None  # OpenCSVSerDe | LazySimpleSerDe | None

    @staticmethod
    def from_api(spec: Mapping[str, Any]) -> CsvClassifierSpec:
        return CsvClassifierSpec(
            name=str(spec["Name"]),
            delimiter=spec.get("Delimiter") or ",",
            quote_symbol=spec.get("QuoteSymbol") or '"',
            contains_header=spec.get("ContainsHeader") or "UNKNOWN",
            header=tuple(spec.get("Header") or ()),
            allow_single_column=bool(spec.get("AllowSingleColumn", False)),
            disable_value_trimming=bool(spec.get("DisableValueTrimming", False)),
            serde=spec.get("Serde") if spec.get("Serde") not in (None, "None") else None,
        )


@dataclass(frozen=True)
class Classified:
    schema: FileSchema | None
    note: str = ""  # why it is None: "empty", "UNKNOWN ..."


def decompress(data: bytes) -> tuple[str, bytes]:
    """Compression by magic bytes (Glue sniffs content, not names): gzip, bzip2, or none."""
    if data[:2] == b"\x1f\x8b":
        return "gzip", _bounded(gzip.GzipFile(fileobj=io.BytesIO(data)))
    if data[:3] == b"BZh":
        return "bzip2", _bounded(bz2.BZ2File(io.BytesIO(data)))
    return "none", data


def _bounded(stream: Any) -> bytes:
    try:
        chunk: bytes = stream.read(READ_BYTES_MAX)
        return chunk
    except (OSError, EOFError):  # truncated stream: what could be read
        return b""


def classify(data: bytes, classifiers: Sequence[CsvClassifierSpec] = ()) -> Classified:
    """Classify one object's bytes: custom CSV classifiers in order, then Parquet, JSON, CSV."""
    if not data.strip():
        return Classified(None, "empty")
    if data[:4] == b"PAR1" and data[-4:] == b"PAR1":
        return _parquet(data)
    compression, raw = decompress(data)
    truncated = len(raw) >= READ_BYTES_MAX
    text = raw.decode("utf-8", errors="replace").lstrip("\ufeff")
    if not text.strip():
        return Classified(None, "empty")
    for spec in classifiers:
        found = custom_csv(text, spec)
        if found is not None:
            return Classified(
                replace(found, compression=compression, complete=found.complete and not truncated, classifier=spec.name)
            )
    found = json_schema(text)
    if found is None:
        found = builtin_csv(text)
    if found is None:
        return Classified(None, "UNKNOWN: no classifier recognised the data")
    return Classified(replace(found, compression=compression, complete=found.complete and not truncated))


def _parquet(data: bytes) -> Classified:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(pa.BufferReader(data))
    except (ValueError, OSError) as error:  # a broken footer (ArrowInvalid): Glue cannot read it either
        return Classified(None, f"UNKNOWN: unreadable Parquet ({error})")
    columns = tuple(Column(f.name.lower(), arrow_type(f.type)) for f in pf.schema_arrow)
    rows = pf.metadata.num_rows
    return Classified(FileSchema("parquet", "none", columns, records=rows, record_bytes=len(data) if rows else 0))


def arrow_type(t: Any) -> HType:
    """A pyarrow type as Glue writes the Parquet column's type."""
    import pyarrow as pa
    import pyarrow.types as pt

    scalars: list[tuple[Callable[[Any], bool], str]] = [
        (pt.is_boolean, "boolean"),
        (pt.is_int8, "tinyint"),
        (pt.is_int16, "smallint"),
        (pt.is_int32, "int"),
        (pt.is_int64, "bigint"),
        (pt.is_uint8, "smallint"),
        (pt.is_uint16, "int"),
        (pt.is_uint32, "bigint"),
        (pt.is_uint64, "bigint"),
        (pt.is_float16, "float"),
        (pt.is_float32, "float"),
        (pt.is_float64, "double"),
        (pt.is_string, "string"),
        (pt.is_large_string, "string"),
        (pt.is_binary, "binary"),
        (pt.is_large_binary, "binary"),
        (pt.is_date, "date"),
        (pt.is_timestamp, "timestamp"),
    ]
    for test, name in scalars:
        if test(t):
            return name
    if pt.is_decimal(t):
        return f"decimal({t.precision},{t.scale})"
    if pt.is_list(t) or pt.is_large_list(t):
        return ArrayT(arrow_type(t.value_type))
    if pt.is_struct(t):
        return StructT(tuple((t.field(i).name, arrow_type(t.field(i).type)) for i in range(t.num_fields)))
    if pt.is_map(t):
        return f"map<{render(arrow_type(t.key_type))},{render(arrow_type(t.item_type))}>"
    if isinstance(t, pa.DictionaryType):
        return arrow_type(t.value_type)
    return "string"


def json_schema(text: str) -> FileSchema | None:
    """JSON: one or more JSON objects (JSON lines, or concatenated), or one top-level array. None
    when something in the first megabyte is not JSON."""
    if text.lstrip()[:1] not in ("{", "["):
        return None
    decoder = json.JSONDecoder()
    limit = READ_BYTES
    while True:
        values, consumed, complete = _json_values(decoder, text, limit)
        if values is None:
            return None
        if values or limit >= READ_BYTES_MAX or complete:
            break
        limit += READ_BYTES
    if not values:
        return None
    if len(values) == 1 and isinstance(values[0], list):
        element: HType | None = None
        for item in values[0]:
            element = widen(element, json_value_type(item))
        return FileSchema(
            "json",
            "none",
            (Column("array", ArrayT(element or "string")),),
            records=1,
            record_bytes=consumed,
            complete=complete,
        )
    if not all(isinstance(v, dict) for v in values):
        return None
    fields: tuple[tuple[str, HType], ...] = ()
    for value in values:
        fields = _merge_fields(fields, [(str(k).lower(), json_value_type(v)) for k, v in value.items()])
    return FileSchema(
        "json",
        "none",
        tuple(Column(n, t) for n, t in fields),
        records=len(values),
        record_bytes=consumed,
        complete=complete,
    )


def _json_values(decoder: json.JSONDecoder, text: str, limit: int) -> tuple[list[Any] | None, int, bool]:
    """The JSON values that start within `limit` characters; None if something there is not JSON.
    A value cut at the limit is not counted (the crawler reads a prefix of the object)."""
    values: list[Any] = []
    pos, end = 0, len(text)
    while True:
        while pos < end and text[pos] in " \t\r\n":
            pos += 1
        if pos >= end:
            return values, pos, True
        if pos >= limit:
            return values, pos, False
        try:
            value, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError:
            if end > limit and pos < limit and _unfinished(text, pos, decoder):
                return values, pos, False
            return None, pos, False
        values.append(value)


def _unfinished(text: str, pos: int, decoder: json.JSONDecoder) -> bool:
    """The value at pos runs past the read limit (it parses once the whole object is available)."""
    try:
        decoder.raw_decode(text, pos)
        return True
    except json.JSONDecodeError:
        return False


def _csv_rows(text: str, delimiter: str, quote: str) -> tuple[list[list[str]], int, int, bool]:
    """The first 1000 records within the first megabyte: the rows, the characters they take, the
    characters the first row takes, and whether that was the whole text."""
    head = text[:READ_BYTES]
    if len(text) > READ_BYTES and "\n" in head:
        head = head[: head.rfind("\n") + 1]
    pulled = 0

    def lines() -> Iterable[str]:
        nonlocal pulled
        for line in io.StringIO(head, newline=""):
            pulled += len(line)
            yield line

    rows: list[list[str]] = []
    first = 0
    for row in csv.reader(lines(), delimiter=delimiter, quotechar=quote, strict=False):
        if not row:
            continue
        rows.append(row)
        if len(rows) == 1:
            first = pulled
        if len(rows) >= CSV_MAX_RECORDS:
            break
    whole = pulled >= len(text)
    return rows, pulled, first, whole


def _quoted(text: str, delimiter: str, quote: str) -> bool:
    pattern = re.compile(rf"(^|{re.escape(delimiter)})[ \t]*{re.escape(quote)}", re.MULTILINE)
    return bool(pattern.search(text[:READ_BYTES]))


def _column_type(rows: Sequence[Sequence[str]], index: int, trim: bool) -> str | None:
    found: HType | None = None
    for row in rows:
        value = row[index] if index < len(row) else ""
        found = widen(found, csv_value_type(value.strip() if trim else value))
    return found if isinstance(found, str) or found is None else "string"


def looks_like_header(rows: Sequence[Sequence[str]], trim: bool = True) -> bool:
    """Glue's built-in CSV header rules, on the first row and the rows after it."""
    if len(rows) < 2:
        return False
    first, data = rows[0], rows[1:]
    width = len(first)
    last_empty = all((r[-1] if r else "") == "" for r in rows)
    for i, cell in enumerate(first):
        value = cell.strip() if trim else cell
        is_last = i == width - 1
        if value == "" and not (is_last and last_empty):
            return False
        if csv_value_type(value) not in (None, "string"):
            return False
        if not is_last and len(value) >= HEADER_CELL_MAX:
            return False
        if len(value) > COLUMN_NAME_MAX or not _COLUMN_NAME.match(value):
            return False
    return any(_column_type(data, i, trim) not in (None, "string") for i in range(width))


def _csv_schema(
    rows: list[list[str]],
    consumed: int,
    first: int,
    whole: bool,
    delimiter: str,
    quote: str,
    quoted: bool,
    header: bool,
    names: Sequence[str],
    trim: bool,
) -> FileSchema:
    width = len(rows[0])
    data = rows[1:] if header else rows
    if names:
        labels = [n.strip().lower() for n in names]
    elif header:
        labels = [c.strip().lower() if c.strip() else f"col{i}" for i, c in enumerate(rows[0])]
    else:
        labels = [f"col{i}" for i in range(width)]
    columns = tuple(Column(labels[i], _column_type(data, i, trim)) for i in range(width))
    return FileSchema(
        "csv",
        "none",
        columns,
        CsvFormat(delimiter, quote, header, quoted),
        records=len(data),
        record_bytes=consumed - first if header else consumed,
        complete=whole,
    )


def builtin_csv(text: str) -> FileSchema | None:
    """Glue's built-in CSV classifier: the first delimiter (, | tab ; ^A) that splits every row
    into the same number (two or more) of fields, over at least two rows."""
    for delimiter in CSV_DELIMITERS:
        if delimiter not in text[:READ_BYTES]:
            continue
        rows, consumed, first, whole = _csv_rows(text, delimiter, '"')
        if len(rows) < 2 or len(rows[0]) < 2 or any(len(r) != len(rows[0]) for r in rows):
            continue
        header = looks_like_header(rows)
        return _csv_schema(
            rows, consumed, first, whole, delimiter, '"', _quoted(text, delimiter, '"'), header, (), True
        )
    return None


def custom_csv(text: str, spec: CsvClassifierSpec) -> FileSchema | None:
    """A custom CSV classifier: certainty 1.0 when its delimiter splits every row into the same
    number of fields (two or more, or one with AllowSingleColumn, and as many as `Header` names)."""
    rows, consumed, first, whole = _csv_rows(text, spec.delimiter, spec.quote_symbol)
    if not rows:
        return None
    width = len(rows[0])
    if any(len(r) != width for r in rows) or (width < 2 and not spec.allow_single_column):
        return None
    if spec.header and len(spec.header) != width:
        return None
    trim = not spec.disable_value_trimming
    if spec.contains_header == "PRESENT":
        header = True
    elif spec.contains_header == "ABSENT":
        header = False
    else:
        header = looks_like_header(rows, trim)
    if spec.serde == "OpenCSVSerDe":
        quoted = True
    elif spec.serde == "LazySimpleSerDe":
        quoted = False
    else:
        quoted = _quoted(text, spec.delimiter, spec.quote_symbol)
    return _csv_schema(
        rows, consumed, first, whole, spec.delimiter, spec.quote_symbol, quoted, header, spec.header, trim
    )


# ------------------------------------------------------------------------- include/exclude


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A Glue exclude pattern as a regular expression over keys relative to the include path:
    `*` within a folder, `**` across folders, `?` one character, `[...]`/`[!...]` a set, `{a,b}`
    alternatives, backslash escapes."""
    out: list[str] = []
    i, n, depth = 0, len(pattern), 0
    while i < n:
        ch = pattern[i]
        if ch == "\\" and i + 1 < n:
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if ch == "*":
            if pattern[i : i + 2] == "**":
                out.append(".*")
                i += 2
            else:
                out.append("[^/]*")
                i += 1
            continue
        if ch == "?":
            out.append("[^/]")
        elif ch == "[":
            close = pattern.find("]", i + 2)
            if close == -1:
                out.append(re.escape(ch))
            else:
                body = pattern[i + 1 : close]
                negate = body.startswith("!")
                members = _bracket(body[1:] if negate else body)
                out.append(f"[{'^' if negate else ''}{members}]" if members else ("[^/]" if negate else "(?!)"))
                i = close + 1
                continue
        elif ch == "{":
            out.append("(?:")
            depth += 1
        elif ch == "}" and depth:
            out.append(")")
            depth -= 1
        elif ch == "," and depth:
            out.append("|")
        else:
            out.append(re.escape(ch))
        i += 1
    return re.compile("".join(out) + ")" * depth + r"\Z", re.DOTALL)


def _bracket(body: str) -> str:
    """A bracket expression's members as a regex set: ranges `a-z` (a reversed range matches
    nothing), every other character literal (`*`, `?` and `\\` match themselves)."""
    members: list[str] = []
    i = 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            low, high = body[i], body[i + 2]
            if low <= high:
                members.append(f"{re.escape(low)}-{re.escape(high)}")
            i += 3
            continue
        members.append(re.escape(body[i]))
        i += 1
    return "".join(members)


def excluded(relative_key: str, patterns: Sequence[str]) -> bool:
    for pattern in (p.strip() for p in patterns):
        if not pattern:
            continue
        try:
            if glob_regex(pattern).match(relative_key):
                return True
        except re.error:  # a pattern Glue would refuse: it excludes nothing
            continue
    return False


# ----------------------------------------------------------------------------------- names


def glue_name(text: str) -> str:
    """A catalog name as Glue makes it: lowercase, every character outside [a-z0-9_] becomes `_`."""
    return re.sub(r"[^a-z0-9_]", "_", text.lower())


def parse_s3_path(path: str) -> tuple[str, str]:
    """`s3://bucket/prefix` -> (bucket, prefix); the prefix keeps what the path says."""
    rest = path.removeprefix("s3://")
    bucket, _, prefix = rest.partition("/")
    return bucket, prefix


def role_name(role: str) -> str:
    """The role's name with its path, as Glue uses it in log group names (`service-role/x`)."""
    if ":role/" in role:
        return role.split(":role/", 1)[1]
    return role


def log_group(role: str, security_configuration: str | None) -> str:
    """Glue's crawler log group: /aws-glue/crawlers, or with a security configuration (which
    encrypts the logs) /aws-glue/crawlers-role/<role name>-<security configuration name>."""
    if security_configuration:
        return f"/aws-glue/crawlers-role/{role_name(role)}-{security_configuration}"
    return "/aws-glue/crawlers"


# ------------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class Target:
    path: str
    exclusions: tuple[str, ...] = ()
    sample_size: int | None = None

    @property
    def bucket(self) -> str:
        return parse_s3_path(self.path)[0]

    @property
    def prefix(self) -> str:
        return parse_s3_path(self.path)[1]


@dataclass(frozen=True)
class Settings:
    """The parts of a crawler's definition that decide what a crawl writes."""

    crawler: str
    database: str
    targets: tuple[Target, ...] = ()
    classifiers: tuple[CsvClassifierSpec, ...] = ()
    table_prefix: str = ""
    update_behavior: str = "UPDATE_IN_DATABASE"
    delete_behavior: str = "DEPRECATE_IN_DATABASE"
    recrawl_behavior: str = "CRAWL_EVERYTHING"
    table_level: int | None = None
    combine_compatible_schemas: bool = False
    partitions_inherit_from_table: bool = False
    merge_new_columns: bool = False
    create_partition_index: bool = True
    role: str = ""

    @property
    def new_folders_only(self) -> bool:
        return self.recrawl_behavior in ("CRAWL_NEW_FOLDERS_ONLY", "CRAWL_EVENT_MODE")

    @property
    def effective_update(self) -> str:
        return "LOG" if self.new_folders_only else self.update_behavior

    @property
    def effective_delete(self) -> str:
        return "LOG" if self.new_folders_only else self.delete_behavior

    @staticmethod
    def from_crawler(
        name: str,
        database: str,
        targets: Mapping[str, Any] | None,
        classifiers: Sequence[CsvClassifierSpec],
        table_prefix: str | None,
        schema_change_policy: Mapping[str, Any] | None,
        recrawl_policy: Mapping[str, Any] | None,
        configuration: str | None,
        role: str,
    ) -> Settings:
        """From the crawler as CreateCrawler stores it (moto keeps the request's shapes)."""
        config = _configuration(configuration)
        grouping = config.get("Grouping") or {}
        output = config.get("CrawlerOutput") or {}
        level = grouping.get("TableLevelConfiguration")
        policy = schema_change_policy or {}
        return Settings(
            crawler=name,
            database=database,
            targets=tuple(
                Target(t["Path"], tuple(t.get("Exclusions") or ()), t.get("SampleSize"))
                for t in (targets or {}).get("S3Targets") or []
            ),
            classifiers=tuple(classifiers),
            table_prefix=(table_prefix or "").lower(),
            update_behavior=policy.get("UpdateBehavior") or "UPDATE_IN_DATABASE",
            delete_behavior=policy.get("DeleteBehavior") or "DEPRECATE_IN_DATABASE",
            recrawl_behavior=(recrawl_policy or {}).get("RecrawlBehavior") or "CRAWL_EVERYTHING",
            table_level=int(level) if level else None,
            combine_compatible_schemas=grouping.get("TableGroupingPolicy") == "CombineCompatibleSchemas",
            partitions_inherit_from_table=(
                (output.get("Partitions") or {}).get("AddOrUpdateBehavior") == "InheritFromTable"
            ),
            merge_new_columns=(output.get("Tables") or {}).get("AddOrUpdateBehavior") == "MergeNewColumns",
            create_partition_index=bool(config.get("CreatePartitionIndex", True)),
            role=role or "",
        )


def _configuration(configuration: str | None) -> dict[str, Any]:
    if not configuration:
        return {}
    try:
        parsed = json.loads(configuration)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


# -------------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class S3Object:
    key: str
    size: int
    read: Callable[[], bytes] = field(compare=False, repr=False)


class Unreadable(Exception):
    """An object the crawl may not read (its role is denied s3:GetObject): `line` is Glue's log line;
    the file is left out of every table and the crawl goes on, as Glue's does."""

    def __init__(self, line: str) -> None:
        super().__init__(line)
        self.line = line


@dataclass(frozen=True)
class CrawledFile:
    key: str
    size: int
    schema: FileSchema | None  # None: not classified (see note) or not read (sampled out)
    note: str = ""

    @property
    def sampled_out(self) -> bool:
        return self.note == "sampled out"


def folder_of(key: str) -> str:
    return key[: key.rfind("/") + 1]


def select(target: Target, objects: Iterable[S3Object]) -> tuple[list[S3Object], list[str]]:
    """The objects a target crawls (in key order), and log lines for what it leaves out."""
    prefix = target.prefix
    chosen: list[S3Object] = []
    notes: list[str] = []
    for obj in sorted(objects, key=lambda o: o.key):
        if obj.key.endswith("/"):
            continue
        if prefix and not (obj.key == prefix or obj.key.startswith(prefix if prefix.endswith("/") else prefix + "/")):
            continue
        relative = obj.key[len(prefix) :].lstrip("/") if obj.key != prefix else obj.key.rsplit("/", 1)[-1]
        if target.exclusions and excluded(relative, target.exclusions):
            notes.append(f"INFO : Excluded s3://{target.bucket}/{obj.key} (exclude patterns {list(target.exclusions)})")
            continue
        chosen.append(obj)
    return chosen, notes


def read_objects(
    target: Target,
    objects: Sequence[S3Object],
    classifiers: Sequence[CsvClassifierSpec],
    remembered: Mapping[str, Sequence[CrawledFile]] | None = None,
) -> tuple[list[CrawledFile], list[str]]:
    """Classify the target's objects: at most SampleSize per leaf folder are read (the first in key
    order); the folders in `remembered` (earlier crawls, for CRAWL_NEW_FOLDERS_ONLY) are not read."""
    by_folder: dict[str, list[S3Object]] = {}
    for obj in objects:
        by_folder.setdefault(folder_of(obj.key), []).append(obj)
    crawled: list[CrawledFile] = []
    notes: list[str] = []
    for folder, members in by_folder.items():
        uri = f"s3://{target.bucket}/{folder}"
        if remembered is not None and uri in remembered:
            crawled.extend(remembered[uri])
            continue
        for i, obj in enumerate(members):
            if target.sample_size is not None and i >= target.sample_size:
                crawled.append(CrawledFile(obj.key, obj.size, None, "sampled out"))
                continue
            try:
                data = obj.read()
            except Unreadable as denied:
                notes.append(denied.line)
                crawled.append(CrawledFile(obj.key, obj.size, None, "unreadable"))
                continue
            result = classify(data, classifiers)
            if result.schema is None:
                notes.append(f"INFO : Skipped s3://{target.bucket}/{obj.key}: {result.note}")
            crawled.append(CrawledFile(obj.key, obj.size, result.schema, result.note))
    return crawled, notes


# ------------------------------------------------------------------------------- grouping


@dataclass(frozen=True)
class Leaf:
    parts: tuple[str, ...]  # folder names below the table's root
    files: tuple[CrawledFile, ...]
    schema: FileSchema


@dataclass(frozen=True)
class TableSpec:
    """A table the crawl found: where it is, its schema, and its partitions (leaf folders)."""

    name: str
    bucket: str
    root: str  # key prefix of the table's folder ("" = the bucket), or the key of a one-object table
    schema: FileSchema
    leaves: tuple[Leaf, ...]
    partition_keys: tuple[str, ...]
    target: Target
    single_object: bool = False

    @property
    def location(self) -> str:
        return f"s3://{self.bucket}/{self.root}"

    def partition_location(self, leaf: Leaf) -> str:
        return self.location + "".join(f"{p}/" for p in leaf.parts)

    @staticmethod
    def partition_values(leaf: Leaf) -> list[str]:
        return [p.split("=", 1)[1] if "=" in p else p for p in leaf.parts]


@dataclass
class _Group:
    schema: FileSchema
    leaves: list[Leaf]
    depth: int


@dataclass
class _Folder:
    prefix: str
    files: list[CrawledFile] = field(default_factory=list)
    children: dict[str, _Folder] = field(default_factory=dict)


@dataclass
class Grouping:
    tables: list[TableSpec] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _clusters(units: Sequence[tuple[FileSchema, Any]], combine: bool) -> list[tuple[FileSchema, list[Any]]]:
    """Group schemas: a unit joins the first cluster it is compatible (and, unless combining,
    similar) with."""
    clusters: list[tuple[FileSchema, list[Any]]] = []
    for schema, item in units:
        for i, (merged, members) in enumerate(clusters):
            if merged.compatible(schema) and (combine or merged.similar(schema)):
                clusters[i] = (merge(merged, schema), [*members, item])
                break
        else:
            clusters.append((schema, [item]))
    return clusters


def _majority(clusters: Sequence[tuple[FileSchema, list[Any]]], total: int) -> int | None:
    """Index of the cluster holding more than 70 % of the units, if one does."""
    if not clusters:
        return None
    best = max(range(len(clusters)), key=lambda i: len(clusters[i][1]))
    size = len(clusters[best][1])
    return best if size == total or size / total > SIMILARITY else None


def _tree(files: Sequence[CrawledFile], root: str) -> _Folder:
    top = _Folder(root)
    for f in files:
        node = top
        for part in f.key[len(root) :].split("/")[:-1]:
            node = node.children.setdefault(part, _Folder(node.prefix + part + "/"))
        node.files.append(f)
    return top


_SPLIT = "split"  # the folder became several tables
_EMPTY = "empty"  # nothing classified below the folder


class _Grouper:
    def __init__(self, target: Target, settings: Settings) -> None:
        self.target = target
        self.settings = settings
        self.out = Grouping()

    def uri(self, key: str) -> str:
        return f"s3://{self.target.bucket}/{key}"

    def table(self, name: str, root: str, group: _Group, single_object: bool = False) -> None:
        keys = _partition_keys([leaf.parts for leaf in group.leaves]) if group.depth else ()
        self.out.tables.append(
            TableSpec(
                name=name,
                bucket=self.target.bucket,
                root=root,
                schema=group.schema,
                leaves=tuple(group.leaves),
                partition_keys=keys,
                target=self.target,
                single_object=single_object,
            )
        )

    def file_table(self, f: CrawledFile) -> None:
        """A table for one object (files with differing schemas in one folder): named after the file."""
        assert f.schema is not None
        self.table(glue_name(f.key.rsplit("/", 1)[-1]), f.key, _Group(f.schema, [Leaf((), (f,), f.schema)], 0), True)

    def name_of(self, prefix: str) -> str:
        parts = [p for p in prefix.split("/") if p]
        return glue_name(parts[-1] if parts else self.target.bucket)

    def alike(self, a: FileSchema, b: FileSchema) -> bool:
        return a.compatible(b) and (self.settings.combine_compatible_schemas or a.similar(b))

    def direct(self, folder: _Folder) -> tuple[_Group | None, list[CrawledFile]]:
        """The folder's own files as one group, or (schemas too different) the files that each
        need a table of their own."""
        read = [f for f in folder.files if f.schema is not None]
        if not read:
            return None, []
        clusters = _clusters(
            [(f.schema, f) for f in read if f.schema is not None], self.settings.combine_compatible_schemas
        )
        best = _majority(clusters, len(read))
        if best is None:
            self.out.notes.append(
                f"INFO : Multiple tables are found under location {self.uri(folder.prefix)}: "
                "the files' schemas differ, one table per file"
            )
            return None, read
        schema, members = clusters[best]
        others = [f.key for f in read if f not in members]
        if others:
            self.out.notes.append(
                "INFO : Some files do not match the schema detected. Remove or exclude the following "
                f"files from the crawler: {', '.join(self.uri(k) for k in others)}"
            )
        keep = tuple(f for f in folder.files if f in members or f.sampled_out)
        return _Group(schema, [Leaf((), keep, schema)], 0), []

    def resolve(self, folder: _Folder) -> _Group | str:
        """The folder as one table whose sub-folders are partitions, or _SPLIT when it became
        several tables (emitted on the way), or _EMPTY."""
        own, per_file = self.direct(folder)
        for f in per_file:
            self.file_table(f)
        results = {name: self.resolve(child) for name, child in sorted(folder.children.items())}
        results = {n: r for n, r in results.items() if r != _EMPTY}
        if not results:
            return own if own is not None else (_SPLIT if per_file else _EMPTY)
        groups = {n: r for n, r in results.items() if isinstance(r, _Group)}
        if len(groups) < len(results) or per_file:
            return self.split(folder, own, groups)
        depths = [g.depth for g in groups.values()]
        depth = max(sorted(set(depths)), key=depths.count)
        units = [(g.schema, n) for n, g in groups.items() if g.depth == depth]
        clusters = _clusters(units, self.settings.combine_compatible_schemas)
        best = _majority(clusters, len(groups))  # folders at another depth count against the majority
        if best is None:
            return self.split(folder, own, groups)
        schema = clusters[best][0]
        members = list(clusters[best][1])
        for s, n in units:
            if n not in members and schema.compatible(s):
                schema = merge(schema, s)
                members.append(n)
        for n, g in groups.items():
            if n not in members:
                self.out.notes.append(
                    f"INFO : Folder {self.uri(folder.prefix + n + '/')} does not fit the table at "
                    f"{self.uri(folder.prefix)} (partition depth or format): a table of its own"
                )
                self.table(glue_name(n), folder.prefix + n + "/", g)
        leaves = [replace(leaf, parts=(n, *leaf.parts)) for n in sorted(members) for leaf in groups[n].leaves]
        if own is not None:
            if self.alike(own.schema, schema):
                schema = merge(schema, own.schema)
                self.out.notes.append(
                    f"INFO : Files directly under {self.uri(folder.prefix)} belong to the table "
                    "but to none of its partitions"
                )
            else:
                self.out.notes.append(
                    "INFO : Some files do not match the schema detected. Remove or exclude the "
                    f"following files from the crawler: {self.uri(folder.prefix)}*"
                )
        return _Group(schema, leaves, depth + 1)

    def split(self, folder: _Folder, own: _Group | None, groups: Mapping[str, _Group]) -> str:
        for name, g in groups.items():
            self.table(glue_name(name), folder.prefix + name + "/", g)
        if own is not None:
            self.table(self.name_of(folder.prefix), folder.prefix, own)
        return _SPLIT

    def by_level(self, files: Sequence[CrawledFile], root: str, level: int) -> None:
        """TableLevelConfiguration: tables at absolute level `level`, the bucket being level 1
        (never above the include path); every folder below a table's root is a partition level."""
        depth = max(level - 1, len([p for p in root.split("/") if p]))
        roots: dict[str, list[CrawledFile]] = {}
        shallow: dict[str, list[CrawledFile]] = {}
        for f in files:
            parts = f.key.split("/")[:-1]
            if len(parts) < depth:
                shallow.setdefault(folder_of(f.key), []).append(f)
            else:
                roots.setdefault("".join(p + "/" for p in parts[:depth]), []).append(f)
        for table_root, members in sorted(roots.items()):
            leaves = self.leaves(_tree(members, table_root), ())
            if not leaves:
                continue
            depths = [len(leaf.parts) for leaf in leaves]
            common = max(sorted(set(depths)), key=depths.count)
            schema: FileSchema | None = None
            kept: list[Leaf] = []
            for leaf in leaves:
                if len(leaf.parts) != common or (schema is not None and not schema.compatible(leaf.schema)):
                    self.out.notes.append(
                        "INFO : Folder partition keys do not match table partition keys, skipped "
                        f"folder: {self.uri(table_root + ''.join(p + '/' for p in leaf.parts))}"
                    )
                    continue
                schema = leaf.schema if schema is None else merge(schema, leaf.schema)
                kept.append(leaf)
            if schema is not None:
                self.table(self.name_of(table_root), table_root, _Group(schema, kept, common))
        for prefix, members in sorted(shallow.items()):
            own, per_file = self.direct(_Folder(prefix, members))
            if own is not None:
                self.table(self.name_of(prefix), prefix, own)
            for f in per_file:
                self.file_table(f)

    def leaves(self, folder: _Folder, parts: tuple[str, ...]) -> list[Leaf]:
        found: list[Leaf] = []
        own, per_file = self.direct(folder)
        if own is not None:
            found.append(replace(own.leaves[0], parts=parts))
        found += [Leaf(parts, (f,), f.schema) for f in per_file if f.schema is not None]
        for name, child in sorted(folder.children.items()):
            found += self.leaves(child, (*parts, name))
        return found


def _partition_keys(paths: Sequence[tuple[str, ...]]) -> tuple[str, ...]:
    """Hive `key=value` folder names give the key (the same at every folder of a level);
    anything else is `partition_<level>`."""
    if not paths:
        return ()
    keys: list[str] = []
    for i in range(len(paths[0])):
        names = {p[i].split("=", 1)[0] for p in paths if "=" in p[i]}
        hive = all("=" in p[i] for p in paths) and len(names) == 1
        keys.append(glue_name(names.pop()) if hive else f"partition_{i}")
    return tuple(keys)


def group(target: Target, files: Sequence[CrawledFile], settings: Settings) -> Grouping:
    """The tables of one target's crawled files."""
    grouper = _Grouper(target, settings)
    usable = [f for f in files if f.schema is not None or f.sampled_out]
    if not any(f.schema is not None for f in usable):
        return grouper.out
    prefix = target.prefix
    if prefix and not prefix.endswith("/") and [f.key for f in usable] == [prefix]:
        grouper.file_table(usable[0])
        return grouper.out
    root = prefix if not prefix or prefix.endswith("/") else prefix + "/"
    if settings.table_level:
        grouper.by_level(usable, root, settings.table_level)
        return grouper.out
    top = grouper.resolve(_tree(usable, root))
    if isinstance(top, _Group):
        grouper.table(grouper.name_of(root), root, top)
    return grouper.out


# ------------------------------------------------------------------------------ rendering


@dataclass(frozen=True)
class Stats:
    objects: int
    size: int
    records: int
    average_record_size: int


def stats(files: Sequence[CrawledFile], schema: FileSchema) -> Stats:
    """Glue's table statistics: objectCount and sizeKey count every object; recordCount is
    estimated from what was read (scaled to the object's size when only a part was read)."""
    size = sum(f.size for f in files)
    read = [f for f in files if f.schema is not None]
    record_bytes = sum(f.schema.record_bytes for f in read if f.schema)
    records_read = sum(f.schema.records for f in read if f.schema)
    average = record_bytes // records_read if records_read else 0
    records = 0
    for f in files:
        if f.schema is None:
            records += f.size // average if average else 0
        elif f.schema.complete or f.schema.classification == "parquet":
            records += f.schema.records
        else:
            records += math.ceil(f.schema.records * f.size / max(f.schema.record_bytes, 1))
    if schema.classification == "parquet" and records:
        average = size // records
    return Stats(len(files), size, records, average)


def _format_parameters(schema: FileSchema) -> dict[str, str]:
    params = {"classification": schema.classification, "compressionType": schema.compression, "typeOfData": "file"}
    if schema.csv is not None:
        params.update(
            {
                "delimiter": schema.csv.delimiter,
                "areColumnsQuoted": str(schema.csv.quoted).lower(),
                "columnsOrdered": "true",
            }
        )
        if schema.csv.header:
            params["skip.header.line.count"] = "1"
    return params


def serde(schema: FileSchema) -> dict[str, Any]:
    if schema.classification == "parquet":
        return {"SerializationLibrary": PARQUET_SERDE, "Parameters": {"serialization.format": "1"}}
    if schema.classification == "json":
        paths = ",".join(sorted(c.name for c in schema.columns))
        return {"SerializationLibrary": JSON_SERDE, "Parameters": {"paths": paths}}
    assert schema.csv is not None
    if schema.csv.quoted:
        return {
            "SerializationLibrary": OPEN_CSV_SERDE,
            "Parameters": {"separatorChar": schema.csv.delimiter, "quoteChar": schema.csv.quote},
        }
    return {"SerializationLibrary": LAZY_SIMPLE_SERDE, "Parameters": {"field.delim": schema.csv.delimiter}}


def storage_descriptor(
    schema: FileSchema, location: str, parameters: Mapping[str, str], columns: Sequence[Mapping[str, str]] | None = None
) -> dict[str, Any]:
    parquet = schema.classification == "parquet"
    return {
        "Columns": [dict(c) for c in columns]
        if columns is not None
        else [{"Name": c.name, "Type": render(c.type)} for c in schema.columns],
        "Location": location,
        "InputFormat": PARQUET_INPUT if parquet else TEXT_INPUT,
        "OutputFormat": PARQUET_OUTPUT if parquet else TEXT_OUTPUT,
        "Compressed": schema.compression != "none",
        "NumberOfBuckets": -1,
        "SerdeInfo": serde(schema),
        "BucketColumns": [],
        "SortColumns": [],
        "Parameters": dict(parameters),
        "StoredAsSubDirectories": False,
    }


@dataclass(frozen=True)
class RunInfo:
    """Who writes: the crawl's id, the account, and the clock (epoch milliseconds)."""

    crawl_id: str
    account_id: str
    now_ms: int


def table_input(spec: TableSpec, settings: Settings, run: RunInfo) -> dict[str, Any]:
    """The table as Glue's crawler writes it (a TableInput, plus the fields Glue sets itself)."""
    files = [f for leaf in spec.leaves for f in leaf.files]
    s = stats(files, spec.schema)
    params = {
        **_format_parameters(spec.schema),
        "recordCount": str(s.records),
        "averageRecordSize": str(s.average_record_size),
        "objectCount": str(s.objects),
        "sizeKey": str(s.size),
        "UPDATED_BY_CRAWLER": settings.crawler,
        "CRAWL_RUN_ID": run.crawl_id,
        "CrawlerSchemaSerializerVersion": "1.0",
        "CrawlerSchemaDeserializerVersion": "1.0",
    }
    if spec.target.exclusions:
        base = spec.target.path if spec.target.path.endswith("/") else spec.target.path + "/"
        params["exclusions"] = json.dumps([base + p for p in spec.target.exclusions])
    if spec.partition_keys and settings.create_partition_index:
        params["partition_filtering.enabled"] = "true"
    role = role_name(settings.role).rsplit("/", 1)[-1]
    return {
        "Name": spec.name,
        "Owner": "owner",
        "Retention": 0,
        "StorageDescriptor": storage_descriptor(spec.schema, spec.location, params),
        "PartitionKeys": [{"Name": k, "Type": "string"} for k in spec.partition_keys],
        "TableType": "EXTERNAL_TABLE",
        "Parameters": dict(params),
        "CreatedBy": f"arn:aws:sts::{run.account_id}:assumed-role/{role}/AWS-Crawler",
        "IsRegisteredWithLakeFormation": False,
    }


def partition_input(spec: TableSpec, leaf: Leaf, table: Mapping[str, Any], settings: Settings) -> dict[str, Any]:
    """A partition as the crawler writes it; with InheritFromTable its schema and formats are the
    table's (as it stands in the catalog after this crawl)."""
    s = stats(list(leaf.files), leaf.schema)
    own = leaf.schema
    params = {
        **_format_parameters(own),
        "recordCount": str(s.records),
        "averageRecordSize": str(s.average_record_size),
        "objectCount": str(s.objects),
        "sizeKey": str(s.size),
        "CrawlerSchemaSerializerVersion": "1.0",
        "CrawlerSchemaDeserializerVersion": "1.0",
    }
    location = spec.partition_location(leaf)
    if settings.partitions_inherit_from_table:
        sd = dict(copy_json(table["StorageDescriptor"]))
        sd["Location"] = location
        sd["Parameters"] = {**sd.get("Parameters", {}), **params}
    else:
        sd = storage_descriptor(own, location, params)
    return {"Values": TableSpec.partition_values(leaf), "StorageDescriptor": sd, "Parameters": params}


def copy_json(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


# ----------------------------------------------------------------------------- catalog diff


@dataclass(frozen=True)
class ExistingTable:
    """A table as the catalog holds it: its current TableInput-like dict and its partitions."""

    table: Mapping[str, Any]
    partitions: Mapping[tuple[str, ...], Mapping[str, Any]] = field(default_factory=dict)

    @property
    def location(self) -> str:
        return str((self.table.get("StorageDescriptor") or {}).get("Location", ""))

    @property
    def parameters(self) -> Mapping[str, str]:
        return self.table.get("Parameters") or {}


@dataclass
class Plan:
    """What the crawl writes, in order, and what it tells: counts, log lines, events."""

    create_tables: list[dict[str, Any]] = field(default_factory=list)
    update_tables: list[dict[str, Any]] = field(default_factory=list)
    delete_tables: list[str] = field(default_factory=list)
    deprecate_tables: list[dict[str, Any]] = field(default_factory=list)
    create_partitions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    update_partitions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    delete_partitions: dict[str, list[list[str]]] = field(default_factory=dict)
    partition_indexes: dict[str, list[str]] = field(default_factory=dict)
    logs: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "tablesCreated": len(self.create_tables),
            "tablesUpdated": len(self.update_tables),
            "tablesDeleted": len(self.delete_tables) + len(self.deprecate_tables),
            "partitionsCreated": sum(len(v) for v in self.create_partitions.values()),
            "partitionsUpdated": sum(len(v) for v in self.update_partitions.values()),
            "partitionsDeleted": sum(len(v) for v in self.delete_partitions.values()),
        }


def _schema_view(table: Mapping[str, Any]) -> Any:
    """The parts of a table that make a schema change (not its statistics or run id)."""
    sd = table.get("StorageDescriptor") or {}
    params = {
        k: v
        for k, v in (table.get("Parameters") or {}).items()
        if k in ("classification", "compressionType", "delimiter", "areColumnsQuoted", "skip.header.line.count")
    }
    return (
        json.dumps(sd.get("Columns", [])),
        sd.get("InputFormat"),
        sd.get("OutputFormat"),
        json.dumps(sd.get("SerdeInfo", {}), sort_keys=True),
        json.dumps(table.get("PartitionKeys", [])),
        json.dumps(params, sort_keys=True),
    )


def _partition_view(partition: Mapping[str, Any]) -> Any:
    sd = partition.get("StorageDescriptor") or {}
    return (
        json.dumps(sd.get("Columns", [])),
        sd.get("InputFormat"),
        json.dumps(sd.get("SerdeInfo", {}), sort_keys=True),
        sd.get("Location"),
    )


def _unique_name(name: str, location: str, taken: Mapping[str, str]) -> str:
    """Glue's answer to two tables with one name: the later location's name gets a hash."""
    if name not in taken or taken[name] == location:
        return name
    return f"{name}_{hashlib.md5(location.encode(), usedforsecurity=False).hexdigest()}"


def plan(
    specs: Sequence[TableSpec],
    existing: Mapping[str, ExistingTable],
    settings: Settings,
    run: RunInfo,
    crawled_prefixes: Sequence[str],
) -> Plan:
    """Diff what the crawl found against the catalog under the crawler's schema change policy.

    `crawled_prefixes` are the `s3://bucket/prefix/` roots the crawl listed (ending in `/`): a
    table this crawler wrote earlier whose location lies under one of them (or is the object one
    names) and that the crawl did not find again has lost its data."""
    out = Plan()
    db = settings.database
    update, delete = settings.effective_update, settings.effective_delete
    taken = {name: t.location for name, t in existing.items()}
    found: set[str] = set()
    for spec in specs:
        name = _unique_name(settings.table_prefix + spec.name, spec.location, taken)
        if name != settings.table_prefix + spec.name:
            out.logs.append(
                f"INFO : Table {settings.table_prefix + spec.name} already exists at another location; "
                f"the table for {spec.location} is named {name}"
            )
        taken[name] = spec.location
        found.add(name)
        spec = replace(spec, name=name)
        desired = table_input(spec, settings, run)
        current = existing.get(name)
        if current is None:
            out.create_tables.append(desired)
            out.logs.append(f"INFO : Created table {name} in database {db}")
            if spec.partition_keys and settings.create_partition_index:
                out.partition_indexes[name] = list(spec.partition_keys)
            table_now: Mapping[str, Any] = desired
            old_partitions: Mapping[tuple[str, ...], Mapping[str, Any]] = {}
        else:
            table_now = current.table
            old_partitions = current.partitions
            if settings.merge_new_columns:
                desired = _merge_new_columns(current.table, desired)
            if old_partitions and (current.table.get("PartitionKeys") or []) != desired["PartitionKeys"]:
                desired["PartitionKeys"] = list(current.table.get("PartitionKeys") or [])
            if _schema_view(current.table) != _schema_view(desired) or "DEPRECATED_BY_CRAWLER" in current.parameters:
                if update == "UPDATE_IN_DATABASE":
                    out.update_tables.append(desired)
                    table_now = desired
                    out.logs.append(f"INFO : Table {name} in database {db} has been updated with new schema")
                else:
                    out.logs.append(
                        f"INFO : Schema change detected for table {name} in database {db}; UpdateBehavior "
                        "is LOG, the table is left as it is"
                    )
        current_keys = [k["Name"] for k in table_now.get("PartitionKeys") or []]
        _plan_partitions(out, spec, table_now, current_keys, old_partitions, settings, update, delete)
    for name, current in sorted(existing.items()):
        if name in found or current.parameters.get("UPDATED_BY_CRAWLER") != settings.crawler:
            continue
        if not any(current.location.startswith(p) or current.location + "/" == p for p in crawled_prefixes):
            continue
        if delete == "DELETE_FROM_DATABASE":
            out.delete_tables.append(name)
            out.logs.append(f"INFO : Deleted table {name} in database {db}: its data is gone")
        elif delete == "DEPRECATE_IN_DATABASE":
            if "DEPRECATED_BY_CRAWLER" not in current.parameters:
                deprecated = copy_json(dict(current.table))
                mark = {"DEPRECATED_BY_CRAWLER": str(run.now_ms)}
                deprecated["Parameters"] = {**deprecated.get("Parameters", {}), **mark}
                deprecated.setdefault("StorageDescriptor", {})["Parameters"] = {
                    **deprecated["StorageDescriptor"].get("Parameters", {}),
                    **mark,
                }
                out.deprecate_tables.append(deprecated)
                out.logs.append(f"INFO : Table {name} in database {db} is marked deprecated: its data is gone")
        else:
            out.logs.append(f"INFO : Table {name} in database {db} has no data left; DeleteBehavior is LOG, it stays")
    return out


def _merge_new_columns(current: Mapping[str, Any], desired: dict[str, Any]) -> dict[str, Any]:
    old = list((current.get("StorageDescriptor") or {}).get("Columns") or [])
    names = {c["Name"] for c in old}
    merged = old + [c for c in desired["StorageDescriptor"]["Columns"] if c["Name"] not in names]
    desired["StorageDescriptor"]["Columns"] = merged
    return desired


def _plan_partitions(
    out: Plan,
    spec: TableSpec,
    table: Mapping[str, Any],
    keys: Sequence[str],
    old: Mapping[tuple[str, ...], Mapping[str, Any]],
    settings: Settings,
    update: str,
    delete: str,
) -> None:
    if not spec.partition_keys and not keys:
        return
    db, name = settings.database, spec.name
    seen: set[tuple[str, ...]] = set()
    created: list[dict[str, Any]] = []
    updated: list[dict[str, Any]] = []
    for leaf in spec.leaves:
        if list(spec.partition_keys) != list(keys):
            out.logs.append(
                "INFO : Folder partition keys do not match table partition keys, skipped folder: "
                f"{spec.partition_location(leaf)}"
            )
            continue
        desired = partition_input(spec, leaf, table, settings)
        values = tuple(desired["Values"])
        seen.add(values)
        if values not in old:
            created.append(desired)
        elif update == "UPDATE_IN_DATABASE" and _partition_view(old[values]) != _partition_view(desired):
            updated.append(desired)
    if created:
        out.create_partitions[name] = created
        out.logs.append(
            f"INFO : Created partitions with values {[p['Values'] for p in created]} for table {name} in database {db}"
        )
    if updated:
        out.update_partitions[name] = updated
        out.logs.append(
            f"INFO : Updated partitions with values {[p['Values'] for p in updated]} for table {name} in database {db}"
        )
    gone = [list(v) for v in old if v not in seen]
    if gone and not settings.new_folders_only:
        if delete == "DELETE_FROM_DATABASE":
            out.delete_partitions[name] = gone
            out.logs.append(
                f"INFO : Deleted partitions with values {gone} for table {name} in database {db}: their data is gone"
            )
        else:
            out.logs.append(
                f"INFO : Partitions with values {gone} of table {name} have no data left; "
                f"DeleteBehavior is {delete}, they stay"
            )


# ------------------------------------------------------------------------------- the record


def summary(p: Plan) -> str:
    """CrawlerHistory.Summary as Glue writes it: per entity and action, a JSON string with the
    names (tables) or values by table (partitions) and a count."""

    def entry(details: Mapping[str, Any], count: int) -> str:
        return json.dumps({"Details": details, "Count": count}, separators=(",", ":"))

    out: dict[str, dict[str, str]] = {}
    tables: dict[str, list[str]] = {
        "ADD": [t["Name"] for t in p.create_tables],
        "UPDATE": [t["Name"] for t in p.update_tables],
        "DELETE": p.delete_tables + [t["Name"] for t in p.deprecate_tables],
    }
    for action, names in tables.items():
        if names:
            out.setdefault("TABLE", {})[action] = entry({"names": names}, len(names))
    partitions: dict[str, Mapping[str, list[list[str]]]] = {
        "ADD": {t: [x["Values"] for x in v] for t, v in p.create_partitions.items()},
        "UPDATE": {t: [x["Values"] for x in v] for t, v in p.update_partitions.items()},
        "DELETE": p.delete_partitions,
    }
    for action, by_table in partitions.items():
        if by_table:
            details = {t: [",".join(v) for v in values] for t, values in by_table.items()}
            out.setdefault("PARTITION", {})[action] = entry(details, sum(len(v) for v in by_table.values()))
    return json.dumps(out, separators=(",", ":"))


def dpu_hours(elapsed_seconds: float) -> float:
    """Not Glue's accounting (unpublished): one DPU, billed per second with a ten-minute minimum."""
    return round(max(elapsed_seconds, 600.0) / 3600.0, 4)


def median_runtime(durations: Sequence[float]) -> float:
    return float(statistics.median(durations)) if durations else 0.0


def log_link(region: str, group: str, stream: str) -> str:
    return (
        f"https://console.aws.amazon.com/cloudwatch/home?region={region}#logEventViewer:group={group};stream={stream}"
    )


def crawler_state_detail(
    state: str,
    crawler: str,
    account_id: str,
    link: str,
    start_iso: str,
    end_iso: str | None = None,
    counts: Mapping[str, int] | None = None,
    running_seconds: int = 0,
    error: str | None = None,
) -> dict[str, str]:
    """The detail of a "Glue Crawler State Change" event, in the shapes of the EventBridge
    reference's examples (every value a string): Started, Succeeded (with the counts), Failed."""
    detail = {"crawlerName": crawler, "state": state, "message": f"Crawler {state}", "accountId": account_id}
    if state == "Started":
        detail["startTime"] = start_iso
        return detail
    detail["cloudWatchLogLink"] = link
    if state == "Failed":
        detail["errorMessage"] = error or "Internal Service Exception"
        return detail
    detail.update({k: str(v) for k, v in (counts or {}).items()})
    detail.update(
        {"runningTime (sec)": str(running_seconds), "completionDate": end_iso or start_iso, "warningMessage": "N/A"}
    )
    return detail


@dataclass(frozen=True)
class CatalogEvent:
    detail_type: str
    detail: dict[str, Any]
    resources: list[str]


def catalog_events(p: Plan, database: str, region: str, account_id: str) -> list[CatalogEvent]:
    """The Data Catalog's own events for what the crawl wrote (developer guide, "Automating AWS
    Glue with CloudWatch Events"): CreateTable and DeleteTable are "Glue Data Catalog Database
    State Change" with `changedTables`; UpdateTable, BatchCreatePartition and BatchDeletePartition
    are "Glue Data Catalog Table State Change" with `tableName` and `changedPartitions` (values
    joined by commas), at most 100 names per event."""

    def table_arn(name: str) -> str:
        return f"arn:aws:glue:{region}:{account_id}:table/{database}/{name}"

    events: list[CatalogEvent] = []

    def database_change(kind: str, names: Sequence[str]) -> None:
        for i in range(0, len(names), 100):
            chunk = list(names[i : i + 100])
            events.append(
                CatalogEvent(
                    "Glue Data Catalog Database State Change",
                    {"databaseName": database, "typeOfChange": kind, "changedTables": chunk},
                    [table_arn(n) for n in chunk],
                )
            )

    def table_change(kind: str, name: str, values: Sequence[Sequence[str]]) -> None:
        chunks = [list(values[i : i + 100]) for i in range(0, len(values), 100)] or [[]]
        for chunk in chunks:
            detail: dict[str, Any] = {"databaseName": database, "tableName": name, "typeOfChange": kind}
            if kind != "UpdateTable":
                detail["changedPartitions"] = [",".join(v) for v in chunk]
            events.append(CatalogEvent("Glue Data Catalog Table State Change", detail, [table_arn(name)]))

    database_change("CreateTable", [t["Name"] for t in p.create_tables])
    for t in p.update_tables + p.deprecate_tables:
        table_change("UpdateTable", t["Name"], [])
    for name, parts in p.create_partitions.items():
        table_change("BatchCreatePartition", name, [x["Values"] for x in parts])
    for name, values in p.delete_partitions.items():
        table_change("BatchDeletePartition", name, values)
    database_change("DeleteTable", p.delete_tables)
    return events
