"""Measure what enforcement costs: request latency with and without EMULATOR_IAM=enforce.

    .venv/bin/python bench/emulator_iam.py [--runs 200]

Starts two emulators on 127.0.0.1, one without the setting and one with it, and times `runs` calls
of each kind after a warm-up, alternating between the servers call by call so that the machine's
other load weighs on both alike. Prints the median and the 90th percentile in milliseconds: Glue
GetTable and S3 GetObject as the administrator on both, and on the enforcing one the same calls by
an IAM user whose policy names the table and the object prefix. Then, in this process, the
authorizer's own work for one GetTable by that user (finding the key's owner and policies in
moto's stores, resolving the call, deciding the three checks; and the signature check), as the
median of many repetitions in microseconds.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from tooling import aws_env
from tooling.emulator.server import Emulator
from tooling.paths import BUILD
from tooling.policy_documents import allow, document

READER_POLICY = document(
    allow(
        "glue:GetTable",
        [
            f"arn:aws:glue:{aws_env.REGION}:{aws_env.ACCOUNT_ID}:catalog",
            f"arn:aws:glue:{aws_env.REGION}:{aws_env.ACCOUNT_ID}:database/latency",
            f"arn:aws:glue:{aws_env.REGION}:{aws_env.ACCOUNT_ID}:table/latency/t",
        ],
    ),
    allow("s3:GetObject", "arn:aws:s3:::iam-latency/data/*"),
)


def _timed_ms(calls: list[Callable[[], Any]], runs: int) -> list[list[float]]:
    """Samples for each call, the calls taking turns."""
    for call in calls:
        for _ in range(10):
            call()
    samples: list[list[float]] = [[] for _ in calls]
    for _ in range(runs):
        for call, kept in zip(calls, samples, strict=True):
            started = time.perf_counter()
            call()
            kept.append((time.perf_counter() - started) * 1000)
    return samples


def _report(label: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p90 = ordered[int(len(ordered) * 0.9) - 1]
    return f"{label:<44} median {statistics.median(samples):6.2f} ms   p90 {p90:6.2f} ms"


def _setup(emulator: Emulator) -> None:
    emulator.client("glue").create_database(DatabaseInput={"Name": "latency"})
    emulator.client("glue").create_table(DatabaseName="latency", TableInput={"Name": "t"})
    emulator.client("s3").create_bucket(Bucket="iam-latency")
    emulator.client("s3").put_object(Bucket="iam-latency", Key="data/x.csv", Body=b"a\n1\n")


def _calls(clients: Callable[[str], Any]) -> dict[str, Callable[[], Any]]:
    glue, s3 = clients("glue"), clients("s3")
    return {
        "glue GetTable": lambda: glue.get_table(DatabaseName="latency", Name="t"),
        "s3 GetObject": lambda: s3.get_object(Bucket="iam-latency", Key="data/x.csv")["Body"].read(),
    }


def _reader(emulator: Emulator) -> Callable[[str], Any]:
    iam = emulator.client("iam")
    iam.create_user(UserName="latency-reader")
    iam.put_user_policy(UserName="latency-reader", PolicyName="read", PolicyDocument=READER_POLICY)
    key = iam.create_access_key(UserName="latency-reader")["AccessKey"]
    return lambda service: aws_env.client(
        service, emulator.url, aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"]
    )


def measure(runs: int) -> list[str]:
    off = Emulator(log_path=BUILD / "iam-latency-off.log").start()
    on = Emulator(settings={"EMULATOR_IAM": "enforce"}, log_path=BUILD / "iam-latency-enforce.log").start()
    try:
        _setup(off)
        _setup(on)
        kinds = {
            "off, administrator": _calls(off.client),
            "enforce, administrator": _calls(on.client),
            "enforce, least-privilege user": _calls(_reader(on)),
        }
        lines = []
        for name in ("glue GetTable", "s3 GetObject"):
            samples = _timed_ms([calls[name] for calls in kinds.values()], runs)
            lines += [_report(f"{name}, {kind}", kept) for kind, kept in zip(kinds, samples, strict=True)]
        return lines
    finally:
        off.stop()
        on.stop()


def _median_us(work: Callable[[], Any], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1e6)
    return statistics.median(samples)


def in_process(runs: int) -> list[str]:
    """The authorizer's own cost for one GetTable, without the HTTP round trip."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    from moto.iam.models import iam_backends

    from tooling.emulator.iam import api, moto_state, signing
    from tooling.emulator.iam.resources import Call, checks_for

    backend = iam_backends[aws_env.ACCOUNT_ID]["aws"]
    backend.create_user(region_name=aws_env.REGION, user_name="latency-in-process")
    backend.put_user_policy("latency-in-process", "read", READER_POLICY)
    key = backend.create_access_key("latency-in-process")
    call = Call("glue", "GetTable", aws_env.REGION, aws_env.ACCOUNT_ID, {"DatabaseName": "latency", "Name": "t"})
    lookups = moto_state.MotoLookups(aws_env.ACCOUNT_ID)

    def decide() -> None:
        identity = moto_state.identity_of(key.access_key_id)
        assert identity is not None
        assert api.evaluate(identity.principal, checks_for(call, lookups)) is None

    body = b'{"DatabaseName": "latency", "Name": "t"}'
    request = AWSRequest(
        method="POST",
        url="http://127.0.0.1:5000/",
        data=body,
        headers={
            "X-Amz-Target": "AWSGlue.GetTable",
            "Content-Type": "application/x-amz-json-1.1",
            "Host": "127.0.0.1:5000",
        },
    )
    SigV4Auth(Credentials(key.access_key_id, key.secret_access_key), "glue", aws_env.REGION).add_auth(request)
    headers = {**dict(request.headers.items()), "Host": "127.0.0.1:5000"}
    signed = signing.parse(headers["Authorization"], {})
    assert signed is not None

    def verify() -> None:
        assert signing.signature_matches(signed, key.secret_access_key, None, "POST", "/", headers, body)

    return [
        f"in process: owner, policies and decision of one GetTable  median {_median_us(decide, runs):7.1f} µs",
        f"in process: SigV4 signature check of one GetTable       median {_median_us(verify, runs):7.1f} µs",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    runs = parser.parse_args().runs
    print("\n".join([*measure(runs), *in_process(runs * 10)]))


if __name__ == "__main__":
    main()
