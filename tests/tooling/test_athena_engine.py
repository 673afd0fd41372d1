"""The local Athena engine on its own: Trino SQL over an in-memory catalog and object store."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Mapping
from typing import Any

import pytest

from tooling.emulator.athena import engine, hive, queries, results
from tooling.emulator.athena.engine import StoredObject, Table
from tooling.emulator.athena.gaps import apply_configuration_updates

LAZY = {"SerializationLibrary": hive.LAZY_SIMPLE, "Parameters": {"field.delim": ","}}


class Objects:
    def __init__(self, files: Mapping[str, bytes]) -> None:
        self.files = {tuple(k.split("/", 1)): v for k, v in files.items()}
        self.reads: list[str] = []

    def list(self, bucket: str, prefix: str) -> list[StoredObject]:
        return [StoredObject(k, len(v)) for (b, k), v in self.files.items() if b == bucket and k.startswith(prefix)]

    def read(self, bucket: str, key: str) -> bytes:
        self.reads.append(f"{bucket}/{key}")
        return self.files[(bucket, key)]


class Catalog:
    def __init__(self, *tables: Table) -> None:
        self.by_name = {(t.database, t.name): t for t in tables}

    def has_database(self, name: str) -> bool:
        return name in self.databases()

    def table(self, database: str, name: str) -> Table | None:
        return self.by_name.get((database, name))

    def databases(self) -> list[str]:
        return sorted({db for db, _ in self.by_name} | {"empty"})

    def tables(self, database: str) -> list[str]:
        return [name for db, name in self.by_name if db == database]


def glue_table(
    name: str,
    columns: list[tuple[str, str]],
    *,
    serde: dict[str, Any] | None = None,
    partition_keys: list[tuple[str, str]] | None = None,
    partitions: list[tuple[list[str], str]] | None = None,
    parameters: dict[str, str] | None = None,
    location: str | None = None,
) -> Table:
    return Table.from_glue(
        {
            "DatabaseName": "shop",
            "Name": name,
            "Parameters": parameters or {},
            "PartitionKeys": [{"Name": n, "Type": t} for n, t in partition_keys or []],
            "StorageDescriptor": {
                "Location": location or f"s3://data/{name}/",
                "SerdeInfo": serde or LAZY,
                "Columns": [{"Name": n, "Type": t} for n, t in columns],
            },
        },
        [{"Values": v, "StorageDescriptor": {"Location": loc}} for v, loc in partitions or []],
    )


SALES = glue_table(
    "sales",
    [("order_id", "bigint"), ("customer", "string"), ("amount", "double")],
    partition_keys=[("dt", "string")],
    partitions=[(["2024-01-01"], "s3://data/sales/dt=2024-01-01/"), (["2024-01-02"], "s3://data/sales/dt=2024-01-02")],
    parameters={"classification": "csv", "skip.header.line.count": "1"},
)
SALES_FILES = {
    "data/sales/dt=2024-01-01/part-0.csv": b"order_id,customer,amount\n1,alice,10.5\n2,bob,4.5\n",
    "data/sales/dt=2024-01-01/part-1.csv.gz": gzip.compress(b"order_id,customer,amount\n3,alice,5\n"),
    "data/sales/dt=2024-01-01/_SUCCESS": b"",
    "data/sales/dt=2024-01-02/part-0.csv": b"order_id,customer,amount\r\n4,carol,7.25\r\n5,bob,2.75\r\n",
    "data/sales/dt=2024-01-03/part-0.csv": b"order_id,customer,amount\n6,zed,100\n",
}


def run(sql: str, *tables: Table, files: Mapping[str, bytes] | None = None, **options: Any) -> engine.Outcome:
    return engine.run(
        sql, catalog=Catalog(*(tables or (SALES,))), objects=Objects(files or SALES_FILES), database="shop", **options
    )


def failure(sql: str, *tables: Table, files: Mapping[str, bytes] | None = None) -> engine.QueryFailed:
    with pytest.raises(engine.QueryFailed) as caught:
        run(sql, *tables, files=files)
    return caught.value


# --- reading tables ----------------------------------------------------------------------------


def test_only_registered_partitions_are_read_and_their_bytes_counted() -> None:
    objects = Objects(SALES_FILES)
    outcome = engine.run(
        "SELECT dt, count(*) AS orders, sum(amount) AS revenue FROM sales GROUP BY dt ORDER BY dt",
        catalog=Catalog(SALES),
        objects=objects,
        database="shop",
    )

    assert outcome.rows == [["2024-01-01", "3", "20.0"], ["2024-01-02", "2", "10.0"]]
    assert [(c.name, c.type) for c in outcome.columns] == [
        ("dt", "varchar"),
        ("orders", "bigint"),
        ("revenue", "double"),
    ]
    read = [
        "data/sales/dt=2024-01-01/part-0.csv",
        "data/sales/dt=2024-01-01/part-1.csv.gz",
        "data/sales/dt=2024-01-02/part-0.csv",
    ]
    assert objects.reads == read
    assert outcome.bytes_scanned == sum(len(SALES_FILES[k]) for k in read)


def test_text_fields_are_cast_with_hives_rules() -> None:
    table = glue_table(
        "typed",
        [
            ("i", "int"),
            ("b", "boolean"),
            ("d", "date"),
            ("ts", "timestamp"),
            ("n", "decimal(10,2)"),
            ("tags", "array<string>"),
            ("s", "string"),
        ],
    )
    files = {
        "data/typed/a.csv": b"1.5,TRUE,2024-02-30,2024-01-01 10:00:00,12.345,a\x02b,\\N\n+7,no,2024-02-29,bad,x,,\n42\n"
    }

    rows = run("SELECT * FROM typed", table, files=files).rows

    assert rows == [
        [None, "true", None, "2024-01-01 10:00:00.000", "12.35", "[a, b]", None],
        ["7", None, "2024-02-29", None, None, "[]", ""],
        ["42", None, None, None, None, None, None],
    ]


def test_partition_values_take_the_partition_keys_type() -> None:
    table = glue_table(
        "events",
        [("n", "int")],
        partition_keys=[("year", "int")],
        partitions=[
            (["2024"], "s3://data/events/year=2024/"),
            (["__HIVE_DEFAULT_PARTITION__"], "s3://data/events/year=x/"),
        ],
    )
    files = {"data/events/year=2024/a": b"1\n", "data/events/year=x/a": b"2\n"}

    outcome = run("SELECT year + 1 AS next, n FROM events ORDER BY n", table, files=files)

    assert outcome.rows == [["2025", "1"], [None, "2"]]
    assert outcome.columns[0].type == "integer"


def test_a_csv_without_a_header_reads_every_line_and_pads_short_rows() -> None:
    table = glue_table(
        "plain",
        [("a", "string"), ("b", "string")],
        serde={
            "SerializationLibrary": hive.LAZY_SIMPLE,
            "Parameters": {"serialization.format": "|", "field.delim": "|"},
        },
    )

    rows = run("SELECT a, b FROM plain", table, files={"data/plain/x.txt": b"a|b|extra\nonly\n"}).rows

    assert rows == [["a", "b"], ["only", None]]


def test_opencsv_reads_quoted_fields_with_its_separator() -> None:
    table = glue_table(
        "quoted",
        [("name", "string"), ("note", "string")],
        parameters={"skip.header.line.count": "1"},
        serde={"SerializationLibrary": hive.OPEN_CSV, "Parameters": {"separatorChar": ";"}},
    )

    rows = run("SELECT * FROM quoted", table, files={"data/quoted/q.csv": b'name;note\n"a;b";"say ""hi"""\n'}).rows

    assert rows == [["a;b", 'say "hi"']]


def test_json_lines_match_keys_case_insensitively_and_keep_nested_values() -> None:
    table = glue_table(
        "people",
        [("name", "string"), ("age", "int"), ("address", "struct<city:string,zip:int>"), ("pets", "array<string>")],
        serde={"SerializationLibrary": hive.OPENX_JSON},
    )
    body = b'{"Name": "ann", "age": 31, "address": {"city": "Oslo", "zip": 150}, "pets": ["cat"]}\n\n{"name": "bo"}\n'

    rows = run("SELECT name, age, address.city, pets FROM people", table, files={"data/people/p.json": body}).rows

    assert rows == [["ann", "31", "Oslo", "[cat]"], ["bo", None, None, None]]


def test_a_malformed_json_line_fails_the_query_unless_ignored() -> None:
    table = glue_table("bad", [("a", "int")], serde={"SerializationLibrary": hive.HIVE_JSON})
    files = {"data/bad/x.json": b'{"a": 1}\nnot json\n'}

    assert failure("SELECT * FROM bad", table, files=files).name == "HIVE_CURSOR_ERROR"

    tolerant = glue_table(
        "bad",
        [("a", "int")],
        serde={"SerializationLibrary": hive.OPENX_JSON, "Parameters": {"ignore.malformed.json": "true"}},
    )
    assert run("SELECT * FROM bad", tolerant, files=files).rows == [["1"], [None]]


def test_parquet_columns_are_read_by_name() -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    pq.write_table(pa.table({"Amount": [1.5, 2.5], "id": [1, 2]}), buffer)
    table = glue_table(
        "facts",
        [("id", "bigint"), ("amount", "double"), ("missing", "string")],
        serde={"SerializationLibrary": hive.PARQUET},
    )

    rows = run("SELECT * FROM facts ORDER BY id", table, files={"data/facts/f.parquet": buffer.getvalue()}).rows

    assert rows == [["1", "1.5", None], ["2", "2.5", None]]


def test_hidden_files_and_folder_markers_are_not_read() -> None:
    table = glue_table("logs", [("line", "string")])
    files = {
        "data/logs/a.txt": b"one\n",
        "data/logs/.hidden": b"two\n",
        "data/logs/_tmp/b.txt": b"three\n",
        "data/logs/": b"",
        "data/logs/sub/c.txt": b"four\n",
    }

    assert run("SELECT line FROM logs ORDER BY line", table, files=files).rows == [["four"], ["one"]]


def test_the_scan_stops_once_the_cutoff_is_passed() -> None:
    with pytest.raises(engine.ScanLimitExceeded) as caught:
        run("SELECT count(*) FROM sales", bytes_limit=60)

    assert caught.value.limit == 60
    assert run("SELECT count(*) FROM sales", bytes_limit=10_000).rows == [["5"]]


def test_an_unsupported_serde_fails_with_hive_unsupported_format() -> None:
    orc = {"SerializationLibrary": "org.apache.hadoop.hive.ql.io.orc.OrcSerde"}
    table = glue_table("orc", [("a", "int")], serde=orc)

    assert failure("SELECT * FROM orc", table).name == "HIVE_UNSUPPORTED_FORMAT"


# --- translation -------------------------------------------------------------------------------


def test_trino_semantics_hold_on_duckdb() -> None:
    outcome = run("SELECT 7 / 2, -7 / 2, 1.5, 1e20, 0.1 + 0.2, x AS Named FROM (VALUES 1) AS t(x)")

    assert outcome.rows == [["3", "-3", "1.5", "1.0E20", "0.30000000000000004", "1"]]
    assert [c.name for c in outcome.columns] == ["_col0", "_col1", "_col2", "_col3", "_col4", "named"]
    assert [c.type for c in outcome.columns[:3]] == ["integer", "integer", "double"]


def test_trino_functions_are_translated() -> None:
    sql = (
        "SELECT date_add('day', 1, TIMESTAMP '2024-01-31 00:00:00'), cardinality(ARRAY[1, 2]), "
        "element_at(MAP(ARRAY['k'], ARRAY[5]), 'k'), regexp_like('abc', 'b'), approx_distinct(customer), "
        "date_format(TIMESTAMP '2024-01-02 03:04:05', '%Y/%m/%d') FROM sales"
    )

    assert run(sql).rows == [["2024-02-01 00:00:00.000", "2", "5", "true", "3", "2024/01/02"]]


def test_ctes_qualified_names_and_execution_parameters_resolve() -> None:
    sql = (
        "WITH big AS (SELECT * FROM awsdatacatalog.shop.sales WHERE amount > ?) "
        "SELECT customer FROM big WHERE customer <> ? ORDER BY customer"
    )

    assert run(sql, parameters=["5", "'bob'"]).rows == [["alice"], ["carol"]]


def test_values_are_written_in_athenas_notation() -> None:
    sql = (
        "SELECT CAST(ROW(1, 'x') AS ROW(a integer, b varchar)), MAP(ARRAY['k'], ARRAY[NULL]), ARRAY[1.5E0, NULL], "
        "DATE '2024-01-02', TIMESTAMP '2024-01-02 03:04:05.6', CAST(2.5 AS decimal(10, 3)), CAST(0.1 AS real), "
        "true, NULL, from_hex('0102')"
    )
    outcome = run(sql)

    assert outcome.rows == [
        [
            "{a=1, b=x}",
            "{k=null}",
            "[1.5, null]",
            "2024-01-02",
            "2024-01-02 03:04:05.600",
            "2.500",
            "0.1",
            "true",
            None,
            "01 02",
        ]
    ]
    assert [c.type for c in outcome.columns] == [
        "row",
        "map",
        "array",
        "date",
        "timestamp",
        "decimal",
        "real",
        "boolean",
        "unknown",
        "varbinary",
    ]
    assert (outcome.columns[5].precision, outcome.columns[5].scale) == (10, 3)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.0, "1.0"),
        (0.001, "0.001"),
        (1234567.5, "1234567.5"),
        (1e7, "1.0E7"),
        (1.25e-4, "1.25E-4"),
        (-3e21, "-3.0E21"),
        (float("nan"), "NaN"),
        (float("-inf"), "-Infinity"),
        (-0.0, "-0.0"),
    ],
)
def test_doubles_print_as_java_does(value: float, text: str) -> None:
    assert results.java_double(value) == text


def test_the_sql_cannot_read_local_files() -> None:
    assert failure("SELECT * FROM read_text('/etc/hostname')").name.startswith(("GENERIC", "TABLE"))


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("SELECT * FROM nothing", "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.shop.nothing' does not exist"),
        (
            "SELECT *\nFROM   Shop.Nothing",
            "TABLE_NOT_FOUND: line 2:8: Table 'awsdatacatalog.shop.nothing' does not exist",
        ),
        ("SELECT * FROM nowhere.sales", "SCHEMA_NOT_FOUND: line 1:15: Schema 'nowhere' does not exist"),
        ("SELECT * FROM hive.shop.sales", "CATALOG_NOT_FOUND: line 1:15: Catalog 'hive' does not exist"),
        (
            "SELECT amount, colour FROM sales",
            "COLUMN_NOT_FOUND: line 1:16: Column 'colour' cannot be resolved or "
            "requester is not authorized to access requested resources",
        ),
        (
            "SELECT s.colour FROM sales s",
            "COLUMN_NOT_FOUND: line 1:8: Column 's.colour' cannot be resolved or "
            "requester is not authorized to access requested resources",
        ),
        ("SELECT no_such_fn(amount) FROM sales", "FUNCTION_NOT_FOUND: line 1:8: Function 'no_such_fn' not registered"),
        (
            "SELECT customer, count(*) FROM sales GROUP BY dt",
            "EXPRESSION_NOT_AGGREGATE: line 1:8: 'customer' must be an aggregate expression or appear in GROUP BY clause",
        ),
        ("SELECT 1 / 0", "DIVISION_BY_ZERO: Division by zero"),
    ],
)
def test_errors_carry_athenas_name_and_position(sql: str, reason: str) -> None:
    error = failure(sql)

    assert error.reason == reason
    assert error.athena_error()["ErrorMessage"] == reason
    assert error.athena_error()["ErrorCategory"] == 2


def test_not_found_errors_have_the_entity_not_found_type() -> None:
    assert failure("SELECT * FROM nothing").athena_error() == {
        "ErrorCategory": 2,
        "ErrorType": 1301,
        "Retryable": False,
        "ErrorMessage": "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.shop.nothing' does not exist",
    }
    assert failure("SELECT colour FROM sales").error_type == 1006


@pytest.mark.parametrize("sql", ["SELEC 1", "SELECT * FROM", "SELECT a FROM t WHERE", "", "SELECT 1; SELECT 2"])
def test_a_statement_that_does_not_parse_is_malformed(sql: str) -> None:
    with pytest.raises(engine.MalformedQuery, match=r"^line \d+:\d+: "):
        engine.parse(sql)


def test_statements_are_classified_as_athena_does() -> None:
    kinds = {
        sql: (engine.parse(sql).statement_type, engine.parse(sql).substatement_type)
        for sql in [
            "SELECT 1",
            "WITH a AS (SELECT 1) SELECT * FROM a",
            "VALUES 1",
            "SELECT 1 UNION ALL SELECT 2",
            "INSERT INTO t SELECT 1",
            "CREATE DATABASE x",
            "DROP TABLE t",
            "SHOW TABLES",
        ]
    }

    assert kinds == {
        "SELECT 1": ("DML", "SELECT"),
        "WITH a AS (SELECT 1) SELECT * FROM a": ("DML", "SELECT"),
        "VALUES 1": ("DML", "SELECT"),
        "SELECT 1 UNION ALL SELECT 2": ("DML", "SELECT"),
        "INSERT INTO t SELECT 1": ("DML", "INSERT"),
        "CREATE DATABASE x": ("DDL", "CREATE_DATABASE"),
        "DROP TABLE t": ("DDL", "DROP_TABLE"),
        "SHOW TABLES": ("UTILITY", "SHOW_TABLES"),
    }


def test_show_lists_tables_and_databases_with_hive_patterns() -> None:
    other = glue_table("stock", [("n", "int")])

    assert run("SHOW TABLES", SALES, other).rows == [["sales"], ["stock"]]
    assert run("SHOW TABLES IN shop 'st*|none'", SALES, other).rows == [["stock"]]
    assert run("SHOW DATABASES", SALES).rows == [["empty"], ["shop"]]
    outcome = run("SHOW TABLES FROM empty", SALES)
    assert (outcome.rows, outcome.columns, outcome.statement_type) == (
        [],
        [results.Column("tab_name", "string")],
        "UTILITY",
    )
    assert failure("SHOW TABLES IN nowhere").name == "SCHEMA_NOT_FOUND"


def test_statements_other_than_queries_fail_as_not_supported() -> None:
    assert failure("INSERT INTO sales SELECT * FROM sales").name == "NOT_SUPPORTED"


# --- results -----------------------------------------------------------------------------------


def test_the_result_csv_quotes_every_value_and_leaves_null_empty() -> None:
    columns = [results.Column("a", "varchar"), results.Column("b", "bigint")]

    body = results.to_csv(columns, [['say "hi"', None], ["", "2"], ["multi\nline", "3"]])

    assert body == b'"a","b"\n"say ""hi""",\n"","2"\n"multi\nline","3"\n'
    assert results.to_csv(columns, []) == b'"a","b"\n'


def test_result_rows_start_with_the_header_and_omit_null_values() -> None:
    columns = [results.Column("a", "varchar"), results.Column("b", "bigint")]

    assert results.result_rows(columns, [["x", None]]) == [
        {"Data": [{"VarCharValue": "a"}, {"VarCharValue": "b"}]},
        {"Data": [{"VarCharValue": "x"}, {}]},
    ]


def test_the_metadata_companion_describes_the_columns_as_athena_does() -> None:
    outcome = run(
        "SELECT customer, count(*) AS n, CAST(1 AS decimal(5, 2)) AS d, true AS t, DATE '2024-01-01' AS day "
        "FROM sales GROUP BY customer"
    )

    query_id, columns = results.parse_metadata(results.to_metadata(outcome.engine_query_id, outcome.columns))

    assert query_id == outcome.engine_query_id
    assert columns == [
        {
            "CatalogName": "hive",
            "Name": "customer",
            "Label": "customer",
            "Type": "varchar",
            "Precision": 2147483647,
            "Scale": 0,
            "Nullable": 3,
            "CaseSensitive": 1,
        },
        {
            "CatalogName": "hive",
            "Name": "n",
            "Label": "n",
            "Type": "bigint",
            "Precision": 19,
            "Scale": 0,
            "Nullable": 3,
            "CaseSensitive": 0,
        },
        {
            "CatalogName": "hive",
            "Name": "d",
            "Label": "d",
            "Type": "decimal",
            "Precision": 5,
            "Scale": 2,
            "Nullable": 3,
            "CaseSensitive": 0,
        },
        {"CatalogName": "hive", "Name": "t", "Label": "t", "Type": "boolean", "Nullable": 3, "CaseSensitive": 0},
        {
            "CatalogName": "hive",
            "Name": "day",
            "Label": "day",
            "Type": "date",
            "Scale": 0,
            "Nullable": 3,
            "CaseSensitive": 0,
        },
    ]


def test_column_info_has_athenas_fields() -> None:
    assert results.Column("v", "varchar", 2147483647).info() == {
        "CatalogName": "hive",
        "SchemaName": "",
        "TableName": "",
        "Name": "v",
        "Label": "v",
        "Type": "varchar",
        "Precision": 2147483647,
        "Scale": 0,
        "Nullable": "UNKNOWN",
        "CaseSensitive": True,
    }


# --- request rules (queries.py) and UpdateWorkGroup (gaps.py) ------------------------------------


def test_an_enforced_workgroup_ignores_the_clients_result_configuration() -> None:
    workgroup = {"EnforceWorkGroupConfiguration": True, "ResultConfiguration": {"OutputLocation": "s3://wg/"}}
    client = {"OutputLocation": "s3://mine/", "EncryptionConfiguration": {"EncryptionOption": "SSE_S3"}}

    assert queries.result_configuration(workgroup, client) == {"OutputLocation": "s3://wg/"}
    assert queries.result_configuration({**workgroup, "EnforceWorkGroupConfiguration": False}, client) == client
    assert queries.result_configuration(
        {"EnforceWorkGroupConfiguration": False, "ResultConfiguration": {"OutputLocation": "s3://wg/"}}, None
    ) == {"OutputLocation": "s3://wg/"}


def test_the_result_file_is_named_after_the_query() -> None:
    assert queries.output_file("s3://r/out", "q1", "DML") == "s3://r/out/q1.csv"
    assert queries.output_file("s3://r/", "q1", "DDL") == "s3://r/q1.txt"
    assert queries.output_file("s3://r", "q1", "DML") == "s3://r/q1.csv"
    with pytest.raises(queries.AthenaRequestError, match="No output location provided"):
        queries.output_file(None, "q1", "DML")
    with pytest.raises(queries.AthenaRequestError, match="outputLocation is not a valid S3 path"):
        queries.output_file("https://r/out", "q1", "DML")


def test_result_encryption_maps_to_server_side_encryption() -> None:
    assert queries.encryption_arguments({"EncryptionOption": "SSE_S3"}) == {"encryption": "AES256"}
    assert queries.encryption_arguments({"EncryptionOption": "SSE_KMS", "KmsKey": "arn:k"}) == {
        "encryption": "aws:kms",
        "kms_key_id": "arn:k",
    }
    assert queries.encryption_arguments(None) == {}


def test_page_tokens_round_trip_and_reject_others() -> None:
    assert queries.token_offset(queries.page_token("q", 999), "q") == 999
    for bad in ("nope", queries.page_token("other", 1), json.dumps({"q": "q"})):
        with pytest.raises(queries.AthenaRequestError, match="Malformed nextPageToken"):
            queries.token_offset(bad, "q")
    with pytest.raises(queries.AthenaRequestError, match="MaxResults is more than maximum allowed length 1000"):
        queries.check_max_results(1001, 1000)


def test_workgroup_configuration_updates_apply_and_remove_settings() -> None:
    configuration = {
        "EnforceWorkGroupConfiguration": True,
        "BytesScannedCutoffPerQuery": 10,
        "ResultConfiguration": {"OutputLocation": "s3://a/", "EncryptionConfiguration": {"x": 1}},
    }

    updated = apply_configuration_updates(
        configuration,
        {
            "EnforceWorkGroupConfiguration": False,
            "RemoveBytesScannedCutoffPerQuery": True,
            "ResultConfigurationUpdates": {"OutputLocation": "s3://b/", "RemoveEncryptionConfiguration": True},
        },
    )

    assert updated == {"EnforceWorkGroupConfiguration": False, "ResultConfiguration": {"OutputLocation": "s3://b/"}}


def test_concurrent_queries_each_see_only_their_own_tables() -> None:
    from concurrent.futures import ThreadPoolExecutor

    def count(rows: int) -> list[list[str | None]]:
        table = glue_table("t", [("n", "int")])
        files = {"data/t/a.csv": b"".join(b"%d\n" % i for i in range(rows))}
        return run("SELECT count(*) FROM t", table, files=files).rows

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(count, [1, 2, 3, 4, 5, 6, 7, 8]))

    assert answers == [[[str(n)]] for n in range(1, 9)]
