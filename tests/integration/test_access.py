"""The module's access policies, proven by enforcement on examples/access.

examples/access is applied to an emulator that authorizes every request against IAM policies
(EMULATOR_IAM=enforce, conftest.py). The example's three roles carry the module's policies: the
pipeline (writers) lands the sample data, on-call (operators) runs the crawl through the trigger,
and the analyst (readers) queries. Each case below is one request as one role and whether AWS
allows it: every allowed request must succeed and each neighbouring forbidden one be denied.

Not enforced by the emulator, and checked by the plan tier instead (tests/plan/test_access.py):
Lake Formation grants, and the KMS statements (this example's buckets use SSE-S3).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tooling import aws_env, catalog, sample_data, specs
from tooling.terraform.deployment import Deployment

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.uses_example("access"),
]

DENIED = {"AccessDenied", "AccessDeniedException"}
ROLES = ("analyst", "pipeline", "oncall")


@dataclass
class World:
    """A client factory per role (and the administrator), and what the cases refer to."""

    clients: dict[str, Callable[[str], Any]]
    cat: dict[str, Any]
    query_id: str
    other_database: str

    @property
    def bucket(self) -> str:
        return str(self.cat["data_bucket_name"])


def role_clients(admin: Callable[[str], Any], endpoint: str, role_arn: str) -> Callable[[str], Any]:
    credentials = admin("sts").assume_role(RoleArn=role_arn, RoleSessionName="access-test")["Credentials"]
    made: dict[str, Any] = {}

    def client(service: str) -> Any:
        if service not in made:
            made[service] = aws_env.client(
                service,
                endpoint,
                aws_access_key_id=credentials["AccessKeyId"],
                aws_secret_access_key=credentials["SecretAccessKey"],
                aws_session_token=credentials["SessionToken"],
            )
        return made[service]

    return client


@pytest.fixture(scope="module")
def world(deployments: dict[str, Deployment]) -> Iterator[World]:
    """The pipeline lands the sample data, on-call starts the crawl, the analyst runs a query;
    afterwards the data, the results, the tables and the other database are removed, so the
    example's other tests start from an empty catalog."""
    dep = deployments["access"]
    if dep.apply_error is not None:
        pytest.fail(f"examples/access did not apply:\n{dep.apply_error}", pytrace=False)
    cache: dict[str, Any] = {}

    def admin(service: str) -> Any:
        return cache.setdefault(service, aws_env.client(service, dep.endpoint))

    clients = {"admin": admin, **{r: role_clients(admin, dep.endpoint, dep.outputs[f"{r}_role_arn"]) for r in ROLES}}
    cat = dep.catalog
    glue = admin("glue")
    before = catalog.crawl_count(glue, cat["crawler_name"])
    sample_data.upload(
        clients["pipeline"]("s3"), cat["data_bucket_name"], list(specs.load("access")["deployed"]["targets"])
    )
    clients["oncall"]("lambda").invoke(FunctionName=cat["trigger_function_name"], Payload=b"{}")
    crawl = catalog.wait_for_crawl(glue, cat["crawler_name"], after=before)
    assert crawl["State"] == "COMPLETED", crawl
    admin("s3").put_object(Bucket=cat["data_bucket_name"], Key="other/secret.csv", Body=b"a,b\n1,2\n")
    glue.create_database(DatabaseInput={"Name": "other_team"})
    glue.create_table(DatabaseName="other_team", TableInput={"Name": "salaries", "StorageDescriptor": {"Columns": []}})
    result = catalog.query(
        clients["analyst"]("athena"), "SELECT count(*) FROM sales", cat["athena_workgroup_name"], cat["database_name"]
    )
    assert result.state == "SUCCEEDED", result.reason
    try:
        yield World(clients, cat, result.query_id, "other_team")
    finally:
        # A crawl the cases started (on-call invokes the trigger) must end before the catalog is
        # emptied, or it would write its tables afterwards.
        catalog.wait_for_crawl(glue, cat["crawler_name"])
        sample_data.delete_every_version(admin("s3"), cat["data_bucket_name"])
        sample_data.delete_every_version(admin("s3"), cat["results_bucket_name"])
        for table in catalog.tables(glue, cat["database_name"]):
            glue.delete_table(DatabaseName=cat["database_name"], Name=table.name)
        glue.delete_database(Name="other_team")


def results_key(w: World) -> str:
    athena = w.clients["analyst"]("athena")
    location = athena.get_query_execution(QueryExecutionId=w.query_id)["QueryExecution"]["ResultConfiguration"][
        "OutputLocation"
    ]
    return str(location.split("/", 3)[3])


def query(w: World, role: str, workgroup: str | None = None) -> Any:
    return w.clients[role]("athena").start_query_execution(
        QueryString="SELECT 1",
        WorkGroup=workgroup or w.cat["athena_workgroup_name"],
        QueryExecutionContext={"Database": w.cat["database_name"]},
    )


Case = tuple[str, str, Callable[[World], Any], bool]
CASES: list[Case] = [
    # Writers land files under the crawled prefixes, with the bucket's encryption, and nothing else.
    (
        "writer puts under sales/",
        "pipeline",
        lambda w: w.clients["pipeline"]("s3").put_object(Bucket=w.bucket, Key="sales/dt=2026-11-09/x.csv", Body=b"a\n"),
        True,
    ),
    (
        "writer puts under events/ with SSE-S3 asked",
        "pipeline",
        lambda w: w.clients["pipeline"]("s3").put_object(
            Bucket=w.bucket, Key="events/dt=2026-11-09/x.jsonl", Body=b"{}", ServerSideEncryption="AES256"
        ),
        True,
    ),
    (
        "writer puts outside the crawled prefixes",
        "pipeline",
        lambda w: w.clients["pipeline"]("s3").put_object(Bucket=w.bucket, Key="other/x.csv", Body=b"a\n"),
        False,
    ),
    (
        "writer puts with another encryption than the bucket's",
        "pipeline",
        lambda w: w.clients["pipeline"]("s3").put_object(
            Bucket=w.bucket, Key="sales/x.csv", Body=b"a\n", ServerSideEncryption="aws:kms"
        ),
        False,
    ),
    (
        "writer reads a crawled object",
        "pipeline",
        lambda w: w.clients["pipeline"]("s3").get_object(Bucket=w.bucket, Key="sales/dt=2026-11-01/part-0000.csv"),
        False,
    ),
    (
        "writer lists the data bucket",
        "pipeline",
        lambda w: w.clients["pipeline"]("s3").list_objects_v2(Bucket=w.bucket, Prefix="sales/"),
        False,
    ),
    (
        "writer reads query results",
        "pipeline",
        lambda w: w.clients["pipeline"]("s3").get_object(Bucket=w.cat["results_bucket_name"], Key=results_key(w)),
        False,
    ),
    (
        "writer creates a table",
        "pipeline",
        lambda w: w.clients["pipeline"]("glue").create_table(
            DatabaseName=w.cat["database_name"], TableInput={"Name": "x"}
        ),
        False,
    ),
    ("writer starts a query", "pipeline", lambda w: query(w, "pipeline"), False),
    # Operators run the crawler through the trigger and watch it, and nothing else.
    (
        "operator invokes the trigger",
        "oncall",
        lambda w: w.clients["oncall"]("lambda").invoke(FunctionName=w.cat["trigger_function_name"], Payload=b"{}"),
        True,
    ),
    (
        "operator reads the crawler",
        "oncall",
        lambda w: w.clients["oncall"]("glue").get_crawler(Name=w.cat["crawler_name"]),
        True,
    ),
    (
        "operator lists its crawls",
        "oncall",
        lambda w: w.clients["oncall"]("glue").list_crawls(CrawlerName=w.cat["crawler_name"]),
        True,
    ),
    (
        "operator reads the crawler's logs",
        "oncall",
        lambda w: w.clients["oncall"]("logs").filter_log_events(logGroupName=w.cat["crawler_log_group_name"]),
        True,
    ),
    (
        "operator starts the crawler directly",
        "oncall",
        lambda w: w.clients["oncall"]("glue").start_crawler(Name=w.cat["crawler_name"]),
        False,
    ),
    (
        "operator reads data",
        "oncall",
        lambda w: w.clients["oncall"]("s3").get_object(Bucket=w.bucket, Key="sales/dt=2026-11-01/part-0000.csv"),
        False,
    ),
    ("operator starts a query", "oncall", lambda w: query(w, "oncall"), False),
    # Readers query this workgroup, this database and the crawled prefixes, and nothing else.
    ("reader starts a query in the workgroup", "analyst", lambda w: query(w, "analyst"), True),
    ("reader starts a query in another workgroup", "analyst", lambda w: query(w, "analyst", "primary"), False),
    (
        "reader reads its query results through Athena",
        "analyst",
        lambda w: w.clients["analyst"]("athena").get_query_results(QueryExecutionId=w.query_id),
        True,
    ),
    (
        "reader reads its results object",
        "analyst",
        lambda w: w.clients["analyst"]("s3").get_object(Bucket=w.cat["results_bucket_name"], Key=results_key(w)),
        True,
    ),
    (
        "reader reads a table of the database",
        "analyst",
        lambda w: w.clients["analyst"]("glue").get_table(DatabaseName=w.cat["database_name"], Name="sales"),
        True,
    ),
    (
        "reader reads a table of another database",
        "analyst",
        lambda w: w.clients["analyst"]("glue").get_table(DatabaseName=w.other_database, Name="salaries"),
        False,
    ),
    (
        "reader deletes a table",
        "analyst",
        lambda w: w.clients["analyst"]("glue").delete_table(DatabaseName=w.cat["database_name"], Name="sales"),
        False,
    ),
    (
        "reader reads a crawled object",
        "analyst",
        lambda w: w.clients["analyst"]("s3").get_object(Bucket=w.bucket, Key="sales/dt=2026-11-01/part-0000.csv"),
        True,
    ),
    (
        "reader lists a crawled prefix",
        "analyst",
        lambda w: w.clients["analyst"]("s3").list_objects_v2(Bucket=w.bucket, Prefix="events/"),
        True,
    ),
    (
        "reader reads an object outside the prefixes",
        "analyst",
        lambda w: w.clients["analyst"]("s3").get_object(Bucket=w.bucket, Key="other/secret.csv"),
        False,
    ),
    (
        "reader lists outside the prefixes",
        "analyst",
        lambda w: w.clients["analyst"]("s3").list_objects_v2(Bucket=w.bucket, Prefix="other/"),
        False,
    ),
    (
        "reader puts an object",
        "analyst",
        lambda w: w.clients["analyst"]("s3").put_object(Bucket=w.bucket, Key="sales/x.csv", Body=b"a\n"),
        False,
    ),
    (
        "reader starts the crawler",
        "analyst",
        lambda w: w.clients["analyst"]("glue").start_crawler(Name=w.cat["crawler_name"]),
        False,
    ),
    (
        "reader invokes the trigger",
        "analyst",
        lambda w: w.clients["analyst"]("lambda").invoke(FunctionName=w.cat["trigger_function_name"], Payload=b"{}"),
        False,
    ),
]


@pytest.mark.parametrize(("request_", "expected"), [(c[2], c[3]) for c in CASES], ids=[c[0] for c in CASES])
def test_each_role_may_do_what_its_policy_says_and_nothing_next_to_it(
    world: World, request_: Callable[[World], Any], expected: bool
) -> None:
    try:
        response = request_(world)
    except ClientError as error:
        code = error.response["Error"]["Code"]
        assert not expected, f"allowed request failed: {code}: {error.response['Error'].get('Message')}"
        assert code in DENIED, f"denied with {code}, not an access denial: {error}"
        return
    assert expected, f"forbidden request succeeded: {json.dumps(response, default=str)[:300]}"


def test_there_are_at_least_twenty_cases_on_both_sides() -> None:
    assert len(CASES) >= 20
    assert {c[3] for c in CASES} == {True, False}
    assert {c[1] for c in CASES} == set(ROLES)


def test_the_analysts_query_returns_the_rows_through_its_own_permissions(world: World) -> None:
    result = catalog.query(
        world.clients["analyst"]("athena"),
        specs.load("access")["catalog"]["query"]["sql"],
        world.cat["athena_workgroup_name"],
        world.cat["database_name"],
    )
    assert result.rows == specs.load("access")["catalog"]["query"]["rows"]
