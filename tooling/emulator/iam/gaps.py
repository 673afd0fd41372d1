"""IAM authorization of every request: EMULATOR_IAM=enforce.

What moto does: with INITIAL_NO_AUTH_ACTION_COUNT set, moto (moto/core/authorization.py,
moto/iam/access_control.py) authenticates each request by its access key and authorizes
`<signing service>:<operation>` against the caller's identity policies. What broke with it:

* nothing could run as anyone: every client here signs with the fake key "testing" and session
  token "testing"; moto takes a request with a session token for a role session, finds none and
  answers InvalidClientTokenId (to JSON services as an XML body botocore reports as "403"), so
  Terraform, the demo and the tests all failed at once;
* every action but S3's was checked against the resource "*" (a least-privilege policy naming
  its table, workgroup, queue or key allowed nothing); conditions of identity policies were in
  effect ignored (moto sets no request condition key, and a condition on an absent key held, so
  an Allow limited to a prefix or an encryption allowed everything); Lambda's Invoke was checked
  as `lambda:Invoke`, CloudWatch's as `monitoring:...`, SQS batches as `sqs:SendMessageBatch`;
* S3 actions were named after API operations (HeadBucket, GetPublicAccessBlock; a PUT
  ?encryption was CreateBucket), S3 condition keys (s3:prefix, s3:x-amz-server-side-encryption)
  were never set, bucket, queue, topic and key policies never granted anything, and SSE-KMS
  objects needed no KMS permission;
* moto counts requests in one global counter and the setting cannot be changed per server.

The fill: `Emulator(settings={"EMULATOR_IAM": "enforce"})` (or the variable in the server's
environment) creates the administrator (moto_state.py: the IAM user `emulator-admin`, an inline
Allow * on *, and the fake access key) at server start and authorizes every request from then on:

1. authentication (signing.py): the SigV4 signature is recomputed with the key owner's secret; an
   unknown or inactive key answers InvalidClientTokenId/UnrecognizedClientException (S3:
   InvalidAccessKeyId), a bad signature SignatureDoesNotMatch/InvalidSignatureException, a wrong
   or missing session token for a role session (or any token with a user's long-term key)
   InvalidClientTokenId/InvalidToken, an expired session ExpiredToken; an unsigned request is
   anonymous (S3: allowed only by a bucket policy naming "*"; other services:
   MissingAuthenticationToken). Principals: the administrator, IAM users with access keys (inline
   and attached policies, their groups' inline and attached policies), and role sessions from
   STS AssumeRole (the role's inline and attached policies, its permissions boundary, the
   session policy), the Lambda runner's function credentials included;
2. the checks of the call (resources.py: actions, resource ARNs, condition keys) are decided by
   policy.py (explicit deny wins; resource policies; boundaries; session policies) with
   conditions.py; global keys aws:SecureTransport (false with the s3 gap's
   x-moto-compat-insecure-transport header), aws:CurrentTime, aws:EpochTime, aws:RequestedRegion,
   aws:SourceIp, aws:username, aws:userid, aws:PrincipalArn, aws:PrincipalAccount,
   aws:PrincipalType, aws:PrincipalTag/<k> (roles);
3. a denial answers AccessDenied (S3, query protocols) or AccessDeniedException (JSON protocols)
   with AWS's message: "User: <arn> is not authorized to perform: <action> on resource: <arn>
   because no identity-based policy allows the <action> action" (or "with an explicit deny in
   ...").

sts:GetCallerIdentity is always allowed, as in AWS. Requests to `/moto-api/` and `/_emulator/`
are not AWS calls and are not authorized. Without the setting nothing changes: moto's own
INITIAL_NO_AUTH_ACTION_COUNT behaviour is left as it was.

Not enforced (the requests pass or fail on the rules above alone): service control policies,
cross-account access, ACLs and S3 Object Ownership, S3 access points, aws:ResourceTag,
aws:RequestTag and s3:ExistingObjectTag conditions, Lambda function policies, the signature of
presigned URLs and of Signature Version 2 requests and the age of any signature, MFA, Lake
Formation grants (GetDataAccess is only checked as an IAM action on "*"), permissions boundaries
of users (moto does not store them), DeleteObjects key by key (one denied key denies the whole
request, which moto then reports for every key), browser-form POST uploads (checked on the bucket
ARN), SSE-KMS on UploadPart, the KMS keys of encrypted SQS queues, SNS topics and log groups
(kms:GenerateDataKey/Decrypt for their senders and readers), calls whose service resources.py does
not map (authorized on "*"), and the data an Athena query reads and writes (the Athena engine asks
api.py).
"""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from moto.core.authorization import ActionAuthenticatorMixin
from moto.core.exceptions import JsonRESTError
from moto.core.request import Request
from moto.core.responses import BaseResponse
from moto.s3.exceptions import BucketAccessDeniedError, S3ClientError
from werkzeug.exceptions import HTTPException

from tooling.emulator.iam import api, moto_state, signing
from tooling.emulator.iam.conditions import ContextValue
from tooling.emulator.iam.policy import Principal
from tooling.emulator.iam.resources import IAM_PREFIX, Call, Check, S3Request, checks_for, s3_checks
from tooling.emulator.s3.gaps import INSECURE_TRANSPORT_HEADER

_original_normal = ActionAuthenticatorMixin._authenticate_and_authorize_normal_action
_original_s3 = ActionAuthenticatorMixin._authenticate_and_authorize_s3_action
_original_get_access_key = BaseResponse.get_access_key
_REST_JSON = {"lambda", "lakeformation", "scheduler"}
RAW_BODY = "tooling.iam.raw_body"  # WSGI environ key: a form body as it was signed


class _XmlError(HTTPException):
    """An error answer in the query protocol's XML (IAM, STS, SNS, CloudWatch)."""

    def __init__(self, code: str, message: str, status: int = 403) -> None:
        super().__init__()
        self.code = status
        self.description = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>Sender</Type>'
            f"<Code>{code}</Code><Message>{_xml_escape(message)}</Message></Error>"
            "<RequestId>emulator</RequestId></ErrorResponse>"
        )


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _error(json_protocol: bool, json_code: str, xml_code: str, message: str) -> HTTPException:
    if json_protocol:
        error = JsonRESTError(json_code, message)
        error.code = 403
        return error
    return _XmlError(xml_code, message)


def _s3_error(code: str, message: str, bucket: str | None) -> S3ClientError:
    if code == "AccessDenied" and bucket:
        denied = BucketAccessDeniedError(bucket)
        denied.message = message
        return denied
    return S3ClientError(code, message)


def _query(uri: str) -> dict[str, str]:
    return {k: v[0] for k, v in urllib.parse.parse_qs(urllib.parse.urlparse(uri).query, keep_blank_values=True).items()}


def _body(response: Any) -> bytes:
    raw = response.raw_body
    if not raw:
        request = getattr(response, "normalized_request", None)
        stashed = request.environ.get(RAW_BODY) if request is not None else None
        return stashed if isinstance(stashed, bytes) else b""
    return raw if isinstance(raw, bytes) else str(raw).encode()


def _load_form_data(self: Request) -> None:
    """werkzeug parses a form body from its stream and keeps nothing of it, and moto then has the
    form's values only; the signature covers the body's bytes. They are kept in the environ."""
    parent: Any = super(Request, self)
    if (
        not api.enforcing()
        or self.mimetype != "application/x-www-form-urlencoded"
        or "form" in self.__dict__
        or getattr(self, "_cached_data", None) is not None
    ):
        parent._load_form_data()
        return
    raw = self.stream.read()
    self.environ[RAW_BODY] = raw
    self._cached_data = raw
    try:
        parent._load_form_data()
    finally:
        del self._cached_data


def _global_context(response: Any, region: str) -> dict[str, ContextValue]:
    now = datetime.now(UTC)
    return {
        "aws:SecureTransport": "false" if response.headers.get(INSECURE_TRANSPORT_HEADER) is not None else "true",
        "aws:CurrentTime": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "aws:EpochTime": str(int(time.time())),
        "aws:RequestedRegion": region,
        "aws:SourceIp": "127.0.0.1",
        "aws:ViaAWSService": "false",
    }


class _Failure(Exception):
    """Authentication failed: (JSON code, query code, S3 code, message)."""

    def __init__(self, json_code: str, xml_code: str, s3_code: str, message: str) -> None:
        super().__init__(message)
        self.codes = (json_code, xml_code, s3_code)
        self.message = message


_INVALID_KEY = (
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "InvalidAccessKeyId",
    "The security token included in the request is invalid.",
)
_BAD_TOKEN = (
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "InvalidToken",
    "The security token included in the request is invalid.",
)


def authenticate(response: Any, signed: signing.Signed, query: Mapping[str, str]) -> Principal:
    """The principal who signed this request; _Failure when the key, token or signature is wrong."""
    identity = moto_state.identity_of(signed.access_key_id)
    if identity is None or not identity.active:
        raise _Failure(*_INVALID_KEY)
    token = response.headers.get("X-Amz-Security-Token") or next(
        (v for k, v in query.items() if k.lower() == "x-amz-security-token"), None
    )
    if identity.session_token is None and token:
        raise _Failure(*_BAD_TOKEN)
    if identity.session_token and token != identity.session_token:
        raise _Failure(*_BAD_TOKEN)
    if identity.expired:
        raise _Failure(
            "ExpiredTokenException",
            "ExpiredToken",
            "ExpiredToken",
            "The security token included in the request is expired",
        )
    if signed.signature:
        path = response.raw_path + (
            f"?{urllib.parse.urlparse(response.uri).query}" if urllib.parse.urlparse(response.uri).query else ""
        )
        if not signing.signature_matches(
            signed, identity.secret, token, response.method, path, dict(response.headers.items()), _body(response)
        ):
            raise _Failure(
                "InvalidSignatureException",
                "SignatureDoesNotMatch",
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided. "
                "Check your AWS Secret Access Key and signing method.",
            )
    api.set_current_access_key(signed.access_key_id)
    return identity.principal


def _params(response: Any, service: str) -> dict[str, Any]:
    content_type = str(response.headers.get("Content-Type", ""))
    if "json" in content_type or service in _REST_JSON:
        import json

        try:
            loaded = json.loads(_body(response) or b"{}")
        except ValueError:
            loaded = {}
        if isinstance(loaded, dict):
            return loaded
    return {k: (v[0] if isinstance(v, list) and v else v) for k, v in response.querystring.items()}


def _with(checks: list[Check], context: Mapping[str, ContextValue]) -> list[Check]:
    return [Check(c.action, c.resource, {**context, **c.context}) for c in checks]


def _authorize_normal(self: Any, resource: str = "*") -> None:
    if not api.enforcing():
        _original_normal(self, resource)
        return
    api.set_current_access_key(None)
    query = _query(self.uri)
    signed = signing.parse(self.headers.get("Authorization"), query)
    service = IAM_PREFIX.get(signed.service, signed.service) if signed else str(self.service_name)
    json_protocol = "json" in str(self.headers.get("Content-Type", "")) or service in _REST_JSON
    if signed is None:
        raise _error(
            json_protocol,
            "MissingAuthenticationTokenException",
            "MissingAuthenticationToken",
            "Request is missing Authentication Token",
        )
    try:
        principal = authenticate(self, signed, query)
    except _Failure as failure:
        raise _error(json_protocol, failure.codes[0], failure.codes[1], failure.message) from None
    operation = str(self._get_action())
    if service == "sts" and operation == "GetCallerIdentity":
        return
    call = Call(service, operation, self.region, self.current_account, _params(self, service), self.path, query)
    checks = _with(checks_for(call, moto_state.MotoLookups(self.current_account)), _global_context(self, self.region))
    denial = api.evaluate(principal, checks)
    if denial is not None:
        code = "AccessDenied" if service == "sqs" else "AccessDeniedException"
        raise _error(json_protocol, code, "AccessDenied", denial.message(principal.arn))


def _authorize_s3(self: Any, bucket_name: str | None = None, key_name: str | None = None) -> None:
    if not api.enforcing():
        _original_s3(self, bucket_name, key_name)
        return
    api.set_current_access_key(None)
    query = _query(self.uri)
    signed = signing.parse(self.headers.get("Authorization"), query)
    if signed is None:
        principal = moto_state.anonymous(self.current_account)
    else:
        try:
            principal = authenticate(self, signed, query)
        except _Failure as failure:
            raise _s3_error(failure.codes[2], failure.message, bucket_name) from None
    headers = {str(k).lower(): str(v) for k, v in self.headers.items()}
    request = S3Request(
        self.method, bucket_name, key_name, query, headers, self.region, self.current_account, _body(self)
    )
    checks = _with(s3_checks(request, moto_state.MotoLookups(self.current_account)), _global_context(self, self.region))
    denial = api.evaluate(principal, checks)
    if denial is not None:
        raise _s3_error("AccessDenied", denial.message(principal.arn), bucket_name)


def _get_access_key(self: BaseResponse) -> str:
    """moto recognises only 20-character keys in a signature, so the administrator's "testing" was
    "AKIAEXAMPLE" to it (GetCallerIdentity answered `user/moto`); the signed key is used here."""
    if api.enforcing():
        signed = signing.parse(self.headers.get("Authorization"), _query(self.uri))
        if signed is not None:
            return signed.access_key_id
    key: str = _original_get_access_key(self)
    return key


def install() -> None:
    BaseResponse.get_access_key = _get_access_key  # type: ignore[method-assign]
    Request._load_form_data = _load_form_data  # type: ignore[method-assign,assignment]
    ActionAuthenticatorMixin._authenticate_and_authorize_normal_action = _authorize_normal  # type: ignore[method-assign]
    ActionAuthenticatorMixin._authenticate_and_authorize_s3_action = _authorize_s3  # type: ignore[method-assign]
    if api.enforcing():
        moto_state.ensure_admin()
