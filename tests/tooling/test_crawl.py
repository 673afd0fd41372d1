"""The local Glue crawl's engine (tooling/emulator/glue/crawl.py): classification, include and
exclude patterns, grouping into tables and partitions, what the catalog receives, and the diff
against what it already holds. Every case states Glue's documented outcome (see crawl.py)."""

from __future__ import annotations

import bz2
import gzip
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tooling.emulator.glue import crawl as c
from tooling.paths import SAMPLE_DATA

SALES = (
    b"order_id,customer_id,product,quantity,amount,currency\n"
    b"1001,c-017,notebook,2,7.98,EUR\n1002,c-042,pen,10,12.50,EUR\n"
)
RUN = c.RunInfo("crawl-1", "123456789012", 1_700_000_000_000)


def columns(schema: c.FileSchema | None) -> list[tuple[str, str]]:
    assert schema is not None
    return [(col.name, c.render(col.type)) for col in schema.columns]


def csv_spec(**fields: Any) -> c.CsvClassifierSpec:
    return c.CsvClassifierSpec.from_api({"Name": "custom", **fields})


def obj(key: str, body: bytes) -> c.S3Object:
    return c.S3Object(key, len(body), lambda: body)


def crawl(
    objects: Mapping[str, bytes],
    path: str = "s3://bkt/",
    settings: c.Settings | None = None,
    exclusions: Sequence[str] = (),
    sample_size: int | None = None,
) -> c.Grouping:
    target = c.Target(path, tuple(exclusions), sample_size)
    settings = settings or c.Settings(crawler="crawler", database="db")
    chosen, notes = c.select(target, [obj(k, v) for k, v in objects.items()])
    files, read_notes = c.read_objects(target, chosen, settings.classifiers)
    grouping = c.group(target, files, settings)
    grouping.notes = notes + read_notes + grouping.notes
    return grouping


def tables(grouping: c.Grouping) -> dict[str, c.TableSpec]:
    return {t.name: t for t in grouping.tables}


def sample_objects() -> dict[str, bytes]:
    return {
        p.relative_to(SAMPLE_DATA).as_posix(): p.read_bytes()
        for p in sorted(SAMPLE_DATA.rglob("*"))
        if p.is_file() and p.name != "README.md"
    }


# ------------------------------------------------------------------------------ values


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", None),
        ("true", "boolean"),
        ("FALSE", "boolean"),
        ("42", "bigint"),
        ("-7", "bigint"),
        ("9223372036854775808", "double"),
        ("7.98", "double"),
        ("1e3", "double"),
        (".5", "double"),
        ("2026-11-01", "string"),
        ("2026-11-01 10:00:00", "string"),
        ("c-017", "string"),
        ("nan", "string"),
    ],
)
def test_a_csv_value_gets_glues_csv_type(value: str, expected: str | None) -> None:
    assert c.csv_value_type(value) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("int", "bigint", "bigint"),
        ("bigint", "double", "double"),
        ("int", "double", "double"),
        ("bigint", "string", "string"),
        ("boolean", "bigint", "string"),
        (None, "boolean", "boolean"),
        (c.ArrayT("int"), c.ArrayT("double"), c.ArrayT("double")),
        (c.StructT((("a", "int"),)), c.StructT((("b", "string"),)), c.StructT((("a", "int"), ("b", "string")))),
        (c.StructT((("a", "int"),)), "string", "string"),
    ],
)
def test_types_widen_to_hold_both_values(a: c.HType | None, b: c.HType | None, expected: c.HType) -> None:
    assert c.widen(a, b) == expected


# --------------------------------------------------------------------------- classifiers


def test_the_sample_sales_csv_has_a_header_and_glue_types() -> None:
    found = c.classify((SAMPLE_DATA / "sales/dt=2026-11-01/part-0000.csv").read_bytes()).schema
    assert found is not None
    assert found.classification == "csv"
    assert found.compression == "none"
    assert columns(found) == [
        ("order_id", "bigint"),
        ("customer_id", "string"),
        ("product", "string"),
        ("quantity", "bigint"),
        ("amount", "double"),
        ("currency", "string"),
    ]
    assert found.csv == c.CsvFormat(",", '"', header=True, quoted=False)
    assert found.records == 3


def test_a_csv_without_a_header_gets_col0_names() -> None:
    found = c.classify(b"1,2.5,true\n2,3.5,false\n").schema
    assert columns(found) == [("col0", "bigint"), ("col1", "double"), ("col2", "boolean")]
    assert found is not None
    assert found.csv is not None
    assert not found.csv.header
    assert found.records == 2


def test_no_header_is_inferred_when_every_column_is_a_string() -> None:
    """Glue: if all columns are STRING, the first row is not different enough to be a header."""
    found = c.classify(b"name,city\nann,paris\nbob,rome\n").schema
    assert columns(found) == [("col0", "string"), ("col1", "string")]
    assert found is not None
    assert found.records == 3


def test_a_number_in_the_first_row_means_it_is_not_a_header() -> None:
    found = c.classify(b"id,2024\n1,5\n2,6\n").schema
    assert [n for n, _ in columns(found)] == ["col0", "col1"]


def test_a_header_cell_of_150_characters_means_no_header_except_in_the_last_column() -> None:
    long = "x" * 150
    assert [n for n, _ in columns(c.classify(f"{long},b\n1,2\n".encode()).schema)] == ["col0", "col1"]
    assert [n for n, _ in columns(c.classify(f"a,{long}\n1,2\n".encode()).schema)] == ["a", long]


def test_an_empty_last_column_throughout_the_file_allows_a_header() -> None:
    """Glue: to allow for a trailing delimiter, the last column can be empty throughout the file."""
    found = c.classify(b"id,amount,\n1,2.5,\n2,3.5,\n").schema
    assert columns(found) == [("id", "bigint"), ("amount", "double"), ("col2", "string")]


def test_header_names_are_lowercased() -> None:
    assert [n for n, _ in columns(c.classify(b"Order ID,Amount\n1,2.5\n").schema)] == ["order id", "amount"]


@pytest.mark.parametrize("delimiter", [",", "|", "\t", ";", "\x01"])
def test_each_builtin_delimiter_is_detected(delimiter: str) -> None:
    body = delimiter.join(["id", "name"]) + "\n" + delimiter.join(["1", "a"]) + "\n"
    found = c.classify(body.encode()).schema
    assert found is not None
    assert found.csv is not None
    assert found.csv.delimiter == delimiter
    assert columns(found) == [("id", "bigint"), ("name", "string")]


def test_quoted_values_make_an_open_csv_table() -> None:
    found = c.classify(b'id,name\n1,"Smith, Ann"\n2,"Bob"\n').schema
    assert found is not None
    assert found.csv is not None
    assert found.csv.quoted
    assert columns(found) == [("id", "bigint"), ("name", "string")]
    assert c.serde(found) == {
        "SerializationLibrary": c.OPEN_CSV_SERDE,
        "Parameters": {"separatorChar": ",", "quoteChar": '"'},
    }


@pytest.mark.parametrize("body", [b"id,name\n", b"only-one-line-without-delimiters\n"])
def test_a_file_with_a_single_row_is_not_csv(body: bytes) -> None:
    """Glue: to be classified as CSV, the table schema must have at least two columns and two rows."""
    result = c.classify(body)
    assert result.schema is None
    assert result.note.startswith("UNKNOWN")


def test_a_single_column_file_is_not_csv_unless_a_custom_classifier_allows_it() -> None:
    body = b"id\n1\n2\n"
    assert c.classify(body).schema is None
    found = c.classify(body, [csv_spec(AllowSingleColumn=True, ContainsHeader="PRESENT")]).schema
    assert columns(found) == [("id", "bigint")]


def test_ragged_csv_rows_are_unknown() -> None:
    result = c.classify(b"a,b,c\n1,2,3\n4,5\n6,7,8,9\n")
    assert result.schema is None
    assert result.note.startswith("UNKNOWN")


@pytest.mark.parametrize("body", [b"", b"\n  \n", gzip.compress(b"")])
def test_an_empty_object_is_skipped_as_empty(body: bytes) -> None:
    assert c.classify(body) == c.Classified(None, "empty")


def test_binary_data_no_classifier_recognises_is_unknown() -> None:
    result = c.classify(bytes(range(256)) * 4)
    assert result.schema is None
    assert result.note.startswith("UNKNOWN")


def test_json_lines_get_glue_json_types() -> None:
    body = b"\n".join(
        json.dumps(r).encode()
        for r in [
            {
                "id": 1,
                "big": 2**40,
                "price": 2.5,
                "ok": True,
                "ts": "2026-11-01T08:15:02Z",
                "tags": ["a"],
                "address": {"city": "Paris", "zip": 75001},
                "nothing": None,
            },
            {
                "id": 2,
                "big": 3,
                "price": 3,
                "ok": False,
                "ts": "2026-11-01T09:00:00Z",
                "tags": [],
                "address": {"city": "Rome", "zip": 100},
                "extra": "x",
            },
        ]
    )
    found = c.classify(body).schema
    assert found is not None
    assert found.classification == "json"
    assert found.records == 2
    assert columns(found) == [
        ("id", "int"),
        ("big", "bigint"),
        ("price", "double"),
        ("ok", "boolean"),
        ("ts", "string"),
        ("tags", "array<string>"),
        ("address", "struct<city:string,zip:int>"),
        ("nothing", "string"),
        ("extra", "string"),
    ]


def test_the_sample_events_are_json_with_string_timestamps() -> None:
    found = c.classify((SAMPLE_DATA / "events/dt=2026-11-01/events.jsonl").read_bytes()).schema
    assert columns(found) == [
        ("ts", "string"),
        ("session_id", "string"),
        ("customer_id", "string"),
        ("event", "string"),
        ("path", "string"),
    ]


def test_a_json_field_that_is_a_number_and_a_string_becomes_string() -> None:
    assert columns(c.classify(b'{"a": 1}\n{"a": "x"}\n').schema) == [("a", "string")]


def test_a_file_that_is_not_json_lines_is_not_json() -> None:
    """One line that does not parse: not the JSON classifier's; CSV does not fit either."""
    result = c.classify(b'{"a": 1}\nthis is not json\n')
    assert result.schema is None
    assert result.note.startswith("UNKNOWN")


def test_a_top_level_json_array_is_one_column_named_array() -> None:
    found = c.classify(b'[{"a": 1}, {"a": 2, "b": "x"}]')
    assert columns(found.schema) == [("array", "array<struct<a:int,b:string>>")]


def test_gzip_compressed_csv_and_json_keep_their_compression() -> None:
    as_csv = c.classify(gzip.compress(SALES)).schema
    as_json = c.classify(gzip.compress(b'{"a": 1}\n')).schema
    assert as_csv is not None
    assert (as_csv.classification, as_csv.compression) == ("csv", "gzip")
    assert as_json is not None
    assert (as_json.classification, as_json.compression) == ("json", "gzip")


def test_bzip2_compressed_csv_is_classified() -> None:
    found = c.classify(bz2.compress(SALES)).schema
    assert found is not None
    assert (found.classification, found.compression) == ("csv", "bzip2")


def parquet_bytes(table: Any) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def test_parquet_columns_come_from_the_files_schema() -> None:
    import datetime

    table = pa.table(
        {
            "Id": pa.array([1, 2], pa.int32()),
            "total": pa.array([1, 2], pa.int64()),
            "price": [1.5, 2.5],
            "name": ["a", "b"],
            "ok": [True, False],
            "day": [datetime.date(2026, 11, 1)] * 2,
            "at": pa.array([datetime.datetime(2026, 11, 1)] * 2, pa.timestamp("ms")),
            "tags": [["x"], []],
            "address": [{"city": "Paris"}, {"city": "Rome"}],
            "cost": pa.array([1, 2], pa.decimal128(10, 2)),
        }
    )
    found = c.classify(parquet_bytes(table)).schema
    assert found is not None
    assert found.classification == "parquet"
    assert found.records == 2
    assert columns(found) == [
        ("id", "int"),
        ("total", "bigint"),
        ("price", "double"),
        ("name", "string"),
        ("ok", "boolean"),
        ("day", "date"),
        ("at", "timestamp"),
        ("tags", "array<string>"),
        ("address", "struct<city:string>"),
        ("cost", "decimal(10,2)"),
    ]


def test_a_broken_parquet_file_is_unknown() -> None:
    result = c.classify(b"PAR1 this is not a parquet footer PAR1")
    assert result.schema is None
    assert result.note.startswith("UNKNOWN")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_no_object_makes_the_classifier_raise(data: bytes) -> None:
    for body in (data, gzip.compress(data), b"PAR1" + data + b"PAR1"):
        result = c.classify(body, [csv_spec(ContainsHeader="PRESENT", AllowSingleColumn=True)])
        assert (result.schema is None) == bool(result.note)


# ---------------------------------------------------------------------- custom classifiers


def test_a_custom_classifier_is_tried_before_the_builtins() -> None:
    """Semicolons would be found by the built-in classifier too; the custom one wins and names it."""
    found = c.classify(b"a;b\n1;2\n", [csv_spec(Delimiter=";", ContainsHeader="PRESENT")]).schema
    assert found is not None
    assert found.classifier == "custom"
    assert columns(found) == [("a", "bigint"), ("b", "bigint")]


def test_a_custom_classifier_with_a_present_header_names_all_string_columns() -> None:
    """The built-in rules would find no header (every column a string); PRESENT says there is one."""
    body = b"name,city\nann,paris\n"
    assert [n for n, _ in columns(c.classify(body).schema)] == ["col0", "col1"]
    assert columns(c.classify(body, [csv_spec(ContainsHeader="PRESENT")]).schema) == [
        ("name", "string"),
        ("city", "string"),
    ]


def test_a_custom_classifier_with_an_absent_header_reads_the_first_row_as_data() -> None:
    found = c.classify(SALES, [csv_spec(ContainsHeader="ABSENT")]).schema
    assert found is not None
    assert found.records == 3
    assert [n for n, _ in columns(found)][:2] == ["col0", "col1"]
    assert columns(found)[0] == ("col0", "string")


def test_a_custom_classifiers_header_list_names_the_columns() -> None:
    found = c.classify(b"1|x\n2|y\n", [csv_spec(Delimiter="|", ContainsHeader="ABSENT", Header=["id", "label"])]).schema
    assert columns(found) == [("id", "bigint"), ("label", "string")]


def test_a_custom_classifier_with_another_quote_symbol_and_serde() -> None:
    spec = csv_spec(Delimiter=",", QuoteSymbol="'", ContainsHeader="PRESENT")
    found = c.classify(b"id,name\n1,'a, b'\n", [spec]).schema
    assert found is not None
    assert found.csv is not None
    assert found.csv.quoted
    assert found.csv.quote == "'"
    assert columns(found) == [("id", "bigint"), ("name", "string")]
    lazy = c.classify(b"id,name\n1,'a'\n", [csv_spec(QuoteSymbol="'", Serde="LazySimpleSerDe")]).schema
    assert lazy is not None
    assert lazy.csv is not None
    assert not lazy.csv.quoted


def test_a_custom_classifier_that_does_not_fit_falls_back_to_the_builtins() -> None:
    found = c.classify(SALES, [csv_spec(Delimiter="|")]).schema
    assert found is not None
    assert found.classifier is None
    assert found.csv is not None
    assert found.csv.delimiter == ","


def test_value_trimming_can_be_turned_off() -> None:
    body = b"id,n\n1, 2\n"
    assert columns(c.classify(body, [csv_spec(ContainsHeader="PRESENT")]).schema)[1] == ("n", "bigint")
    spec = csv_spec(ContainsHeader="PRESENT", DisableValueTrimming=True)
    assert columns(c.classify(body, [spec]).schema)[1] == ("n", "string")


# ----------------------------------------------------------------------- exclude patterns


GLUE_EXAMPLE = [
    "departments/finance.json",
    "departments/market-us.json",
    "departments/market-emea.json",
    "departments/market-ap.json",
    "employees/hr.json",
    "employees/john.csv",
    "employees/jane.csv",
    "employees/juan.txt",
]


@pytest.mark.parametrize(
    ("pattern", "excluded"),
    [
        ("departments/**", GLUE_EXAMPLE[:4]),
        ("departments/market*", GLUE_EXAMPLE[1:4]),
        ("**.csv", ["employees/john.csv", "employees/jane.csv"]),
        ("employees/*.csv", ["employees/john.csv", "employees/jane.csv"]),
        ("*.csv", []),
        ("employees/*.{csv,txt}", ["employees/john.csv", "employees/jane.csv", "employees/juan.txt"]),
        ("employees/j?an.*", ["employees/juan.txt"]),
        ("employees/[!j]*", ["employees/hr.json"]),
        ("employees/[a-i]*", ["employees/hr.json"]),
        ("employees\\/hr.json", ["employees/hr.json"]),
    ],
)
def test_exclude_patterns_follow_glues_examples(pattern: str, excluded: list[str]) -> None:
    """The developer guide's examples for the include path s3://mybucket/myfolder/."""
    assert [k for k in GLUE_EXAMPLE if c.excluded(k, [pattern])] == excluded


def test_the_guides_partition_exclusion_keeps_the_first_week_of_january() -> None:
    days = [f"2015/01/{d:02}/data.csv" for d in range(1, 32)] + ["2015/02/01/data.csv", "2015/12/31/data.csv"]
    patterns = ["2015/01/{[!0],0[8-9]}**", "2015/0[2-9]/**", "2015/1[0-2]/**"]
    assert [k for k in days if not c.excluded(k, patterns)] == [f"2015/01/{d:02}/data.csv" for d in range(1, 8)]


def test_a_reversed_range_in_an_exclude_pattern_excludes_nothing() -> None:
    assert [k for k in GLUE_EXAMPLE if c.excluded(k, ["employees/[z-a]*", "["])] == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab/*?[]{},!\\-^.")), max_size=20))
def test_no_exclude_pattern_makes_the_crawl_raise(pattern: str) -> None:
    assert c.excluded("a/b.c", [pattern]) in (True, False)


def test_excluded_objects_are_neither_read_nor_counted() -> None:
    grouping = crawl(
        {"sales/dt=1/a.csv": SALES, "sales/dt=1/_SUCCESS": b"", "sales/dt=1/b.tmp": b"junk"},
        path="s3://bkt/sales/",
        exclusions=["**/_SUCCESS", "**/*.tmp"],
    )
    [table] = grouping.tables
    assert [f.key for leaf in table.leaves for f in leaf.files] == ["sales/dt=1/a.csv"]
    assert any("Excluded s3://bkt/sales/dt=1/b.tmp" in n for n in grouping.notes)


# ------------------------------------------------------------------------------- grouping


def test_the_sample_data_gives_a_sales_and_an_events_table_partitioned_by_dt() -> None:
    found = tables(crawl(sample_objects()))
    assert sorted(found) == ["events", "sales"]
    sales = found["sales"]
    assert (sales.location, sales.partition_keys) == ("s3://bkt/sales/", ("dt",))
    assert columns(sales.schema) == [
        ("order_id", "bigint"),
        ("customer_id", "string"),
        ("product", "string"),
        ("quantity", "bigint"),
        ("amount", "double"),
        ("currency", "string"),
    ]
    assert [(c.TableSpec.partition_values(leaf), sales.partition_location(leaf)) for leaf in sales.leaves] == [
        (["2026-11-01"], "s3://bkt/sales/dt=2026-11-01/"),
        (["2026-11-02"], "s3://bkt/sales/dt=2026-11-02/"),
    ]
    assert found["events"].schema.classification == "json"
    assert found["events"].partition_keys == ("dt",)


def test_a_target_that_holds_the_partition_folders_names_the_table_after_its_last_folder() -> None:
    found = tables(
        crawl(
            {"data/Sales-2026/dt=1/a.csv": SALES, "data/Sales-2026/dt=2/a.csv": SALES}, path="s3://bkt/data/Sales-2026/"
        )
    )
    assert list(found) == ["sales_2026"]
    assert found["sales_2026"].location == "s3://bkt/data/Sales-2026/"


def test_a_target_path_without_a_trailing_slash_is_a_folder() -> None:
    found = tables(crawl({"sales/dt=1/a.csv": SALES, "salesextra/x.csv": SALES}, path="s3://bkt/sales"))
    assert list(found) == ["sales"]
    assert [leaf.parts for leaf in found["sales"].leaves] == [("dt=1",)]


def test_folders_that_are_not_key_value_become_partition_n_keys() -> None:
    found = tables(
        crawl({f"logs/{y}/{m}/a.csv": SALES for y in ("2025", "2026") for m in ("01", "02")}, path="s3://bkt/logs/")
    )
    logs = found["logs"]
    assert logs.partition_keys == ("partition_0", "partition_1")
    assert [c.TableSpec.partition_values(leaf) for leaf in logs.leaves] == [
        ["2025", "01"],
        ["2025", "02"],
        ["2026", "01"],
        ["2026", "02"],
    ]


def test_mixed_hive_and_plain_folder_names_at_one_level_are_partition_n() -> None:
    found = tables(crawl({"t/dt=1/a.csv": SALES, "t/2/a.csv": SALES}, path="s3://bkt/t/"))
    assert found["t"].partition_keys == ("partition_0",)
    assert [c.TableSpec.partition_values(leaf) for leaf in found["t"].leaves] == [["2"], ["1"]]


def test_folders_with_different_schemas_become_separate_tables() -> None:
    """The guide's example: year=2017 {A, B} and year=2018 {C, D} give tables year_2017 and year_2018."""
    objects = {"table1/year=2017/data1.json": b'{"A": 1, "B": 2}', "table1/year=2018/data2.json": b'{"C": 3, "D": 4}'}
    found = tables(crawl(objects, path="s3://bkt/table1/"))
    assert sorted(found) == ["year_2017", "year_2018"]
    assert found["year_2017"].location == "s3://bkt/table1/year=2017/"
    assert found["year_2017"].partition_keys == ()


def test_combine_compatible_schemas_makes_one_table_of_the_guides_example() -> None:
    objects = {"table1/year=2017/data1.json": b'{"A": 1, "B": 2}', "table1/year=2018/data2.json": b'{"C": 3, "D": 4}'}
    settings = c.Settings(crawler="crawler", database="db", combine_compatible_schemas=True)
    found = tables(crawl(objects, path="s3://bkt/table1/", settings=settings))
    assert list(found) == ["table1"]
    assert found["table1"].partition_keys == ("year",)
    assert columns(found["table1"].schema) == [("a", "int"), ("b", "int"), ("c", "int"), ("d", "int")]


def test_combine_compatible_schemas_still_keeps_formats_apart() -> None:
    settings = c.Settings(crawler="crawler", database="db", combine_compatible_schemas=True)
    found = tables(crawl(sample_objects(), settings=settings))
    assert sorted(found) == ["events", "sales"]


def test_folders_of_the_same_format_with_alike_schemas_are_partitions_of_one_table() -> None:
    """More than 70 % of the sub-folders alike: one table, and the extra column joins its schema."""
    objects = {f"t/dt={d}/a.csv": SALES for d in range(1, 4)}
    objects["t/dt=4/a.csv"] = b"order_id,customer_id,product,quantity,amount,currency,channel\n1,c,p,1,2.5,EUR,web\n"
    found = tables(crawl(objects, path="s3://bkt/t/"))
    assert list(found) == ["t"]
    assert len(found["t"].leaves) == 4
    assert columns(found["t"].schema)[-1] == ("channel", "string")


def test_files_with_different_schemas_in_one_folder_get_a_table_each() -> None:
    grouping = crawl({"mixed/a.csv": SALES, "mixed/b.json": b'{"x": 1}\n'}, path="s3://bkt/mixed/")
    found = tables(grouping)
    assert sorted(found) == ["a_csv", "b_json"]
    assert found["a_csv"].location == "s3://bkt/mixed/a.csv"
    assert found["a_csv"].single_object
    assert any("Multiple tables are found under location s3://bkt/mixed/" in n for n in grouping.notes)


def test_a_file_unlike_most_in_its_folder_is_skipped_and_logged() -> None:
    objects = {f"t/{i}.csv": SALES for i in range(4)}
    objects["t/odd.json"] = b'{"x": 1}\n'
    grouping = crawl(objects, path="s3://bkt/t/")
    [table] = grouping.tables
    assert table.name == "t"
    assert all(not f.key.endswith(".json") for leaf in table.leaves for f in leaf.files)
    assert any("Some files do not match the schema detected" in n and "t/odd.json" in n for n in grouping.notes)


def test_files_at_the_root_of_the_bucket_are_a_table_named_after_the_bucket() -> None:
    found = tables(crawl({"a.csv": SALES, "b.csv": SALES}, path="s3://my-bkt/"))
    assert list(found) == ["my_bkt"]
    assert found["my_bkt"].location == "s3://my-bkt/"


def test_files_at_the_target_root_beside_partitions_belong_to_the_table_but_no_partition() -> None:
    grouping = crawl({"t/x.csv": SALES, "t/dt=1/a.csv": SALES, "t/dt=2/a.csv": SALES}, path="s3://bkt/t/")
    [table] = grouping.tables
    assert table.name == "t"
    assert [leaf.parts for leaf in table.leaves] == [("dt=1",), ("dt=2",)]
    assert any("belong to the table but to none of its partitions" in n for n in grouping.notes)


def test_files_at_the_target_root_beside_unlike_folders_are_a_table_of_their_own() -> None:
    found = tables(crawl({"root.csv": SALES, **sample_objects()}, path="s3://bkt/"))
    assert sorted(found) == ["bkt", "events", "sales"]
    assert found["bkt"].location == "s3://bkt/"


def test_a_folder_at_another_partition_depth_is_left_out_of_the_table() -> None:
    objects = {f"t/dt={d}/a.csv": SALES for d in range(1, 5)}
    objects["t/dt=9/hour=1/a.csv"] = SALES
    grouping = crawl(objects, path="s3://bkt/t/")
    found = tables(grouping)
    assert found["t"].partition_keys == ("dt",)
    assert len(found["t"].leaves) == 4
    assert any("does not fit the table" in n and "dt=9" in n for n in grouping.notes)


def test_a_target_naming_one_object_gives_a_table_named_after_it() -> None:
    found = tables(crawl({"exports/data.csv": SALES, "exports/data.csv.bak": SALES}, path="s3://bkt/exports/data.csv"))
    assert list(found) == ["data_csv"]
    assert found["data_csv"].location == "s3://bkt/exports/data.csv"


def test_table_level_puts_tables_at_an_absolute_level_below_the_bucket() -> None:
    """The bucket is level 1: level 3 for s3://bkt/mydataset/year=/month=/ makes year= folders tables."""
    objects = {f"mydataset/year={y}/month={m}/a.csv": SALES for y in (2025, 2026) for m in (1, 2)}
    settings = c.Settings(crawler="crawler", database="db", table_level=3)
    found = tables(crawl(objects, settings=settings))
    assert sorted(found) == ["year_2025", "year_2026"]
    assert found["year_2025"].partition_keys == ("month",)
    assert found["year_2025"].location == "s3://bkt/mydataset/year=2025/"
    level2 = tables(crawl(objects, settings=c.Settings(crawler="crawler", database="db", table_level=2)))
    assert list(level2) == ["mydataset"]
    assert level2["mydataset"].partition_keys == ("year", "month")


def test_sample_size_reads_that_many_files_per_leaf_folder_but_counts_them_all() -> None:
    objects = {f"t/dt=1/{i}.csv": SALES for i in range(5)}
    objects["t/dt=1/9.csv"] = b"not,read,at,all\n"
    read: list[str] = []
    target = c.Target("s3://bkt/t/", (), 2)

    def reader(key: str, body: bytes) -> c.S3Object:
        def read_it() -> bytes:
            read.append(key)
            return body

        return c.S3Object(key, len(body), read_it)

    files, _ = c.read_objects(target, [reader(k, v) for k, v in sorted(objects.items())], ())
    assert read == ["t/dt=1/0.csv", "t/dt=1/1.csv"]
    spec = c.group(target, files, c.Settings(crawler="crawler", database="db")).tables[0]
    st = c.stats(list(spec.leaves[0].files), spec.schema)
    assert st.objects == 6
    assert st.size == 5 * len(SALES) + len(objects["t/dt=1/9.csv"])


def test_empty_and_unknown_objects_take_no_part_in_a_table_and_are_logged() -> None:
    grouping = crawl({"t/a.csv": SALES, "t/empty.csv": b"", "t/blob.bin": bytes(range(256))}, path="s3://bkt/t/")
    [table] = grouping.tables
    assert [f.key for leaf in table.leaves for f in leaf.files] == ["t/a.csv"]
    assert any("t/empty.csv: empty" in n for n in grouping.notes)
    assert any("t/blob.bin: UNKNOWN" in n for n in grouping.notes)


def test_nothing_classifiable_gives_no_table() -> None:
    assert crawl({"t/empty.csv": b"", "t/x/": b""}, path="s3://bkt/t/").tables == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sales", "sales"),
        ("my-data.2024", "my_data_2024"),
        ("2020-04-17T23:00:07Z", "2020_04_17t23_00_07z"),
        ("año", "a_o"),
    ],
)
def test_names_are_sanitised_as_glue_does(text: str, expected: str) -> None:
    assert c.glue_name(text) == expected


# ------------------------------------------------------------------------------ rendering


def only(grouping: c.Grouping, settings: c.Settings | None = None) -> dict[str, Any]:
    [spec] = grouping.tables
    settings = settings or c.Settings(crawler="crawler", database="db", role="arn:aws:iam::1:role/r")
    return c.table_input(spec, settings, RUN)


def test_a_csv_table_has_what_athena_needs() -> None:
    table = only(crawl({"sales/dt=1/a.csv": SALES, "sales/dt=2/a.csv": SALES}, path="s3://bkt/sales/"))
    sd = table["StorageDescriptor"]
    assert (sd["Location"], sd["InputFormat"], sd["OutputFormat"]) == ("s3://bkt/sales/", c.TEXT_INPUT, c.TEXT_OUTPUT)
    assert sd["SerdeInfo"] == {"SerializationLibrary": c.LAZY_SIMPLE_SERDE, "Parameters": {"field.delim": ","}}
    assert table["PartitionKeys"] == [{"Name": "dt", "Type": "string"}]
    assert table["TableType"] == "EXTERNAL_TABLE"
    params = table["Parameters"]
    assert {
        k: params[k]
        for k in (
            "classification",
            "compressionType",
            "typeOfData",
            "delimiter",
            "areColumnsQuoted",
            "columnsOrdered",
            "skip.header.line.count",
            "objectCount",
            "recordCount",
            "sizeKey",
            "UPDATED_BY_CRAWLER",
            "CRAWL_RUN_ID",
        )
    } == {
        "classification": "csv",
        "compressionType": "none",
        "typeOfData": "file",
        "delimiter": ",",
        "areColumnsQuoted": "false",
        "columnsOrdered": "true",
        "skip.header.line.count": "1",
        "objectCount": "2",
        "recordCount": "4",
        "sizeKey": str(2 * len(SALES)),
        "UPDATED_BY_CRAWLER": "crawler",
        "CRAWL_RUN_ID": "crawl-1",
    }
    assert int(params["averageRecordSize"]) == (len(SALES) - SALES.index(b"\n") - 1) // 2
    assert sd["Parameters"] == params


def test_a_json_table_uses_the_openx_serde_and_a_parquet_table_the_parquet_serde() -> None:
    as_json = only(crawl({"e/a.json": b'{"b": 1, "a": "x"}\n'}, path="s3://bkt/e/"))
    assert as_json["StorageDescriptor"]["SerdeInfo"] == {
        "SerializationLibrary": c.JSON_SERDE,
        "Parameters": {"paths": "a,b"},
    }
    assert as_json["Parameters"]["classification"] == "json"
    assert "skip.header.line.count" not in as_json["Parameters"]
    as_parquet = only(crawl({"p/a.parquet": parquet_bytes(pa.table({"x": [1, 2, 3]}))}, path="s3://bkt/p/"))
    sd = as_parquet["StorageDescriptor"]
    assert (sd["InputFormat"], sd["OutputFormat"], sd["SerdeInfo"]["SerializationLibrary"]) == (
        c.PARQUET_INPUT,
        c.PARQUET_OUTPUT,
        c.PARQUET_SERDE,
    )
    assert as_parquet["Parameters"]["recordCount"] == "3"
    assert sd["Columns"] == [{"Name": "x", "Type": "bigint"}]


def test_a_gzip_table_is_compressed_and_says_so() -> None:
    table = only(crawl({"z/a.csv.gz": gzip.compress(SALES)}, path="s3://bkt/z/"))
    assert table["Parameters"]["compressionType"] == "gzip"
    assert table["StorageDescriptor"]["Compressed"] is True


def test_exclusions_are_stored_on_the_table() -> None:
    grouping = crawl({"s/a.csv": SALES}, path="s3://bkt/s/", exclusions=["**/_SUCCESS"])
    assert json.loads(only(grouping)["Parameters"]["exclusions"]) == ["s3://bkt/s/**/_SUCCESS"]


# ------------------------------------------------------------------------------ the diff


def existing(p: c.Plan) -> dict[str, c.ExistingTable]:
    """The catalog after a plan that created tables and partitions."""
    return {
        t["Name"]: c.ExistingTable(t, {tuple(x["Values"]): x for x in p.create_partitions.get(t["Name"], [])})
        for t in p.create_tables
    }


V2 = b"order_id,customer_id,product,quantity,amount,currency,channel\n1003,c-1,pen,1,1.5,EUR,web\n"


def first_and_second(settings: c.Settings) -> tuple[c.Plan, c.Plan]:
    before = {"sales/dt=1/a.csv": SALES, "sales/dt=2/a.csv": SALES}
    first = c.plan(crawl(before, "s3://bkt/sales/", settings).tables, {}, settings, RUN, ["s3://bkt/sales/"])
    after = {**before, "sales/dt=3/a.csv": V2}
    second = c.plan(
        crawl(after, "s3://bkt/sales/", settings).tables, existing(first), settings, RUN, ["s3://bkt/sales/"]
    )
    return first, second


def test_a_first_crawl_creates_tables_partitions_and_a_partition_index() -> None:
    settings = c.Settings(crawler="crawler", database="db", table_prefix="raw_")
    p = c.plan(crawl(sample_objects(), settings=settings).tables, {}, settings, RUN, ["s3://bkt/"])
    assert [t["Name"] for t in p.create_tables] == ["raw_events", "raw_sales"]
    assert p.counts == {
        "tablesCreated": 2,
        "tablesUpdated": 0,
        "tablesDeleted": 0,
        "partitionsCreated": 4,
        "partitionsUpdated": 0,
        "partitionsDeleted": 0,
    }
    assert p.partition_indexes == {"raw_events": ["dt"], "raw_sales": ["dt"]}
    summary = json.loads(c.summary(p))
    assert json.loads(summary["TABLE"]["ADD"]) == {"Details": {"names": ["raw_events", "raw_sales"]}, "Count": 2}
    assert json.loads(summary["PARTITION"]["ADD"])["Count"] == 4


def test_create_partition_index_false_creates_none() -> None:
    settings = c.Settings(crawler="crawler", database="db", create_partition_index=False)
    p = c.plan(crawl(sample_objects()).tables, {}, settings, RUN, ["s3://bkt/"])
    assert p.partition_indexes == {}
    assert "partition_filtering.enabled" not in p.create_tables[0]["Parameters"]


def test_a_rerun_over_unchanged_data_writes_nothing() -> None:
    settings = c.Settings(crawler="crawler", database="db")
    first = c.plan(crawl(sample_objects()).tables, {}, settings, RUN, ["s3://bkt/"])
    again = c.plan(crawl(sample_objects()).tables, existing(first), settings, RUN, ["s3://bkt/"])
    assert again.counts == dict.fromkeys(again.counts, 0)
    assert c.summary(again) == "{}"


def test_update_in_database_adds_the_new_column_and_the_new_partition() -> None:
    _, second = first_and_second(c.Settings(crawler="crawler", database="db"))
    assert second.counts["tablesUpdated"] == 1
    assert second.counts["partitionsCreated"] == 1
    [table] = second.update_tables
    assert table["StorageDescriptor"]["Columns"][-1] == {"Name": "channel", "Type": "string"}
    assert [p["Values"] for p in second.create_partitions["sales"]] == [["3"]]


def test_log_leaves_the_table_but_still_adds_the_partition() -> None:
    _, second = first_and_second(c.Settings(crawler="crawler", database="db", update_behavior="LOG"))
    assert second.update_tables == []
    assert second.counts["partitionsCreated"] == 1
    assert any("UpdateBehavior is LOG" in line for line in second.logs)
    [partition] = second.create_partitions["sales"]
    assert partition["StorageDescriptor"]["Columns"][-1] == {"Name": "channel", "Type": "string"}


def test_partitions_inherit_the_tables_schema_with_inherit_from_table() -> None:
    settings = c.Settings(crawler="crawler", database="db", update_behavior="LOG", partitions_inherit_from_table=True)
    _, second = first_and_second(settings)
    [partition] = second.create_partitions["sales"]
    assert [col["Name"] for col in partition["StorageDescriptor"]["Columns"]][-1] == "currency"
    assert partition["StorageDescriptor"]["Location"] == "s3://bkt/sales/dt=3/"


def test_merge_new_columns_keeps_existing_columns_as_they_are() -> None:
    settings = c.Settings(crawler="crawler", database="db", merge_new_columns=True)
    first = c.plan(
        crawl({"s/dt=1/a.csv": b"id,v\n1,2\n"}, "s3://bkt/s/", settings).tables, {}, settings, RUN, ["s3://bkt/s/"]
    )
    catalog = existing(first)
    catalog["s"].table["StorageDescriptor"]["Columns"][1]["Type"] = "decimal(10,2)"  # an edit made by hand
    second = c.plan(
        crawl({"s/dt=1/a.csv": b"id,v,w\n1,2,x\n"}, "s3://bkt/s/", settings).tables,
        catalog,
        settings,
        RUN,
        ["s3://bkt/s/"],
    )
    [table] = second.update_tables
    assert table["StorageDescriptor"]["Columns"] == [
        {"Name": "id", "Type": "bigint"},
        {"Name": "v", "Type": "decimal(10,2)"},
        {"Name": "w", "Type": "string"},
    ]


@pytest.mark.parametrize(
    ("behavior", "deleted", "deprecated"),
    [("DELETE_FROM_DATABASE", ["events"], 0), ("DEPRECATE_IN_DATABASE", [], 1), ("LOG", [], 0)],
)
def test_delete_behavior_for_a_table_whose_data_is_gone(behavior: str, deleted: list[str], deprecated: int) -> None:
    settings = c.Settings(crawler="crawler", database="db", delete_behavior=behavior)
    data = {**sample_objects(), "orders/a.json": b'{"order": 1, "total": 2.5}\n'}
    first = c.plan(crawl(data).tables, {}, settings, RUN, ["s3://bkt/"])
    assert sorted(t["Name"] for t in first.create_tables) == ["events", "orders", "sales"]
    without_events = {k: v for k, v in data.items() if not k.startswith("events/")}
    second = c.plan(crawl(without_events).tables, existing(first), settings, RUN, ["s3://bkt/"])
    assert second.delete_tables == deleted
    assert len(second.deprecate_tables) == deprecated
    assert second.create_tables == []
    assert second.update_tables == []
    if deprecated:
        assert second.deprecate_tables[0]["Name"] == "events"
        assert second.deprecate_tables[0]["Parameters"]["DEPRECATED_BY_CRAWLER"] == str(RUN.now_ms)


def test_a_single_dataset_folder_under_the_include_path_is_a_partition_of_a_table_named_after_it() -> None:
    """Glue takes the include path as the table's root when everything below it is alike, even a
    single folder: point the include path at the dataset's folder to name the table after it."""
    found = tables(crawl({k: v for k, v in sample_objects().items() if k.startswith("sales/")}))
    assert list(found) == ["bkt"]
    assert found["bkt"].partition_keys == ("partition_0", "dt")


def test_tables_the_crawler_did_not_write_are_never_deleted() -> None:
    settings = c.Settings(crawler="crawler", database="db", delete_behavior="DELETE_FROM_DATABASE")
    mine = c.plan(crawl(sample_objects()).tables, {}, settings, RUN, ["s3://bkt/"])
    theirs = c.Settings(crawler="other", database="db", delete_behavior="DELETE_FROM_DATABASE")
    assert c.plan([], existing(mine), theirs, RUN, ["s3://bkt/"]).delete_tables == []
    assert c.plan([], existing(mine), settings, RUN, ["s3://elsewhere/"]).delete_tables == []


def test_delete_from_database_deletes_partitions_whose_folder_is_gone() -> None:
    settings = c.Settings(crawler="crawler", database="db", delete_behavior="DELETE_FROM_DATABASE")
    first = c.plan(crawl(sample_objects()).tables, {}, settings, RUN, ["s3://bkt/"])
    fewer = {k: v for k, v in sample_objects().items() if "2026-11-02" not in k}
    second = c.plan(crawl(fewer).tables, existing(first), settings, RUN, ["s3://bkt/"])
    assert second.delete_partitions == {"events": [["2026-11-02"]], "sales": [["2026-11-02"]]}


def test_new_folders_only_forces_log_for_updates_and_deletes() -> None:
    settings = c.Settings(
        crawler="crawler",
        database="db",
        recrawl_behavior="CRAWL_NEW_FOLDERS_ONLY",
        delete_behavior="DELETE_FROM_DATABASE",
    )
    assert (settings.effective_update, settings.effective_delete) == ("LOG", "LOG")
    _, second = first_and_second(settings)
    assert second.update_tables == []
    assert second.counts["partitionsCreated"] == 1


def test_remembered_folders_are_not_read_again() -> None:
    target = c.Target("s3://bkt/")
    first, _ = c.read_objects(target, [obj("s/dt=1/a.csv", SALES)], ())
    assert first[0].schema is not None
    memory = {"s3://bkt/s/dt=1/": first}

    def unreadable() -> bytes:
        raise AssertionError("a remembered folder was read again")

    objects = [c.S3Object("s/dt=1/a.csv", 1, unreadable), obj("s/dt=2/a.csv", SALES)]
    files, _ = c.read_objects(target, objects, (), memory)
    assert [f.key for f in files] == ["s/dt=1/a.csv", "s/dt=2/a.csv"]
    assert files[0] == first[0]


def test_a_table_name_taken_at_another_location_gets_a_hash() -> None:
    settings = c.Settings(crawler="crawler", database="db")
    taken = {"sales": c.ExistingTable({"Name": "sales", "StorageDescriptor": {"Location": "s3://other/sales/"}})}
    p = c.plan(crawl({"sales/a.csv": SALES}, "s3://bkt/sales/").tables, taken, settings, RUN, ["s3://bkt/sales/"])
    [table] = p.create_tables
    assert table["Name"].startswith("sales_")
    assert len(table["Name"]) == len("sales_") + 32


# ------------------------------------------------------------------- logs, events, record


@pytest.mark.parametrize(
    ("role", "security", "group"),
    [
        ("arn:aws:iam::1:role/crawler", None, "/aws-glue/crawlers"),
        ("arn:aws:iam::1:role/crawler", "enc", "/aws-glue/crawlers-role/crawler-enc"),
        ("arn:aws:iam::1:role/service-role/crawler", "enc", "/aws-glue/crawlers-role/service-role/crawler-enc"),
        ("crawler", "enc", "/aws-glue/crawlers-role/crawler-enc"),
    ],
)
def test_the_log_group_depends_on_the_security_configuration(role: str, security: str | None, group: str) -> None:
    assert c.log_group(role, security) == group


def test_crawler_state_change_details_have_glues_shapes() -> None:
    link = c.log_link("us-east-1", "/aws-glue/crawlers", "cr")
    started = c.crawler_state_detail("Started", "cr", "123", link, "2026-11-01T00:00:00Z")
    assert started == {
        "crawlerName": "cr",
        "state": "Started",
        "message": "Crawler Started",
        "accountId": "123",
        "startTime": "2026-11-01T00:00:00Z",
    }
    counts = {
        "tablesCreated": 2,
        "tablesUpdated": 0,
        "tablesDeleted": 0,
        "partitionsCreated": 4,
        "partitionsUpdated": 0,
        "partitionsDeleted": 0,
    }
    succeeded = c.crawler_state_detail("Succeeded", "cr", "123", link, "s", "2026-11-01T00:00:03Z", counts, 3)
    assert succeeded["tablesCreated"] == "2"
    assert succeeded["partitionsCreated"] == "4"
    assert succeeded["runningTime (sec)"] == "3"
    assert succeeded["completionDate"] == "2026-11-01T00:00:03Z"
    assert succeeded["cloudWatchLogLink"] == (
        "https://console.aws.amazon.com/cloudwatch/home?region=us-east-1"
        "#logEventViewer:group=/aws-glue/crawlers;stream=cr"
    )
    failed = c.crawler_state_detail("Failed", "cr", "123", link, "s", error="boom")
    assert (failed["state"], failed["message"], failed["errorMessage"]) == ("Failed", "Crawler Failed", "boom")


def test_catalog_events_are_database_and_table_state_changes() -> None:
    settings = c.Settings(crawler="crawler", database="db")
    p = c.plan(crawl(sample_objects()).tables, {}, settings, RUN, ["s3://bkt/"])
    events = c.catalog_events(p, "db", "us-east-1", "123456789012")
    assert [(e.detail_type, e.detail["typeOfChange"]) for e in events] == [
        ("Glue Data Catalog Database State Change", "CreateTable"),
        ("Glue Data Catalog Table State Change", "BatchCreatePartition"),
        ("Glue Data Catalog Table State Change", "BatchCreatePartition"),
    ]
    assert events[0].detail == {
        "databaseName": "db",
        "typeOfChange": "CreateTable",
        "changedTables": ["events", "sales"],
    }
    assert events[2].detail == {
        "databaseName": "db",
        "tableName": "sales",
        "typeOfChange": "BatchCreatePartition",
        "changedPartitions": ["2026-11-01", "2026-11-02"],
    }
    assert events[2].resources == ["arn:aws:glue:us-east-1:123456789012:table/db/sales"]


def test_settings_come_from_the_crawlers_definition() -> None:
    configuration = json.dumps(
        {
            "Version": 1,
            "CrawlerOutput": {"Partitions": {"AddOrUpdateBehavior": "InheritFromTable"}},
            "Grouping": {"TableGroupingPolicy": "CombineCompatibleSchemas", "TableLevelConfiguration": 3},
            "CreatePartitionIndex": False,
        }
    )
    targets = {"S3Targets": [{"Path": "s3://b/p/", "Exclusions": ["x"], "SampleSize": 3}]}
    s = c.Settings.from_crawler(
        "cr",
        "db",
        targets,
        [],
        "Raw_",
        {"UpdateBehavior": "LOG", "DeleteBehavior": "LOG"},
        {"RecrawlBehavior": "CRAWL_EVENT_MODE"},
        configuration,
        "arn:aws:iam::1:role/r",
    )
    assert s.targets == (c.Target("s3://b/p/", ("x",), 3),)
    assert s.table_prefix == "raw_"
    assert (s.partitions_inherit_from_table, s.combine_compatible_schemas, s.table_level, s.create_partition_index) == (
        True,
        True,
        3,
        False,
    )
    assert s.new_folders_only
    assert s.update_behavior == "LOG"
    defaults = c.Settings.from_crawler("cr", "db", None, [], None, None, None, None, "")
    assert (defaults.update_behavior, defaults.delete_behavior, defaults.recrawl_behavior) == (
        "UPDATE_IN_DATABASE",
        "DEPRECATE_IN_DATABASE",
        "CRAWL_EVERYTHING",
    )


def test_dpu_hours_bill_ten_minutes_at_least() -> None:
    assert (c.dpu_hours(3), c.dpu_hours(1800)) == (0.1667, 0.5)
