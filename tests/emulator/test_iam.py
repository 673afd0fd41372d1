"""IAM enforcement (EMULATOR_IAM=enforce): who may do what, decided as AWS decides it.

One emulator of this module's own runs in enforcing mode. The administrator (the fake credentials
every client uses) sets up a small data lake; IAM users and a role session with least-privilege
policies then make calls, and each case says whether AWS would allow it.
"""

from __future__ import annotations

import base64
import io
import json
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tooling import aws_env
from tooling.aws_env import Caller
from tooling.emulator.server import Emulator
from tooling.paths import BUILD
from tooling.policy_documents import allow, deny, document, trust

ACCOUNT = aws_env.ACCOUNT_ID
GLUE = f"arn:aws:glue:us-east-1:{ACCOUNT}"
ATHENA = f"arn:aws:athena:us-east-1:{ACCOUNT}"
DATA = "iam-tests-data"
RESULTS = "iam-tests-results"
DENIED = {"AccessDenied", "AccessDeniedException"}


LAMBDA_TRUST = trust("lambda.amazonaws.com")
ACCOUNT_TRUST = document(
    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"}
)
READ_ORDERS = allow(
    ["glue:GetTable", "glue:GetDatabase"], [f"{GLUE}:catalog", f"{GLUE}:database/sales", f"{GLUE}:table/sales/orders"]
)

POLICIES: dict[str, list[dict[str, Any]]] = {
    "reader": [READ_ORDERS],
    "analyst": [allow(["athena:StartQueryExecution", "athena:GetQueryExecution"], f"{ATHENA}:workgroup/analysts")],
    "s3reader": [
        allow("s3:GetObject", f"arn:aws:s3:::{DATA}/data/*"),
        allow("s3:ListBucket", f"arn:aws:s3:::{DATA}", StringLike={"s3:prefix": ["data/", "data/*"]}),
    ],
    "writer": [
        allow(
            "s3:PutObject",
            f"arn:aws:s3:::{DATA}/incoming/*",
            StringEquals={"s3:x-amz-server-side-encryption": "AES256"},
        ),
    ],
    "glue-but-not-hr": [allow("glue:*", "*"), deny("glue:GetTable", f"{GLUE}:table/hr/*")],
    "not-resource": [
        allow("s3:GetObject", f"arn:aws:s3:::{DATA}/*"),
        {"Effect": "Deny", "Action": "s3:GetObject", "NotResource": f"arn:aws:s3:::{DATA}/data/*"},
    ],
    "kms-reader": [allow("s3:GetObject", f"arn:aws:s3:::{DATA}/*")],
    "kms-reader-with-key": [
        allow("s3:GetObject", f"arn:aws:s3:::{DATA}/*"),
        allow("kms:Decrypt", "*", StringEquals={"kms:ViaService": "s3.us-east-1.amazonaws.com"}),
    ],
    "queue-sender": [allow("sqs:SendMessage", f"arn:aws:sqs:us-east-1:{ACCOUNT}:iam-tests-allowed")],
    "invoker": [allow("lambda:InvokeFunction", f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:iam-tests-allowed")],
    "grouped": [READ_ORDERS],  # held by the user's group, not the user
    "managed": [allow("s3:GetObject", f"arn:aws:s3:::{DATA}/data/*")],  # an attached managed policy
    "nothing": [],
}


@pytest.fixture(scope="module")
def enforcing() -> Iterator[Emulator]:
    server = Emulator(settings={"EMULATOR_IAM": "enforce"}, log_path=BUILD / "test-emulator-iam.log").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def lake(enforcing: Emulator) -> dict[str, str]:
    """The administrator's data lake: two databases, two workgroups, two buckets, a KMS key, queues."""
    glue = enforcing.client("glue")
    for database, tables in (("sales", ("orders", "customers")), ("hr", ("salaries",))):
        glue.create_database(DatabaseInput={"Name": database})
        for table in tables:
            glue.create_table(DatabaseName=database, TableInput={"Name": table})
    athena = enforcing.client("athena")
    for workgroup in ("analysts", "finance"):
        athena.create_work_group(
            Name=workgroup, Configuration={"ResultConfiguration": {"OutputLocation": f"s3://{RESULTS}/{workgroup}/"}}
        )
    s3 = enforcing.client("s3")
    for bucket in (DATA, RESULTS):
        s3.create_bucket(Bucket=bucket)
    key = enforcing.client("kms").create_key(Description="iam tests")["KeyMetadata"]["Arn"]
    s3.put_object(Bucket=DATA, Key="data/a.csv", Body=b"a\n1\n")
    s3.put_object(Bucket=DATA, Key="private/b.csv", Body=b"b\n2\n")
    s3.put_object(Bucket=DATA, Key="secret/c.csv", Body=b"c\n3\n", ServerSideEncryption="aws:kms", SSEKMSKeyId=key)
    s3.put_object(Bucket=DATA, Key="shared/d.csv", Body=b"d\n4\n")
    s3.put_bucket_policy(
        Bucket=DATA,
        Policy=document(
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/iam-tests-nothing"},
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{DATA}/shared/*",
            }
        ),
    )
    ciphertext = enforcing.client("kms").encrypt(KeyId=key, Plaintext=b"secret")["CiphertextBlob"]
    sqs = enforcing.client("sqs")
    queues = {name: sqs.create_queue(QueueName=name)["QueueUrl"] for name in ("iam-tests-allowed", "iam-tests-other")}
    finance = athena.start_query_execution(QueryString="SELECT 1", WorkGroup="finance")["QueryExecutionId"]
    return {"key": key, "finance_execution": finance, "ciphertext": base64.b64encode(ciphertext).decode(), **queues}


@pytest.fixture(scope="module")
def user(enforcing: Emulator) -> Callable[[str], Caller]:
    """user(policy name) -> a Caller for an IAM user holding that inline policy (one user per policy)."""
    made: dict[str, Caller] = {}

    def make(policy: str) -> Caller:
        if policy not in made:
            iam = enforcing.client("iam")
            name = f"iam-tests-{policy}"
            iam.create_user(UserName=name)
            if policy == "grouped":
                iam.create_group(GroupName=name)
                iam.put_group_policy(GroupName=name, PolicyName=policy, PolicyDocument=document(*POLICIES[policy]))
                iam.add_user_to_group(GroupName=name, UserName=name)
            elif policy == "managed":
                arn = iam.create_policy(PolicyName=name, PolicyDocument=document(*POLICIES[policy]))["Policy"]["Arn"]
                iam.attach_user_policy(UserName=name, PolicyArn=arn)
            elif POLICIES[policy]:
                iam.put_user_policy(UserName=name, PolicyName=policy, PolicyDocument=document(*POLICIES[policy]))
            key = iam.create_access_key(UserName=name)["AccessKey"]
            made[policy] = Caller(
                enforcing.url,
                {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]},
            )
        return made[policy]

    return make


@pytest.fixture(scope="module")
def role_session(enforcing: Emulator) -> Caller:
    """A session of a role allowed to read sales.orders only, assumed by the administrator over STS."""
    iam = enforcing.client("iam")
    role = iam.create_role(RoleName="iam-tests-reader", AssumeRolePolicyDocument=ACCOUNT_TRUST)["Role"]["Arn"]
    iam.put_role_policy(RoleName="iam-tests-reader", PolicyName="read", PolicyDocument=document(READ_ORDERS))
    credentials = enforcing.client("sts").assume_role(RoleArn=role, RoleSessionName="tests")["Credentials"]
    return Caller(
        enforcing.url,
        {
            "aws_access_key_id": credentials["AccessKeyId"],
            "aws_secret_access_key": credentials["SecretAccessKey"],
            "aws_session_token": credentials["SessionToken"],
        },
    )


def admin(enforcing: Emulator) -> Caller:
    return Caller(enforcing.url, {})


Call = Callable[[Callable[[str], Any], dict[str, str]], Any]


def get_table(database: str, table: str) -> Call:
    return lambda c, lake: c("glue").get_table(DatabaseName=database, Name=table)


def start_query(workgroup: str) -> Call:
    return lambda c, lake: c("athena").start_query_execution(QueryString="SELECT 1", WorkGroup=workgroup)


def get_object(key: str) -> Call:
    return lambda c, lake: c("s3").get_object(Bucket=DATA, Key=key)["Body"].read()


def list_objects(**prefix: str) -> Call:
    return lambda c, lake: c("s3").list_objects_v2(Bucket=DATA, **prefix)


def put_object(key: str, **encryption: str) -> Call:
    return lambda c, lake: c("s3").put_object(Bucket=DATA, Key=key, Body=b"x", **encryption)


def send_message(queue: str) -> Call:
    return lambda c, lake: c("sqs").send_message(QueueUrl=lake[queue], MessageBody="hello")


ALLOWED = None
# (case, who: "admin" | "session" | a POLICIES name, the call, ALLOWED or the denied "<action> <resource tail>")
CASES: list[tuple[str, str, Call, str | None]] = [
    ("admin reads any table", "admin", get_table("hr", "salaries"), ALLOWED),
    ("admin writes any object", "admin", put_object("anywhere/x.csv"), ALLOWED),
    ("admin lists IAM users", "admin", lambda c, lake: c("iam").list_users(), ALLOWED),
    ("admin queries in any workgroup", "admin", start_query("finance"), ALLOWED),
    ("reader reads its table", "reader", get_table("sales", "orders"), ALLOWED),
    ("reader reads its database", "reader", lambda c, lake: c("glue").get_database(Name="sales"), ALLOWED),
    (
        "reader cannot read another table",
        "reader",
        get_table("sales", "customers"),
        "glue:GetTable table/sales/customers",
    ),
    ("reader cannot read another database", "reader", get_table("hr", "salaries"), "glue:GetTable database/hr"),
    (
        "reader cannot list the database's tables",
        "reader",
        lambda c, lake: c("glue").get_tables(DatabaseName="sales"),
        "glue:GetTables catalog",
    ),
    (
        "reader cannot delete its table",
        "reader",
        lambda c, lake: c("glue").delete_table(DatabaseName="sales", Name="orders"),
        "glue:DeleteTable catalog",
    ),
    ("analyst queries in its workgroup", "analyst", start_query("analysts"), ALLOWED),
    (
        "analyst cannot query in another workgroup",
        "analyst",
        start_query("finance"),
        "athena:StartQueryExecution workgroup/finance",
    ),
    (
        "analyst cannot read another workgroup's execution",
        "analyst",
        lambda c, lake: c("athena").get_query_execution(QueryExecutionId=lake["finance_execution"]),
        "athena:GetQueryExecution workgroup/finance",
    ),
    (
        "analyst reads its own workgroup's execution",
        "analyst",
        lambda c, lake: c("athena").get_query_execution(
            QueryExecutionId=c("athena").start_query_execution(QueryString="SELECT 1", WorkGroup="analysts")[
                "QueryExecutionId"
            ]
        ),
        ALLOWED,
    ),
    ("s3 reader reads under its prefix", "s3reader", get_object("data/a.csv"), ALLOWED),
    (
        "s3 reader cannot read outside its prefix",
        "s3reader",
        get_object("private/b.csv"),
        f"s3:GetObject {DATA}/private/b.csv",
    ),
    ("s3 reader lists its prefix", "s3reader", list_objects(Prefix="data/"), ALLOWED),
    ("s3 reader cannot list another prefix", "s3reader", list_objects(Prefix="private/"), f"s3:ListBucket {DATA}"),
    ("s3 reader cannot list the whole bucket", "s3reader", list_objects(), f"s3:ListBucket {DATA}"),
    (
        "writer puts with the required encryption",
        "writer",
        put_object("incoming/x.csv", ServerSideEncryption="AES256"),
        ALLOWED,
    ),
    (
        "writer cannot put without encryption",
        "writer",
        put_object("incoming/y.csv"),
        f"s3:PutObject {DATA}/incoming/y.csv",
    ),
    (
        "writer cannot put with another encryption",
        "writer",
        put_object("incoming/z.csv", ServerSideEncryption="aws:kms"),
        f"s3:PutObject {DATA}/incoming/z.csv",
    ),
    (
        "writer cannot put outside its prefix",
        "writer",
        put_object("data/w.csv", ServerSideEncryption="AES256"),
        f"s3:PutObject {DATA}/data/w.csv",
    ),
    ("role session reads the role's table", "session", get_table("sales", "orders"), ALLOWED),
    (
        "role session cannot read another table",
        "session",
        get_table("sales", "customers"),
        "glue:GetTable table/sales/customers",
    ),
    ("role session cannot read objects", "session", get_object("data/a.csv"), f"s3:GetObject {DATA}/data/a.csv"),
    (
        "an explicit deny wins over glue:*",
        "glue-but-not-hr",
        get_table("hr", "salaries"),
        "glue:GetTable table/hr/salaries with an explicit deny",
    ),
    ("glue:* still allows what is not denied", "glue-but-not-hr", get_table("sales", "customers"), ALLOWED),
    (
        "a Deny with NotResource denies outside it",
        "not-resource",
        get_object("private/b.csv"),
        f"s3:GetObject {DATA}/private/b.csv with an explicit deny",
    ),
    ("a Deny with NotResource leaves inside it", "not-resource", get_object("data/a.csv"), ALLOWED),
    ("an SSE-KMS object needs kms:Decrypt", "kms-reader", get_object("secret/c.csv"), "kms:Decrypt key/"),
    ("kms:Decrypt via S3 reads an SSE-KMS object", "kms-reader-with-key", get_object("secret/c.csv"), ALLOWED),
    (
        "kms:Decrypt via S3 does not allow a direct Decrypt",
        "kms-reader-with-key",
        lambda c, lake: c("kms").decrypt(CiphertextBlob=base64.b64decode(lake["ciphertext"])),
        "kms:Decrypt key/",
    ),
    ("a sender sends to its queue", "queue-sender", send_message("iam-tests-allowed"), ALLOWED),
    (
        "a sender cannot send to another queue",
        "queue-sender",
        send_message("iam-tests-other"),
        "sqs:SendMessage iam-tests-other",
    ),
    (
        "a sender's batch is sqs:SendMessage",
        "queue-sender",
        lambda c, lake: c("sqs").send_message_batch(
            QueueUrl=lake["iam-tests-allowed"], Entries=[{"Id": "1", "MessageBody": "x"}]
        ),
        ALLOWED,
    ),
    ("a group's policy applies to its members", "grouped", get_table("sales", "orders"), ALLOWED),
    ("an attached managed policy applies", "managed", get_object("data/a.csv"), ALLOWED),
    (
        "an attached managed policy allows nothing more",
        "managed",
        get_object("private/b.csv"),
        f"s3:GetObject {DATA}/private/b.csv",
    ),
    (
        "a bucket policy naming a user allows it without an identity policy",
        "nothing",
        get_object("shared/d.csv"),
        ALLOWED,
    ),
    ("a user with no policy is denied", "nothing", get_object("data/a.csv"), f"s3:GetObject {DATA}/data/a.csv"),
]


@pytest.mark.parametrize(("case", "who", "call", "denial"), CASES, ids=[c[0] for c in CASES])
def test_a_call_is_allowed_exactly_when_aws_would_allow_it(
    enforcing: Emulator,
    lake: dict[str, str],
    user: Callable[[str], Caller],
    role_session: Caller,
    case: str,
    who: str,
    call: Call,
    denial: str | None,
) -> None:
    caller = admin(enforcing) if who == "admin" else role_session if who == "session" else user(who)
    if denial is ALLOWED:
        call(caller, lake)
        return
    with pytest.raises(ClientError) as denied:
        call(caller, lake)
    error = denied.value.response["Error"]
    action, _, detail = denial.partition(" ")
    assert error["Code"] in DENIED, error
    assert f"is not authorized to perform: {action} on resource: " in error["Message"], error
    resource_tail, _, reason = detail.partition(" with ")
    assert resource_tail in error["Message"], error
    assert ("with an explicit deny" in error["Message"]) == bool(reason), error


def _error_code(call: Callable[[], Any]) -> str:
    with pytest.raises(ClientError) as failed:
        call()
    return str(failed.value.response["Error"]["Code"])


READS_TWO_TABLES = """
import boto3

def handler(event, context):
    glue = boto3.client("glue")
    outcome = {}
    for table in ("orders", "customers"):
        try:
            glue.get_table(DatabaseName="sales", Name=table)
            outcome[table] = "allowed"
        except glue.exceptions.ClientError as error:
            outcome[table] = error.response["Error"]["Code"]
    return outcome
"""


def _http_get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - the local emulator's URL
            return int(answer.status), bytes(answer.read())
    except urllib.error.HTTPError as error:
        return int(error.code), b""


def _zip(source: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", source)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def functions(enforcing: Emulator, lake: dict[str, str]) -> dict[str, str]:
    """Two functions whose role may read sales.orders only; {"allowed": name, "other": name}."""
    iam = enforcing.client("iam")
    role = iam.create_role(RoleName="iam-tests-function", AssumeRolePolicyDocument=LAMBDA_TRUST)["Role"]["Arn"]
    iam.put_role_policy(RoleName="iam-tests-function", PolicyName="read", PolicyDocument=document(READ_ORDERS))
    names = {"allowed": "iam-tests-allowed", "other": "iam-tests-other"}
    for name in names.values():
        enforcing.client("lambda").create_function(
            FunctionName=name,
            Runtime="python3.11",
            Role=role,
            Handler="handler.handler",
            Code={"ZipFile": _zip(READS_TWO_TABLES)},
            Timeout=30,
        )
    return names


def test_a_function_runs_with_its_roles_permissions(enforcing: Emulator, functions: dict[str, str]) -> None:
    answer = enforcing.client("lambda").invoke(FunctionName=functions["allowed"], Payload=b"{}")

    assert json.loads(answer["Payload"].read()) == {"orders": "allowed", "customers": "AccessDeniedException"}


def test_invoke_is_authorized_as_lambda_invoke_function_on_the_function(
    enforcing: Emulator, functions: dict[str, str], user: Callable[[str], Caller]
) -> None:
    invoker = user("invoker")("lambda")

    assert invoker.invoke(FunctionName=functions["allowed"], Payload=b"{}")["StatusCode"] == 200
    other = functions["other"]
    assert _error_code(lambda: invoker.invoke(FunctionName=other, Payload=b"{}")) == "AccessDeniedException"


def test_a_wrong_secret_an_unknown_key_and_a_wrong_session_token_are_refused(
    enforcing: Emulator, lake: dict[str, str], user: Callable[[str], Caller], role_session: Caller
) -> None:
    reader = user("reader").credentials
    wrong_secret = aws_env.client(
        "glue", enforcing.url, aws_access_key_id=reader["aws_access_key_id"], aws_secret_access_key="not-the-secret"
    )
    unknown = aws_env.client("sqs", enforcing.url, aws_access_key_id="AKIAUNKNOWNUNKNOWN00", aws_secret_access_key="x")
    wrong_token = aws_env.client("glue", enforcing.url, **{**role_session.credentials, "aws_session_token": "forged"})
    presigned = enforcing.client("s3").generate_presigned_url(
        "get_object", Params={"Bucket": DATA, "Key": "data/a.csv"}
    )

    orders = {"DatabaseName": "sales", "Name": "orders"}
    assert _error_code(lambda: wrong_secret.get_table(**orders)) == "InvalidSignatureException"
    assert _error_code(lambda: unknown.list_queues()) == "UnrecognizedClientException"
    assert _error_code(lambda: wrong_token.get_table(**orders)) == "UnrecognizedClientException"
    assert _http_get(presigned) == (200, b"a\n1\n")
    assert _http_get(f"{enforcing.url}/{DATA}/data/a.csv")[0] == 403  # unsigned: anonymous


def test_a_key_policy_decides_even_for_the_administrator(enforcing: Emulator, lake: dict[str, str]) -> None:
    iam, kms = enforcing.client("iam"), enforcing.client("kms")
    role = iam.create_role(RoleName="iam-tests-key-user", AssumeRolePolicyDocument=ACCOUNT_TRUST)["Role"]["Arn"]
    key_policy = document(
        {"Effect": "Allow", "Principal": {"AWS": role}, "Action": "kms:Encrypt", "Resource": "*"},
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/emulator-admin"},
            "Action": ["kms:DescribeKey", "kms:PutKeyPolicy"],
            "Resource": "*",
        },
    )
    key = kms.create_key(Policy=key_policy)["KeyMetadata"]["KeyId"]
    credentials = enforcing.client("sts").assume_role(RoleArn=role, RoleSessionName="keys")["Credentials"]
    session = aws_env.client(
        "kms",
        enforcing.url,
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )

    assert session.encrypt(KeyId=key, Plaintext=b"x")["KeyId"].endswith(key)  # the key policy alone allows it
    assert _error_code(lambda: kms.encrypt(KeyId=key, Plaintext=b"x")) == "AccessDeniedException"
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["KeyId"] == key


def test_assume_role_needs_the_trust_policy_and_a_session_policy_narrows_the_session(
    enforcing: Emulator, lake: dict[str, str]
) -> None:
    iam, sts = enforcing.client("iam"), enforcing.client("sts")
    lambda_only = iam.create_role(RoleName="iam-tests-lambda-only", AssumeRolePolicyDocument=LAMBDA_TRUST)
    role = iam.create_role(RoleName="iam-tests-glue-reader", AssumeRolePolicyDocument=ACCOUNT_TRUST)["Role"]["Arn"]
    iam.put_role_policy(
        RoleName="iam-tests-glue-reader", PolicyName="glue", PolicyDocument=document(allow("glue:GetTable", "*"))
    )
    narrowed = sts.assume_role(RoleArn=role, RoleSessionName="narrow", Policy=document(READ_ORDERS))["Credentials"]
    glue = aws_env.client(
        "glue",
        enforcing.url,
        aws_access_key_id=narrowed["AccessKeyId"],
        aws_secret_access_key=narrowed["SecretAccessKey"],
        aws_session_token=narrowed["SessionToken"],
    )

    denied_arn = lambda_only["Role"]["Arn"]
    assert _error_code(lambda: sts.assume_role(RoleArn=denied_arn, RoleSessionName="denied")) == "AccessDenied"
    assert glue.get_table(DatabaseName="sales", Name="orders")["Table"]["Name"] == "orders"
    assert _error_code(lambda: glue.get_table(DatabaseName="hr", Name="salaries")) == "AccessDeniedException"


def test_the_caller_identity_of_the_fake_credentials_is_the_administrator(enforcing: Emulator) -> None:
    assert enforcing.client("sts").get_caller_identity()["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/emulator-admin"


def test_without_the_setting_nothing_is_enforced() -> None:
    server = Emulator(settings={"EMULATOR_IAM": ""}, log_path=BUILD / "test-emulator-iam-off.log").start()
    try:
        iam = server.client("iam")
        iam.create_user(UserName="iam-tests-unenforced")
        key = iam.create_access_key(UserName="iam-tests-unenforced")["AccessKey"]
        glue = aws_env.client(
            "glue", server.url, aws_access_key_id=key["AccessKeyId"], aws_secret_access_key="not-even-the-secret"
        )

        assert glue.get_databases()["DatabaseList"] == []
        assert server.client("sts").get_caller_identity()["Arn"] == f"arn:aws:sts::{ACCOUNT}:user/moto"
    finally:
        server.stop()


def test_the_administrator_survives_a_reset() -> None:
    server = Emulator(settings={"EMULATOR_IAM": "enforce"}, log_path=BUILD / "test-emulator-iam-reset.log").start()
    try:
        server.client("s3").create_bucket(Bucket="iam-tests-before-reset")
        server.reset()

        assert server.client("s3").list_buckets()["Buckets"] == []
        assert server.client("glue").get_databases()["DatabaseList"] == []
    finally:
        server.stop()
