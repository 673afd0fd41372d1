"""The Hive side of the local Athena: Glue column types as DuckDB types, and the rows of one data
file as read through the table's SerDe.

Athena reads a Hive table's files through the SerDe its StorageDescriptor names and turns each
field into the column's catalog type; a field that does not parse as that type is NULL (the text
SerDes never fail a query over a bad value). These functions do the same in two steps: a file
becomes raw fields (`read_text_rows`, `read_json_rows`, `read_parquet`), and `cast_sql` is the DuckDB
expression that turns a raw field into the column's type with Hive's rules.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

LAZY_SIMPLE = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"
OPEN_CSV = "org.apache.hadoop.hive.serde2.OpenCSVSerde"
OPENX_JSON = "org.openx.data.jsonserde.JsonSerDe"
HIVE_JSON = "org.apache.hive.hcatalog.data.JsonSerDe"
PARQUET = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"

# Hive's default delimiters (LazySerDeParameters.DefaultSeparators) and null marker.
DEFAULT_FIELD_DELIM = "\x01"
DEFAULT_COLLECTION_DELIM = "\x02"
DEFAULT_NULL_FORMAT = "\\N"
HIVE_DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__"


class UnsupportedFormat(ValueError):
    """The table's SerDe or input format is one the local engine does not read."""


# --- types -------------------------------------------------------------------------------------

_SCALARS = {
    "tinyint": "TINYINT",
    "smallint": "SMALLINT",
    "int": "INTEGER",
    "integer": "INTEGER",
    "bigint": "BIGINT",
    "float": "FLOAT",
    "real": "FLOAT",
    "double": "DOUBLE",
    "boolean": "BOOLEAN",
    "string": "VARCHAR",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "binary": "BLOB",
}


def _split_top(text: str, separator: str = ",") -> list[str]:
    """Split on `separator` outside <...> and (...)."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char in "<(":
            depth += 1
        elif char in ">)":
            depth -= 1
        if char == separator and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return [p for p in parts if p]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def duckdb_type(hive_type: str) -> str:
    """The DuckDB type of a Glue/Hive column type (`array<struct<a:int>>` -> `STRUCT("a" INTEGER)[]`).
    Unknown types read as VARCHAR."""
    text = hive_type.strip()
    lower = text.lower()
    if lower in _SCALARS:
        return _SCALARS[lower]
    if lower.startswith(("varchar", "char")):
        return "VARCHAR"
    if lower.startswith("decimal"):
        match = re.fullmatch(r"decimal\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)", lower)
        precision, scale = (int(match.group(1)), int(match.group(2) or 0)) if match else (10, 0)
        return f"DECIMAL({min(precision, 38)},{scale})"
    if lower.startswith("array<") and lower.endswith(">"):
        return f"{duckdb_type(text[6:-1])}[]"
    if lower.startswith("map<") and lower.endswith(">"):
        key, value = [*_split_top(text[4:-1]), "string", "string"][:2]
        return f"MAP({duckdb_type(key)}, {duckdb_type(value)})"
    if lower.startswith("struct<") and lower.endswith(">"):
        fields = []
        for field in _split_top(text[7:-1]):
            name, _, field_type = field.partition(":")
            fields.append(f"{_quote(name.strip().lower())} {duckdb_type(field_type)}")
        return f"STRUCT({', '.join(fields)})"
    return "VARCHAR"


_INTEGERS = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT")


def cast_sql(column: str, target: str, *, source: str, collection_delim: str = DEFAULT_COLLECTION_DELIM) -> str:
    """A DuckDB expression turning raw field `column` into `target` (a duckdb_type()).

    `source` is "text" (LazySimpleSerDe and OpenCSVSerde fields), "json" (scalars as text, nested
    values as JSON text) or "typed" (Parquet values). Hive's text rules: an integer column takes
    only an optional sign and digits (`1.5` is NULL, not 2); a boolean takes true/false in any
    case; anything that does not parse is NULL.
    """
    ref = _quote(column)
    if source == "typed":
        return f"TRY_CAST({ref} AS {target})"
    if target == "VARCHAR":
        return ref
    if target in _INTEGERS:
        return f"CASE WHEN regexp_full_match({ref}, '[+-]?[0-9]+') THEN TRY_CAST({ref} AS {target}) END"
    if target == "BOOLEAN":
        return f"CASE lower({ref}) WHEN 'true' THEN true WHEN 'false' THEN false END"
    if target.endswith("[]") or target.startswith(("MAP(", "STRUCT(")):
        if source == "json":
            return f"TRY_CAST(TRY_CAST({ref} AS JSON) AS {target})"
        if target.endswith("[]") and not target[:-2].endswith("]") and not target.startswith(("MAP(", "STRUCT(")):
            element = target[:-2]
            inner = cast_sql("x", element, source="text").replace('"x"', "x")
            delim = collection_delim.replace("'", "''")
            return f"list_transform(string_split({ref}, '{delim}'), x -> {inner})"
        return f"CAST(NULL AS {target})"
    return f"TRY_CAST(trim({ref}) AS {target})"


# --- files -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SerDe:
    """How a table's files are read: `kind` is "lazy", "opencsv", "json" or "parquet"."""

    kind: str
    parameters: Mapping[str, str]
    header_lines: int = 0

    @property
    def source(self) -> str:
        return {"json": "json", "parquet": "typed"}.get(self.kind, "text")

    @property
    def collection_delim(self) -> str:
        return _delimiter(
            self.parameters.get("collection.delim") or self.parameters.get("colelction.delim"), DEFAULT_COLLECTION_DELIM
        )


def _delimiter(value: str | None, default: str) -> str:
    """Hive's getByte: a number is a byte value ("1" is Ctrl-A, "44" a comma), else its first character."""
    if not value:
        return default
    if value.isdigit():
        return chr(int(value))
    return value[0]


def serde_of(storage: Mapping[str, Any], table_parameters: Mapping[str, str]) -> SerDe:
    """The SerDe of a StorageDescriptor (as Glue stores it), falling back on the table's classification."""
    serde_info = storage.get("SerdeInfo") or {}
    library = (serde_info.get("SerializationLibrary") or "").lower()
    parameters: dict[str, str] = {str(k): str(v) for k, v in (serde_info.get("Parameters") or {}).items()}
    input_format = (storage.get("InputFormat") or "").lower()
    classification = (table_parameters.get("classification") or "").lower()
    storage_parameters = storage.get("Parameters") or {}
    header = (
        table_parameters.get("skip.header.line.count")
        or storage_parameters.get("skip.header.line.count")
        or parameters.get("skip.header.line.count")
        or "0"
    )
    header_lines = int(header) if header.strip().isdigit() else 0
    if "parquet" in library or "parquet" in input_format or (not library and classification == "parquet"):
        return SerDe("parquet", parameters)
    if "json" in library or (not library and classification == "json"):
        return SerDe("json", parameters)
    if "opencsv" in library:
        return SerDe("opencsv", parameters, header_lines)
    if "lazysimple" in library or (not library and classification in ("csv", "tsv", "text", "")):
        return SerDe("lazy", parameters, header_lines)
    raise UnsupportedFormat(serde_info.get("SerializationLibrary") or input_format or classification)


def decompress(key: str, data: bytes) -> bytes:
    """Hadoop picks the codec by file extension; so does Athena."""
    if key.endswith(".gz"):
        return gzip.decompress(data)
    if key.endswith(".bz2"):
        return bz2.decompress(data)
    return data


def _lines(text: str) -> list[str]:
    """Hadoop's LineRecordReader: lines end with \\n, \\r or \\r\\n; no record after a final newline."""
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def read_text_rows(data: bytes, serde: SerDe, width: int) -> list[list[str | None]]:
    """Rows of `width` raw fields from a delimited text file (LazySimpleSerDe or OpenCSVSerde).

    Missing trailing fields are NULL and extra fields are dropped, as Hive does. LazySimpleSerDe
    does not know quotes; its null marker (serialization.null.format, `\\N`) is NULL.
    """
    text = data.decode("utf-8", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    params = serde.parameters
    rows: list[list[str | None]] = []
    if serde.kind == "opencsv":
        reader = csv.reader(
            io.StringIO(text, newline=""),
            delimiter=_delimiter(params.get("separatorChar"), ","),
            quotechar=_delimiter(params.get("quoteChar"), '"'),
            escapechar=_delimiter(params.get("escapeChar"), "\\"),
        )
        records: list[list[str]] = list(reader)[serde.header_lines :]
        for record in records:
            fields: list[str | None] = list(record[:width])
            rows.append(fields + [None] * (width - len(fields)))
        return rows
    delimiter = _delimiter(params.get("field.delim") or params.get("serialization.format"), DEFAULT_FIELD_DELIM)
    null_format = params.get("serialization.null.format", DEFAULT_NULL_FORMAT)
    escape = params.get("escape.delim")
    for line in _lines(text)[serde.header_lines :]:
        parts = _split_escaped(line, delimiter, escape[0]) if escape else line.split(delimiter)
        values: list[str | None] = [None if p == null_format else p for p in parts[:width]]
        rows.append(values + [None] * (width - len(values)))
    return rows


def _split_escaped(line: str, delimiter: str, escape: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(line):
        char = line[index]
        if char == escape and index + 1 < len(line):
            current.append(line[index + 1])
            index += 2
            continue
        if char == delimiter:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    parts.append("".join(current))
    return parts


class MalformedJson(ValueError):
    """A line of a JSON table that is not a JSON object (Athena fails the query: HIVE_CURSOR_ERROR)."""


def _json_field(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def read_json_rows(data: bytes, serde: SerDe, columns: Sequence[str]) -> list[list[str | None]]:
    """Rows of raw fields from a JSON-lines file. Keys match column names case-insensitively (both
    JSON SerDes lower-case keys); `mapping.<column>` renames a key (OpenX); a blank line is skipped;
    a malformed line is a row of NULLs with `ignore.malformed.json` = true, else MalformedJson."""
    ignore_malformed = serde.parameters.get("ignore.malformed.json", "false").lower() == "true"
    mapping = {k[len("mapping.") :].lower(): v.lower() for k, v in serde.parameters.items() if k.startswith("mapping.")}
    keys = [mapping.get(c.lower(), c.lower()) for c in columns]
    rows: list[list[str | None]] = []
    for line in _lines(data.decode("utf-8", errors="replace")):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("not an object")
        except ValueError as error:
            if ignore_malformed:
                rows.append([None] * len(columns))
                continue
            raise MalformedJson(f"Row is not a valid JSON Object - JSONException: {error}") from error
        lowered = {str(k).lower(): v for k, v in record.items()}
        rows.append([_json_field(lowered.get(key)) for key in keys])
    return rows


def read_parquet(data: bytes, columns: Sequence[str]) -> Any:
    """A pyarrow table with `columns` (matched case-insensitively; missing ones are null strings)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(data))
    by_name = {name.lower(): index for index, name in enumerate(table.column_names)}
    arrays, names = [], []
    for column in columns:
        index = by_name.get(column.lower())
        arrays.append(table.column(index) if index is not None else pa.nulls(table.num_rows, pa.string()))
        names.append(column)
    return pa.table(arrays, names=names)
