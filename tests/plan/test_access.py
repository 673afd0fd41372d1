"""Access policies and Lake Formation mode, read from real plans: the exact documents for a matrix
of inputs, what is created and attached, and the Lake Formation grants."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tooling.terraform.plan import Plan

PlanFn = Callable[..., Plan]

ACCOUNT = "123456789012"
KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ANALYST = f"arn:aws:iam::{ACCOUNT}:role/analyst"
PIPELINE = f"arn:aws:iam::{ACCOUNT}:role/team/pipeline"
OPERATOR = f"arn:aws:iam::{ACCOUNT}:role/oncall"
DATA = f"arn:aws:s3:::catalog-data-{ACCOUNT}-us-east-1"
RESULTS = f"arn:aws:s3:::catalog-athena-{ACCOUNT}-us-east-1"
GLUE = f"arn:aws:glue:us-east-1:{ACCOUNT}"
PREFIXES = {"targets": [{"prefix": "sales/"}, {"prefix": "events/"}]}


def as_sorted(value: Any) -> Any:
    """Lists sorted, one element unwrapped: IAM documents compare as sets of actions and resources."""
    if isinstance(value, dict):
        return {k: as_sorted(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted(value)
    return [value] if isinstance(value, str) else value


def document(plan: Plan, output: str) -> dict[str, dict[str, Any]]:
    doc = json.loads(plan.outputs[output])
    statements = {}
    for statement in doc["Statement"]:
        sid = statement.pop("Sid")
        statements[sid] = as_sorted(statement)
    return statements


def allow(actions: list[str], resources: list[str], condition: dict[str, Any] | None = None) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": ["Allow"], "Action": sorted(actions), "Resource": sorted(resources)}
    if condition:
        statement["Condition"] = as_sorted(condition)
    return statement


QUERY_ACTIONS = [
    "athena:StartQueryExecution",
    "athena:GetQueryExecution",
    "athena:GetQueryResults",
    "athena:GetQueryRuntimeStatistics",
    "athena:StopQueryExecution",
    "athena:ListQueryExecutions",
    "athena:BatchGetQueryExecution",
    "athena:GetWorkGroup",
    "athena:GetNamedQuery",
    "athena:ListNamedQueries",
    "athena:BatchGetNamedQuery",
]
CATALOG_ACTIONS = [
    "glue:GetDatabase",
    "glue:GetTable",
    "glue:GetTables",
    "glue:GetPartition",
    "glue:GetPartitions",
    "glue:BatchGetPartition",
]


def expected_query(
    database: str = "catalog", key: str | None = None, prefixes: list[str] | None = None, lake_formation: bool = False
) -> dict[str, dict[str, Any]]:
    prefixes = prefixes or []
    listing = {"StringLike": {"s3:prefix": [v for p in prefixes for v in (p, f"{p}*")]}} if prefixes else None
    expected = {
        "QueryInThisWorkgroup": allow(QUERY_ACTIONS, [f"arn:aws:athena:us-east-1:{ACCOUNT}:workgroup/catalog"]),
        "ReadThisDatabase": allow(
            CATALOG_ACTIONS, [f"{GLUE}:catalog", f"{GLUE}:database/{database}", f"{GLUE}:table/{database}/*"]
        ),
        "ListCrawledPrefixes": allow(["s3:ListBucket"], [DATA], listing),
        "ReadCrawledObjects": allow(["s3:GetObject"], [f"{DATA}/{p}*" for p in prefixes or [""]]),
        "LocateBuckets": allow(["s3:GetBucketLocation"], [DATA, RESULTS]),
        "ListQueryResults": allow(["s3:ListBucket"], [RESULTS]),
        "WriteAndReadQueryResults": allow(
            ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"], [f"{RESULTS}/*"]
        ),
    }
    if key:
        expected["DecryptAndEncryptThroughS3"] = allow(
            ["kms:Decrypt", "kms:GenerateDataKey"],
            [key],
            {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}},
        )
    if lake_formation:
        expected["LakeFormationDataAccess"] = allow(["lakeformation:GetDataAccess"], ["*"])
    return expected


def expected_write(key: str | None = None, prefixes: list[str] | None = None) -> dict[str, dict[str, Any]]:
    condition: dict[str, Any] = {"s3:x-amz-server-side-encryption": "aws:kms" if key else "AES256"}
    if key:
        condition["s3:x-amz-server-side-encryption-aws-kms-key-id"] = key
    expected = {
        "PutUnderCrawledPrefixes": allow(
            ["s3:PutObject", "s3:AbortMultipartUpload"],
            [f"{DATA}/{p}*" for p in prefixes or [""]],
            {"StringEqualsIfExists": condition},
        )
    }
    if key:
        expected["EncryptThroughS3"] = allow(
            ["kms:GenerateDataKey", "kms:Decrypt"],
            [key],
            {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}},
        )
    return expected


EXPECTED_CRAWL = {
    "InvokeTheTrigger": allow(
        ["lambda:InvokeFunction"], [f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:catalog-trigger-crawler"]
    ),
    "ReadTheCrawler": allow(["glue:GetCrawler", "glue:ListCrawls"], [f"{GLUE}:crawler/catalog"]),
    "ReadCrawlLogs": allow(
        ["logs:GetLogEvents", "logs:FilterLogEvents"],
        [
            f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws/lambda/catalog-trigger-crawler:*",
            f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws-glue/crawlers-role/catalog-crawler-catalog-crawler:*",
        ],
    ),
}

MATRIX = [
    ("defaults", {}, {}),
    ("key", {"kms_key": {"arn": KEY}}, {"key": KEY}),
    ("prefixes", {"crawler": PREFIXES}, {"prefixes": ["sales/", "events/"]}),
    (
        "key_and_prefixes",
        {"kms_key": {"arn": KEY}, "crawler": PREFIXES},
        {"key": KEY, "prefixes": ["sales/", "events/"]},
    ),
    ("existing_database", {"database": {"create": False, "name": "landing"}}, {"database": "landing"}),
    ("lake_formation", {"lake_formation": {}}, {"lake_formation": True}),
]


@pytest.mark.parametrize(("inputs", "shape"), [m[1:] for m in MATRIX], ids=[m[0] for m in MATRIX])
def test_policy_documents_are_exactly_the_least_privilege_ones(
    inputs: dict[str, Any], shape: dict[str, Any], plan_module: PlanFn
) -> None:
    plan = plan_module(**inputs)
    assert document(plan, "query_policy_json") == expected_query(**shape)
    write_shape = {k: v for k, v in shape.items() if k in ("key", "prefixes")}
    assert document(plan, "write_policy_json") == expected_write(**write_shape)
    assert document(plan, "crawl_policy_json") == EXPECTED_CRAWL


def test_no_policy_has_a_wildcard_action_and_only_lake_formation_a_wildcard_resource(plan_module: PlanFn) -> None:
    plan = plan_module(kms_key={"arn": KEY}, lake_formation={}, crawler=PREFIXES)
    for output in ("query_policy_json", "write_policy_json", "crawl_policy_json"):
        for sid, statement in document(plan, output).items():
            assert not any("*" in action for action in statement["Action"]), f"{output}/{sid}"
            if statement["Resource"] == ["*"]:
                assert statement["Action"] == ["lakeformation:GetDataAccess"], f"{output}/{sid}"


def test_nothing_is_created_or_attached_unless_asked(plan_module: PlanFn) -> None:
    plan = plan_module()
    assert not plan.of_type("aws_iam_policy")
    assert plan.outputs["access_policy_arns"] == {}


def test_policies_are_created_and_attached_to_the_named_roles(plan_module: PlanFn) -> None:
    plan = plan_module(access={"readers": [ANALYST], "writers": [PIPELINE], "operators": [OPERATOR]})
    policies = {v["name"]: json.loads(v["policy"]) for v in plan.of_type("aws_iam_policy").values()}
    assert sorted(policies) == ["catalog-crawl", "catalog-query", "catalog-write"]
    assert json.loads(plan.outputs["query_policy_json"]) == policies["catalog-query"]
    attachments = sorted(v["role"] for v in plan.of_type("aws_iam_role_policy_attachment").values())
    assert attachments == ["analyst", "oncall", "pipeline"]  # a role's name is the last part of its path


def test_create_policies_creates_all_three_without_attaching(plan_module: PlanFn) -> None:
    plan = plan_module(access={"create_policies": True})
    assert len(plan.of_type("aws_iam_policy")) == 3
    assert not plan.of_type("aws_iam_role_policy_attachment")


def grants(plan: Plan) -> dict[str, dict[str, Any]]:
    return {a.split(".", 1)[1]: v for a, v in plan.of_type("aws_lakeformation_permissions").items()}


def test_lake_formation_registers_the_prefixes_and_grants_the_crawler_and_readers(plan_module: PlanFn) -> None:
    plan = plan_module(lake_formation={}, crawler=PREFIXES, access={"readers": [ANALYST]})
    registered = {v["arn"]: v for v in plan.of_type("aws_lakeformation_resource").values()}
    assert sorted(registered) == [f"{DATA}/events", f"{DATA}/sales"]
    assert all(r["use_service_linked_role"] and r["hybrid_access_enabled"] for r in registered.values())
    found = grants(plan)
    assert sorted(found["crawler_database[0]"]["permissions"]) == sorted(["CREATE_TABLE", "ALTER", "DESCRIBE"])
    assert found["crawler_database[0]"]["database"][0]["name"] == "catalog"
    assert sorted(found["crawler_tables[0]"]["permissions"]) == sorted(["ALTER", "DESCRIBE"])
    assert found["crawler_tables[0]"]["table"][0]["wildcard"] is True
    assert (
        sorted(found[f'crawler_locations["{p}"]']["permissions"][0] for p in ("sales/", "events/"))
        == ["DATA_LOCATION_ACCESS"] * 2
    )
    assert sorted(found['reader_database["0"]']["permissions"]) == sorted(["DESCRIBE"])
    assert sorted(found['reader_tables["0"]']["permissions"]) == sorted(["SELECT", "DESCRIBE"])
    assert found['reader_tables["0"]']["table"][0]["wildcard"] is True, "tables created later included"
    # The crawler role's ARN is known only after apply; the reader's principal is the given ARN.
    assert found['reader_tables["0"]']["principal"] == ANALYST
    crawler_policy = json.loads(plan.resources["aws_iam_role_policy.crawler"]["policy"])
    assert "lakeformation:GetDataAccess" in json.dumps(crawler_policy)


def test_lake_formation_with_a_whole_bucket_registers_the_bucket_and_drop_only_when_deleting(
    plan_module: PlanFn,
) -> None:
    plan = plan_module(
        lake_formation={"hybrid_access": False, "role_arn": f"arn:aws:iam::{ACCOUNT}:role/lf"},
        crawler={"delete_behavior": "DELETE_FROM_DATABASE"},
    )
    (resource,) = plan.of_type("aws_lakeformation_resource").values()
    assert (resource["arn"], resource["role_arn"], resource["hybrid_access_enabled"]) == (
        DATA,
        f"arn:aws:iam::{ACCOUNT}:role/lf",
        False,
    )
    assert "DROP" in grants(plan)["crawler_database[0]"]["permissions"]
    assert "DROP" in grants(plan)["crawler_tables[0]"]["permissions"]


def test_lake_formation_works_with_an_existing_database(plan_module: PlanFn) -> None:
    plan = plan_module(lake_formation={}, database={"create": False, "name": "landing"}, access={"readers": [ANALYST]})
    assert not plan.of_type("aws_glue_catalog_database")
    assert grants(plan)["crawler_database[0]"]["database"][0]["name"] == "landing"
    assert grants(plan)['reader_tables["0"]']["table"][0]["database_name"] == "landing"


def test_without_lake_formation_nothing_is_registered_or_granted(plan_module: PlanFn) -> None:
    plan = plan_module(access={"readers": [ANALYST]})
    assert not plan.of_type("aws_lakeformation_resource") and not plan.of_type("aws_lakeformation_permissions")
