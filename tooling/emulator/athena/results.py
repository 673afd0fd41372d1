"""Query results in Athena's notation: column types and ColumnInfo, values as VarCharValue
strings, the result CSV and its `.csv.metadata` companion.

Athena (engine version 3, Trino) returns every value as a string in Trino's notation: doubles as
Java prints them (`1.5`, `1.0E20`), timestamps with milliseconds, arrays `[1, 2]`, maps `{k=1}`,
rows `{a=1, b=x}`, varbinary as spaced hex bytes; NULL has no VarCharValue. The result file is
a CSV in which every non-NULL value (the header too) is double-quoted with `"` doubled, NULL is an
empty field and every line ends with `\\n`. Beside it Athena writes `<file>.metadata`, a protobuf
message with the engine's query id (field 1) and one ColumnInfo per column (field 4: 1 catalog,
4 name, 5 label, 6 type, 7 precision, 8 scale, 9 nullable, 10 case sensitive), which Athena JDBC
drivers read instead of calling GetQueryResults.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import re
import struct
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# Precision of each Athena type in ColumnInfo (Trino JDBC's column display sizes).
_PRECISION = {
    "tinyint": 3,
    "smallint": 5,
    "integer": 10,
    "bigint": 19,
    "double": 17,
    "real": 17,
    "varchar": 2147483647,
    "timestamp": 3,
    "timestamp with time zone": 3,
    "time": 3,
    "varbinary": 1073741824,
}
# Which of precision (7), scale (8) and case-sensitive (10) the .metadata holds for a type.
_META_FIELDS = {
    "boolean": (False, False, True),
    "date": (False, True, True),
    "interval day to second": (False, False, True),
    "interval year to month": (False, False, True),
}
_COMPLEX = ("array", "map", "row", "json", "uuid", "ipaddress", "unknown")


@dataclass(frozen=True)
class Column:
    """One result column: its name and Athena type (with precision and scale for decimals)."""

    name: str
    type: str
    precision: int = 0
    scale: int = 0

    @property
    def case_sensitive(self) -> bool:
        return self.type in ("varchar", "char")

    def info(self) -> dict[str, Any]:
        """ColumnInfo as GetQueryResults returns it."""
        return {
            "CatalogName": "hive",
            "SchemaName": "",
            "TableName": "",
            "Name": self.name,
            "Label": self.name,
            "Type": self.type,
            "Precision": self.precision,
            "Scale": self.scale,
            "Nullable": "UNKNOWN",
            "CaseSensitive": self.case_sensitive,
        }


def athena_column(name: str, duckdb_type: str) -> Column:
    """The Athena column of a DuckDB result column type (`DECIMAL(38,2)` -> decimal 38/2)."""
    text = duckdb_type.upper()
    match = re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", text)
    if match:
        return Column(name, "decimal", int(match.group(1)), int(match.group(2)))
    if text.endswith("]"):
        return Column(name, "array")
    for prefix, athena in (("STRUCT", "row"), ("MAP", "map"), ("UNION", "row")):
        if text.startswith(prefix):
            return Column(name, athena)
    athena_type = {
        "BIGINT": "bigint",
        "HUGEINT": "bigint",
        "UBIGINT": "bigint",
        "UHUGEINT": "bigint",
        "INTEGER": "integer",
        "UINTEGER": "bigint",
        "SMALLINT": "smallint",
        "USMALLINT": "integer",
        "TINYINT": "tinyint",
        "UTINYINT": "smallint",
        "DOUBLE": "double",
        "FLOAT": "real",
        "BOOLEAN": "boolean",
        "VARCHAR": "varchar",
        "DATE": "date",
        "TIMESTAMP": "timestamp",
        "TIMESTAMP_S": "timestamp",
        "TIMESTAMP_MS": "timestamp",
        "TIMESTAMP_NS": "timestamp",
        "TIMESTAMP WITH TIME ZONE": "timestamp with time zone",
        "TIME": "time",
        "TIME WITH TIME ZONE": "time with time zone",
        "BLOB": "varbinary",
        "INTERVAL": "interval day to second",
        "UUID": "uuid",
        "JSON": "json",
        '"NULL"': "unknown",
        "NULL": "unknown",
    }.get(text, "varchar")
    return Column(name, athena_type, _PRECISION.get(athena_type, 0))


# --- values ------------------------------------------------------------------------------------


def java_double(value: float) -> str:
    """Java's Double.toString: plain between 10^-3 and 10^7, else `d.dddE±n`."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    return _java_notation(repr(value), value)


def java_float(value: float) -> str:
    """Java's Float.toString for a REAL value: the shortest digits that give the same float32."""
    if math.isnan(value) or math.isinf(value) or value == 0:
        return java_double(value)
    packed = struct.pack("f", value)
    for digits in range(1, 10):
        text = f"{value:.{digits}g}"
        if struct.pack("f", float(text)) == packed:
            return _java_notation(repr(float(text)), float(text))
    return _java_notation(repr(value), value)


def _java_notation(shortest: str, value: float) -> str:
    sign = "-" if value < 0 else ""
    number = decimal.Decimal(shortest.lstrip("-"))
    if 1e-3 <= abs(value) < 1e7:
        text = format(number, "f")
        return sign + (text if "." in text else text + ".0")
    _, digits, exponent = number.normalize().as_tuple()
    mantissa = "".join(str(d) for d in digits)
    power = len(mantissa) - 1 + int(exponent)
    return f"{sign}{mantissa[0]}.{mantissa[1:] or '0'}E{power}"


def _nested(value: Any, athena_type: str) -> str:
    """A value inside an array, map or row: strings unquoted, NULL as `null`."""
    if value is None:
        return "null"
    return format_value(value, athena_type)


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, float):
        return "double"
    if isinstance(value, dict):
        return "row"
    if isinstance(value, list):
        return "array"
    return ""


def format_value(value: Any, athena_type: str) -> str:
    """A non-NULL value as Athena's VarCharValue."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if athena_type == "real" and isinstance(value, float):
        return java_float(value)
    if isinstance(value, float):
        return java_double(value)
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        text = value.strftime("%Y-%m-%d %H:%M:%S.") + f"{value.microsecond // 1000:03d}"
        if value.tzinfo is not None:
            offset = value.utcoffset()
            text += " UTC" if not offset else " " + value.strftime("%z")[:3] + ":" + value.strftime("%z")[3:]
        return text
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S.") + f"{value.microsecond // 1000:03d}"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return " ".join(f"{b:02x}" for b in bytes(value))
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):  # a row {a=1, b=x} or a map {k=1}: the same notation
        return "{" + ", ".join(f"{_nested(k, _kind_of(k))}={_nested(v, _kind_of(v))}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_nested(v, _kind_of(v)) for v in value) + "]"
    return str(value)


def format_row(row: Sequence[Any], columns: Sequence[Column]) -> list[str | None]:
    return [None if v is None else format_value(v, c.type) for v, c in zip(row, columns, strict=True)]


# --- GetQueryResults rows, the CSV and the .metadata ---------------------------------------------


def result_rows(columns: Sequence[Column], rows: Sequence[Sequence[str | None]]) -> list[dict[str, Any]]:
    """ResultSet.Rows: the header row, then one row per result row (no VarCharValue for NULL)."""
    header = [{"Data": [{"VarCharValue": c.name} for c in columns]}]
    return header + [{"Data": [{} if v is None else {"VarCharValue": v} for v in row]} for row in rows]


def _csv_field(value: str | None) -> str:
    return "" if value is None else '"' + value.replace('"', '""') + '"'


def to_csv(columns: Sequence[Column], rows: Sequence[Sequence[str | None]]) -> bytes:
    """Athena's result file: header, every non-NULL value quoted, NULL empty, `\\n` after each line."""
    lines = [",".join(_csv_field(c.name) for c in columns)]
    lines.extend(",".join(_csv_field(v) for v in row) for row in rows)
    return ("\n".join(lines) + "\n").encode("utf-8")


def _varint(number: int) -> bytes:
    out = bytearray()
    while True:
        byte = number & 0x7F
        number >>= 7
        if number:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _field(number: int, payload: bytes | int) -> bytes:
    if isinstance(payload, int):
        return _varint(number << 3) + _varint(payload)
    return _varint((number << 3) | 2) + _varint(len(payload)) + payload


def _column_message(column: Column) -> bytes:
    body = _field(1, b"hive") + _field(4, column.name.encode()) + _field(5, column.name.encode())
    body += _field(6, column.type.encode())
    base = column.type.split("(")[0]
    has_precision, has_scale, has_case = _META_FIELDS.get(base, (True, True, True))
    if base in _COMPLEX:
        has_precision = has_scale = has_case = False
    if has_precision:
        body += _field(7, column.precision)
    if has_scale:
        body += _field(8, column.scale)
    body += _field(9, 3)  # UNKNOWN
    if has_case:
        body += _field(10, 1 if column.case_sensitive else 0)
    return body


def to_metadata(engine_query_id: str, columns: Sequence[Column]) -> bytes:
    """The `.metadata` companion of a SELECT's result file."""
    return _field(1, engine_query_id.encode()) + b"".join(_field(4, _column_message(c)) for c in columns)


def parse_metadata(data: bytes) -> tuple[str, list[dict[str, Any]]]:
    """Decode a `.metadata` written by to_metadata (the engine query id and the column fields)."""

    def read_varint(buffer: bytes, index: int) -> tuple[int, int]:
        shift = result = 0
        while True:
            byte = buffer[index]
            index += 1
            result |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return result, index

    def fields(buffer: bytes) -> list[tuple[int, bytes | int]]:
        out: list[tuple[int, bytes | int]] = []
        index = 0
        while index < len(buffer):
            key, index = read_varint(buffer, index)
            if key & 7 == 0:
                number, index = read_varint(buffer, index)
                out.append((key >> 3, number))
            else:
                length, index = read_varint(buffer, index)
                out.append((key >> 3, buffer[index : index + length]))
                index += length
        return out

    query_id, columns = "", []
    names = {
        1: "CatalogName",
        4: "Name",
        5: "Label",
        6: "Type",
        7: "Precision",
        8: "Scale",
        9: "Nullable",
        10: "CaseSensitive",
    }
    for number, payload in fields(data):
        if number == 1 and isinstance(payload, bytes):
            query_id = payload.decode()
        elif number == 4 and isinstance(payload, bytes):
            columns.append({names[n]: (v.decode() if isinstance(v, bytes) else v) for n, v in fields(payload)})
    return query_id, columns
