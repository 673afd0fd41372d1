"""The sample files shipped in examples/sample-data, into and out of a bucket."""

from __future__ import annotations

from typing import Any

from tooling.paths import SAMPLE_DATA

DATA_SUFFIXES = (".csv", ".jsonl", ".json", ".parquet", ".gz")


def files(prefix: str = "") -> dict[str, bytes]:
    """Sample files for a crawled prefix, by key: sample-data/<prefix> into <prefix> when it exists,
    otherwise everything (only data files; the folder's README is never uploaded)."""
    source = SAMPLE_DATA / prefix if prefix and (SAMPLE_DATA / prefix).is_dir() else SAMPLE_DATA
    found = {}
    for path in sorted(source.rglob("*")):
        if path.is_file() and path.name.endswith(DATA_SUFFIXES):
            found[prefix + path.relative_to(source).as_posix()] = path.read_bytes()
    return found


def upload(s3: Any, bucket: str, prefixes: list[str]) -> list[str]:
    """Upload the sample files under each crawled prefix; return their keys."""
    keys = []
    for prefix in prefixes:
        for key, body in files(prefix).items():
            s3.put_object(Bucket=bucket, Key=key, Body=body)
            keys.append(key)
    if not keys:
        raise AssertionError(f"no sample data uploaded from {SAMPLE_DATA}")
    return keys


def delete_every_version(s3: Any, bucket: str, keys: list[str] | None = None) -> None:
    """Versioned buckets without force_destroy are only destroyed once every version is gone.
    `keys` None deletes every version of every object."""
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        for v in page.get("Versions", []) + page.get("DeleteMarkers", []):
            if keys is None or v["Key"] in keys:
                s3.delete_object(Bucket=bucket, Key=v["Key"], VersionId=v["VersionId"])
