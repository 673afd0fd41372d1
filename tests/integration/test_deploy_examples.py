"""Every example deploys to the local emulator, is what we promise, runs, re-plans empty, goes away.

Read top to bottom: apply, then what exists (buckets, catalog, trigger, schedule, Athena, IAM), then
the trigger run against the deployed crawler, then the second plan, then destroy.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tooling import aws_env, specs
from tooling.emulator.s3.gaps import INSECURE_TRANSPORT_HEADER
from tooling.emulator.server import Emulator
from tooling.paths import EXAMPLES
from tooling.terraform.deployment import Deployment

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ACCOUNT = aws_env.ACCOUNT_ID
REGION = aws_env.REGION


def expect(example: str) -> dict[str, Any]:
    """The `deployed` section of the example's spec (tests/examples/<example>.yaml)."""
    deployed: dict[str, Any] = specs.load(example)["deployed"]
    return deployed


def kms_key_arn(aws: Callable[[str], Any], dep: Deployment) -> str | None:
    if not expect(dep.example)["kms"]:
        return None
    keys = [k["KeyArn"] for k in aws("kms").list_keys()["Keys"]]
    ours = [k for k in keys if dep.example in aws("kms").describe_key(KeyId=k)["KeyMetadata"].get("Description", "")]
    assert len(ours) == 1, f"expected one KMS key for {dep.example}, found {ours}"
    return ours[0]


# ------------------------------------------------------------------------------ apply


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_example_applies_to_the_emulator(deployment: Deployment) -> None:
    assert deployment.resources > 0
    assert deployment.catalog["crawler_name"]


# ---------------------------------------------------------------------------- buckets


def managed_buckets(dep: Deployment) -> dict[str, str]:
    buckets = {"results": dep.catalog["results_bucket_name"]}
    if expect(dep.example)["creates_data_bucket"]:
        buckets["data"] = dep.catalog["data_bucket_name"]
    return buckets


@pytest.mark.parametrize("example", EXAMPLES)
def test_buckets_are_encrypted_versioned_private_owner_enforced_and_tls_only(
    deployment: Deployment, aws: Callable[[str], Any], example: str
) -> None:
    s3 = aws("s3")
    key = kms_key_arn(aws, deployment)
    for bucket in managed_buckets(deployment).values():
        rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
        default = rule["ApplyServerSideEncryptionByDefault"]
        if key:
            assert default == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key}, bucket
            assert rule.get("BucketKeyEnabled") is True, bucket
        else:
            assert default["SSEAlgorithm"] == "AES256", bucket
            assert "KMSMasterKeyID" not in default, bucket

        assert s3.get_bucket_versioning(Bucket=bucket).get("Status") == "Enabled", bucket

        block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
        assert block == {
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        }, bucket

        controls = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
        assert controls == [{"ObjectOwnership": "BucketOwnerEnforced"}], bucket

        (statement,) = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"]
        arn = f"arn:aws:s3:::{bucket}"
        assert sorted(statement.pop("Resource")) == [arn, f"{arn}/*"], bucket
        assert statement == {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }, bucket


@pytest.mark.parametrize("example", EXAMPLES)
def test_lifecycle_aborts_uploads_and_expires_results(
    deployment: Deployment, aws: Callable[[str], Any], example: str
) -> None:
    want = expect(example)
    s3 = aws("s3")
    for role, bucket in managed_buckets(deployment).items():
        rules = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
        enabled = [r for r in rules if r["Status"] == "Enabled"]
        abort = [
            r["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"]
            for r in enabled
            if "AbortIncompleteMultipartUpload" in r
        ]
        expiry = [r["Expiration"]["Days"] for r in enabled if "Days" in r.get("Expiration", {})]
        noncurrent = [
            r["NoncurrentVersionExpiration"]["NoncurrentDays"] for r in enabled if "NoncurrentVersionExpiration" in r
        ]
        if role == "data":
            assert abort == [7], bucket
            assert expiry == [], f"{bucket}: the data bucket must never expire objects"
            assert noncurrent == ([want["noncurrent_days"]] if want["noncurrent_days"] else []), bucket
        else:
            assert abort == [1], bucket
            assert expiry == [want["results_expiration"]], bucket
            assert noncurrent == [1], bucket
        for r in enabled:  # every rule covers the whole bucket
            assert r.get("Filter", {}).get("Prefix", "") == "" and r.get("Prefix", "") == "", r


@pytest.mark.parametrize("example", ["existing-bucket"])
def test_an_existing_bucket_is_crawled_but_left_alone(
    deployment: Deployment, aws: Callable[[str], Any], example: str
) -> None:
    s3 = aws("s3")
    bucket = deployment.catalog["data_bucket_name"]
    s3.head_bucket(Bucket=bucket)
    for call, code in (
        (s3.get_bucket_policy, "NoSuchBucketPolicy"),
        (s3.get_bucket_lifecycle_configuration, "NoSuchLifecycleConfiguration"),
    ):
        with pytest.raises(ClientError) as err:
            call(Bucket=bucket)
        assert err.value.response["Error"]["Code"] == code


@pytest.mark.parametrize("example", EXAMPLES)
def test_tls_only_policy_denies_plain_http_object_requests(
    deployment: Deployment, aws: Callable[[str], Any], deployed_on: Emulator, example: str
) -> None:
    """The emulator evaluates requests as HTTPS unless marked as plain HTTP (tooling/emulator/s3/gaps.py)."""
    insecure = aws_env.client("s3", deployed_on.url)
    insecure.meta.events.register(
        "before-sign.s3.*", lambda request, **_: request.headers.__setitem__(INSECURE_TRANSPORT_HEADER, "1")
    )
    for bucket in managed_buckets(deployment).values():
        with pytest.raises(ClientError) as err:
            insecure.put_object(Bucket=bucket, Key="tls-probe.txt", Body=b"x")
        assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403, bucket
        with pytest.raises(ClientError):
            aws("s3").head_object(Bucket=bucket, Key="tls-probe.txt")


# ---------------------------------------------------------------------------- catalog


@pytest.mark.parametrize("example", EXAMPLES)
def test_crawler_reads_s3_paths_and_writes_the_database(
    deployment: Deployment, aws: Callable[[str], Any], example: str
) -> None:
    want = expect(example)
    glue = aws("glue")
    cat = deployment.catalog
    glue.get_database(Name=cat["database_name"])
    crawler = glue.get_crawler(Name=cat["crawler_name"])["Crawler"]

    bucket = cat["data_bucket_name"]
    targets = {t["Path"]: t.get("Exclusions", []) for t in crawler["Targets"]["S3Targets"]}
    assert targets == {f"s3://{bucket}/{prefix}": excl for prefix, excl in want["targets"].items()}
    assert sorted(cat["crawler_s3_targets"]) == sorted(targets)
    assert not any(p.startswith("arn:") for p in targets), "crawler targets must be s3:// paths, never ARNs"

    assert crawler["DatabaseName"] == cat["database_name"]
    assert crawler["Role"] == cat["crawler_role_arn"]
    assert crawler.get("TablePrefix", "") == want["table_prefix"]
    assert crawler["SchemaChangePolicy"] == {"UpdateBehavior": "UPDATE_IN_DATABASE", "DeleteBehavior": "LOG"}
    assert crawler["RecrawlPolicy"] == {"RecrawlBehavior": "CRAWL_EVERYTHING"}
    assert sorted(crawler.get("Classifiers") or []) == want["classifiers"]
    for name in want["classifiers"]:
        csv = glue.get_classifier(Name=name)["Classifier"]["CsvClassifier"]
        assert (csv["Delimiter"], csv["ContainsHeader"]) == (";", "PRESENT")

    config = json.loads(crawler["Configuration"])
    assert config["Version"] == 1
    assert config["CrawlerOutput"] == {"Partitions": {"AddOrUpdateBehavior": "InheritFromTable"}}
    if example == "complete":
        assert config["Grouping"] == {"TableGroupingPolicy": "CombineCompatibleSchemas"}
    else:
        assert "Grouping" not in config

    # Always a security configuration, so that the crawler logs to a group the module owns.
    name = crawler["CrawlerSecurityConfiguration"]
    enc = glue.get_security_configuration(Name=name)["SecurityConfiguration"]["EncryptionConfiguration"]
    key = kms_key_arn(aws, deployment)
    if key:
        assert enc["S3Encryption"] == [{"S3EncryptionMode": "SSE-KMS", "KmsKeyArn": key}]
        assert enc["CloudWatchEncryption"] == {"CloudWatchEncryptionMode": "SSE-KMS", "KmsKeyArn": key}
    else:
        assert enc["CloudWatchEncryption"]["CloudWatchEncryptionMode"] == "DISABLED"
    group = cat["crawler_log_group_name"]
    assert group == f"/aws-glue/crawlers-role/{crawler['Role'].rsplit('/', 1)[1]}-{name}"
    groups = aws("logs").describe_log_groups(logGroupNamePrefix=group)["logGroups"]
    assert [(g["logGroupName"], g.get("retentionInDays"), g.get("kmsKeyId")) for g in groups] == [(group, 365, key)]


# ---------------------------------------------------------------------------- trigger


@pytest.mark.parametrize("example", EXAMPLES)
def test_trigger_function_runs_python_313_on_arm64_and_reports_failures_to_a_queue(
    deployment: Deployment, aws: Callable[[str], Any], example: str
) -> None:
    want = expect(example)
    cat = deployment.catalog
    fn = aws("lambda").get_function(FunctionName=cat["trigger_function_name"])["Configuration"]
    assert fn["FunctionArn"] == cat["trigger_function_arn"]
    assert (fn["Runtime"], fn["Architectures"], fn["Handler"]) == ("python3.13", ["arm64"], "trigger_crawler.handler")
    assert fn["Role"] == cat["trigger_role_arn"]
    assert fn["Environment"]["Variables"] == {"CRAWLER_NAME": cat["crawler_name"]}

    log_group = f"/aws/lambda/{cat['trigger_function_name']}"
    assert fn["LoggingConfig"]["LogGroup"] == log_group
    assert fn["LoggingConfig"]["LogFormat"] == "JSON"
    groups = aws("logs").describe_log_groups(logGroupNamePrefix=log_group)["logGroups"]
    assert [(g["logGroupName"], g.get("retentionInDays")) for g in groups] == [(log_group, want["log_retention"])]

    invoke = aws("lambda").get_function_event_invoke_config(FunctionName=cat["trigger_function_name"])
    assert invoke["DestinationConfig"]["OnFailure"]["Destination"] == cat["trigger_dlq_arn"]
    assert invoke["MaximumRetryAttempts"] == 2 and invoke["MaximumEventAgeInSeconds"] == 3600

    queue_name = cat["trigger_dlq_arn"].rsplit(":", 1)[1]
    url = aws("sqs").get_queue_url(QueueName=queue_name)["QueueUrl"]
    attrs = aws("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attrs["QueueArn"] == cat["trigger_dlq_arn"]
    if want["kms"]:
        assert attrs["KmsMasterKeyId"] == kms_key_arn(aws, deployment)
    else:
        assert attrs.get("SqsManagedSseEnabled") == "true"


@pytest.mark.parametrize("example", EXAMPLES)
def test_schedule_invokes_the_trigger_with_retries_and_a_dead_letter_queue(
    deployment: Deployment, aws: Callable[[str], Any], example: str
) -> None:
    expression, timezone = expect(example)["schedule"]
    cat = deployment.catalog
    name = cat["schedule_arn"].rsplit("/", 1)[1]
    schedule = aws("scheduler").get_schedule(Name=name, GroupName="default")
    assert (schedule["ScheduleExpression"], schedule["ScheduleExpressionTimezone"]) == (expression, timezone)
    assert schedule["FlexibleTimeWindow"] == {"Mode": "OFF"}
    target = schedule["Target"]
    assert target["Arn"] == cat["trigger_function_arn"]
    assert target["RoleArn"] == f"arn:aws:iam::{ACCOUNT}:role/{name}-schedule"
    assert target["RetryPolicy"] == {"MaximumRetryAttempts": 3, "MaximumEventAgeInSeconds": 3600}
    assert target["DeadLetterConfig"] == {"Arn": cat["trigger_dlq_arn"]}
    assert json.loads(target["Input"])["schedule"] == name


# ----------------------------------------------------------------------------- Athena


@pytest.mark.parametrize("example", EXAMPLES)
def test_athena_workgroup_enforces_encrypted_results_in_the_results_bucket(
    deployment: Deployment, aws: Callable[[str], Any], example: str
) -> None:
    want = expect(example)
    cat = deployment.catalog
    wg = aws("athena").get_work_group(WorkGroup=cat["athena_workgroup_name"])["WorkGroup"]
    config = wg["Configuration"]
    assert config["EnforceWorkGroupConfiguration"] is True
    assert config["PublishCloudWatchMetricsEnabled"] is True
    assert config["BytesScannedCutoffPerQuery"] == want["cutoff"]
    results = config["ResultConfiguration"]
    assert results["OutputLocation"] == cat["results_location"]
    assert results["OutputLocation"].startswith(f"s3://{cat['results_bucket_name']}/")
    assert results["ExpectedBucketOwner"] == ACCOUNT
    key = kms_key_arn(aws, deployment)
    assert results["EncryptionConfiguration"] == (
        {"EncryptionOption": "SSE_KMS", "KmsKey": key} if key else {"EncryptionOption": "SSE_S3"}
    )


# -------------------------------------------------------------------------------- IAM


MODULE_ROLES = ("crawler", "trigger-crawler", "crawl-schedule", "crawl-report")
# Resource "*" only where AWS has no resource-level permission, each with its reason.
WILDCARD_RESOURCES = {
    "cloudwatch:PutMetricData": "scoped by the cloudwatch:namespace condition",
    "lakeformation:GetDataAccess": "Lake Formation's own grants decide",
}


def our_roles(aws: Callable[[str], Any], name: str) -> list[dict[str, Any]]:
    """The roles the module creates (an example may create roles of its own, such as examples/access's teams)."""
    roles = aws("iam").list_roles()["Roles"]
    return [r for r in roles if r["RoleName"] in {f"{name}-{suffix}" for suffix in MODULE_ROLES}]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize("example", EXAMPLES)
def test_roles_allow_only_named_actions_on_named_resources(
    deployment: Deployment, aws: Callable[[str], Any], example: str
) -> None:
    iam = aws("iam")
    name = deployment.catalog["crawler_name"]
    roles = our_roles(aws, name)
    assert {r["Arn"] for r in roles} >= {deployment.catalog["crawler_role_arn"], deployment.catalog["trigger_role_arn"]}
    for role in roles:
        assert iam.list_attached_role_policies(RoleName=role["RoleName"])["AttachedPolicies"] == [], role["RoleName"]
        names = iam.list_role_policies(RoleName=role["RoleName"])["PolicyNames"]
        assert names, f"{role['RoleName']} has no inline policy"
        for policy_name in names:
            doc = iam.get_role_policy(RoleName=role["RoleName"], PolicyName=policy_name)["PolicyDocument"]
            doc = json.loads(doc) if isinstance(doc, str) else doc
            for st in as_list(doc["Statement"]):
                where = f"{role['RoleName']}/{policy_name}/{st.get('Sid')}"
                assert st["Effect"] == "Allow", where
                assert "NotAction" not in st and "NotResource" not in st, where
                for action in as_list(st["Action"]):
                    assert "*" not in action, f"{where}: wildcard action {action}"
                for resource in as_list(st["Resource"]):
                    if resource == "*":
                        assert as_list(st["Action"]) in ([a] for a in WILDCARD_RESOURCES), f"{where}: Resource *"
                        continue
                    assert f":{ACCOUNT}:" in resource or resource.startswith("arn:aws:s3:::"), f"{where}: {resource}"
                    assert (
                        name in resource
                        or name.replace("-", "_") in resource
                        or deployment.catalog["data_bucket_name"] in resource
                        or f"/{deployment.catalog['database_name']}" in resource
                        or resource.endswith(":catalog")
                        or ":key/" in resource
                        # The crawler's own log group, named after its role and security configuration.
                        or f":log-group:/aws-glue/crawlers-role/{name}-crawler-{name}-crawler" in resource
                    ), f"{where}: {resource} is not ours"


@pytest.mark.parametrize("example", EXAMPLES)
def test_service_roles_trust_only_their_service_from_this_account(
    deployment: Deployment, aws: Callable[[str], Any], example: str
) -> None:
    for role in our_roles(aws, deployment.catalog["crawler_name"]):
        doc = role["AssumeRolePolicyDocument"]
        doc = json.loads(doc) if isinstance(doc, str) else doc
        (st,) = as_list(doc["Statement"])
        assert (st["Effect"], st["Action"]) == ("Allow", "sts:AssumeRole"), role["RoleName"]
        (service,) = as_list(st["Principal"]["Service"])
        if service == "lambda.amazonaws.com":
            assert role["RoleName"].endswith(("-trigger-crawler", "-crawl-report")), role["RoleName"]
        assert st["Condition"]["StringEquals"]["aws:SourceAccount"] in (ACCOUNT, [ACCOUNT]), role["RoleName"]


# ------------------------------------------------------------------------- idempotency


@pytest.mark.parametrize("example", EXAMPLES)
def test_a_second_plan_after_apply_is_empty(deployment: Deployment, example: str) -> None:
    result = deployment.tf.plan_exit_code()
    changes = "\n".join(
        line
        for line in result.stdout.splitlines()
        if line.startswith(("  #", "      ~", "      +", "      -", "Plan:"))
    )
    assert result.returncode == 0, (
        f"terraform plan exited {result.returncode} after apply (2 = changes):\n{changes or result.stdout[-6000:]}"
        f"\n{result.stderr[-3000:]}"
    )


# ----------------------------------------------------------------------------- destroy


def leftovers(aws: Callable[[str], Any], name: str, buckets: list[str]) -> dict[str, list[str]]:
    """Everything in the emulator that carries this example's name."""
    underscored = name.replace("-", "_")
    found = {
        "buckets": [
            b["Name"] for b in aws("s3").list_buckets()["Buckets"] if b["Name"] in buckets or b["Name"].startswith(name)
        ],
        "roles": [r["RoleName"] for r in aws("iam").list_roles()["Roles"] if r["RoleName"].startswith(name)],
        "policies": [
            p["PolicyName"] for p in aws("iam").list_policies(Scope="Local")["Policies"] if name in p["PolicyName"]
        ],
        "crawlers": [c for c in aws("glue").list_crawlers()["CrawlerNames"] if c.startswith(name)],
        "classifiers": [
            c["CsvClassifier"]["Name"]
            for c in aws("glue").get_classifiers()["Classifiers"]
            if "CsvClassifier" in c and c["CsvClassifier"]["Name"].startswith(name)
        ],
        "security_configurations": [
            s["Name"]
            for s in aws("glue").get_security_configurations()["SecurityConfigurations"]
            if s["Name"].startswith(name)
        ],
        "functions": [
            f["FunctionName"] for f in aws("lambda").list_functions()["Functions"] if f["FunctionName"].startswith(name)
        ],
        "log_groups": [
            g["logGroupName"] for g in aws("logs").describe_log_groups()["logGroups"] if name in g["logGroupName"]
        ],
        "schedules": [s["Name"] for s in aws("scheduler").list_schedules()["Schedules"] if s["Name"].startswith(name)],
        "queues": [u for u in aws("sqs").list_queues().get("QueueUrls", []) if u.rsplit("/", 1)[1].startswith(name)],
        "topics": [t["TopicArn"] for t in aws("sns").list_topics()["Topics"] if name in t["TopicArn"]],
        "rules": [r["Name"] for r in aws("events").list_rules()["Rules"] if r["Name"].startswith(name)],
        "alarms": [
            a["AlarmName"]
            for a in aws("cloudwatch").describe_alarms()["MetricAlarms"]
            if a["AlarmName"].startswith(name)
        ],
        "workgroups": [w["Name"] for w in aws("athena").list_work_groups()["WorkGroups"] if w["Name"].startswith(name)],
    }
    databases = [d["Name"] for d in aws("glue").get_databases()["DatabaseList"]]
    found["databases"] = [d for d in databases if d.startswith(underscored)]
    return {k: v for k, v in found.items() if v}


@pytest.mark.parametrize("example", EXAMPLES)
def test_destroy_leaves_nothing_behind(
    deployment: Deployment, destroy_all: Callable[[], dict[str, Deployment]], aws: Callable[[str], Any], example: str
) -> None:
    cat = deployment.catalog
    database = cat["database_name"]
    buckets = [cat["results_bucket_name"], cat["data_bucket_name"]]
    destroy_all()
    assert deployment.destroyed, deployment.destroy_error
    left = leftovers(aws, cat["crawler_name"], buckets)
    if database in [d["Name"] for d in aws("glue").get_databases()["DatabaseList"]]:
        left["databases"] = [*left.get("databases", []), database]
    assert left == {}, f"examples/{example} left resources in the emulator after destroy: {left}"
