"""Signature Version 4: who signed a request and whether the signature is right.

moto recomputes the signature with botocore from the signed headers (moto/iam/access_control.py);
the same is done here, for every access key the authorizer knows (the administrator's included,
which moto's own lookup rejected because its requests carry a session token). Presigned URLs
(X-Amz-Credential, or AWSAccessKeyId for Signature Version 2, in the query string) and Signature
Version 2 headers name their access key but their signature is not checked, and neither is a
signature's age (X-Amz-Date, Expires).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

_AUTHORIZATION = re.compile(
    r"AWS4-HMAC-SHA256\s+Credential=(?P<key>[^/]+)/(?P<date>[^/]+)/(?P<region>[^/]+)/(?P<service>[^/]+)/"
    r"aws4_request,\s*SignedHeaders=(?P<headers>[^,]+),\s*Signature=(?P<signature>[0-9a-f]+)"
)


@dataclass(frozen=True)
class Signed:
    """The signer's claims: access key, credential scope, signed headers and signature."""

    access_key_id: str
    region: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str  # empty: not verifiable here (a presigned URL)


def parse(authorization: str | None, query: Mapping[str, str]) -> Signed | None:
    """The SigV4 claims of a request (Authorization header or presigned query); None if unsigned."""
    if authorization:
        match = _AUTHORIZATION.match(authorization.strip())
        if match is not None:
            return Signed(
                match["key"], match["region"], match["service"], tuple(match["headers"].split(";")), match["signature"]
            )
        if authorization.startswith("AWS ") and ":" in authorization:  # Signature Version 2 (S3)
            return Signed(authorization[4:].split(":", 1)[0].strip(), "", "s3", (), "")
        return None
    credential = query.get("X-Amz-Credential")
    if credential and credential.count("/") >= 4:
        key, _, region, service, _ = credential.split("/", 4)
        return Signed(key, region, service, (), "")
    if query.get("AWSAccessKeyId"):  # a Signature Version 2 presigned URL (S3)
        return Signed(query["AWSAccessKeyId"], "", "s3", (), "")
    return None


def signature_matches(
    signed: Signed,
    secret: str,
    session_token: str | None,
    method: str,
    path: str,
    headers: Mapping[str, str],
    body: bytes,
) -> bool:
    """Whether `signed.signature` is the one `secret` gives for this request (`path` with its query)."""
    wanted = {name.lower() for name in signed.signed_headers}
    kept = {name: value for name, value in headers.items() if name.lower() in wanted}
    if len({name.lower() for name in kept}) != len(wanted):
        return False  # a header the signature covers is missing
    request = AWSRequest(method=method, url=path, data=body, headers=kept)
    request.context["timestamp"] = next((v for k, v in headers.items() if k.lower() == "x-amz-date"), "")
    credentials = Credentials(signed.access_key_id, secret, session_token)
    auth = (S3SigV4Auth if signed.service == "s3" else SigV4Auth)(credentials, signed.service, signed.region)
    canonical = auth.canonical_request(request)
    return bool(auth.signature(auth.string_to_sign(request, canonical), request) == signed.signature)
