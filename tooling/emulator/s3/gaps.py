"""S3 behaviour moto 5.2 lacks that the module's buckets depend on.

* Bucket policy conditions. moto checks a bucket policy on object requests but ignores a
  condition whose operator it does not implement, and it does not implement `Bool`. The module's
  TLS-only statement (Deny s3:* when aws:SecureTransport is "false") therefore applied
  unconditionally and denied every object upload, so no sample data could be loaded. `Bool`
  conditions are evaluated here, with aws:SecureTransport "true" because the emulator stands in
  for an HTTPS endpoint. A request with the header `x-moto-compat-insecure-transport` is evaluated
  as plain HTTP, so a test can prove the TLS-only policy denies it.
* EventBridge notifications. moto stores `EventBridgeConfiguration` but
  GetBucketNotificationConfiguration never returns it, so every plan wanted to turn `eventbridge`
  on again (`examples/complete`). It is returned when it is on.
"""

from __future__ import annotations

import json
from contextvars import ContextVar
from typing import Any

from moto.core.responses import ActionResult, EmptyResult
from moto.iam.access_control import IAMPolicyStatement, PermissionResult
from moto.s3.models import FakeBucket
from moto.s3.responses import S3Response

INSECURE_TRANSPORT_HEADER = "x-moto-compat-insecure-transport"
_secure_transport: ContextVar[bool] = ContextVar("secure_transport", default=True)
_original_key_response = S3Response.key_response


def _key_response(self: S3Response, request: Any, full_url: str, headers: dict[str, Any]) -> Any:
    token = _secure_transport.set(request.headers.get(INSECURE_TRANSPORT_HEADER) is None)
    try:
        return _original_key_response(self, request, full_url, headers)
    finally:
        _secure_transport.reset(token)


def _condition_matches(condition: dict[str, Any], context: dict[str, str]) -> bool:
    """Every operator and key must match (AWS semantics). Bool is evaluated here; the operators
    moto implements are left to moto."""
    for operator, entries in condition.items():
        for key, expected in entries.items():
            wanted = [str(v).lower() for v in (expected if isinstance(expected, list) else [expected])]
            if operator == "Bool":
                if context.get(key, "").lower() not in wanted:
                    return False
            elif not IAMPolicyStatement({"Condition": {operator: {key: expected}}})._check_conditions(context):
                return False
    return True


def _bucket_permission(self: FakeBucket, action: str, resource: str) -> PermissionResult:
    """Explicit deny wins, then any allow; a statement applies only when its conditions match."""
    if self.policy is None:
        return PermissionResult.NEUTRAL
    context = {"aws:SecureTransport": "true" if _secure_transport.get() else "false"}
    statements = json.loads(self.policy)["Statement"]
    result = PermissionResult.NEUTRAL
    for raw in statements if isinstance(statements, list) else [statements]:
        if not _condition_matches(raw.get("Condition", {}), context):
            continue
        unconditional = {k: v for k, v in raw.items() if k != "Condition"}
        permission = IAMPolicyStatement(unconditional).is_action_permitted(action, resource)
        if permission == PermissionResult.DENIED:
            return PermissionResult.DENIED
        if permission == PermissionResult.PERMITTED:
            result = PermissionResult.PERMITTED
    return result


def _get_bucket_notification(self: S3Response) -> Any:
    """moto's GetBucketNotificationConfiguration, plus EventBridgeConfiguration when it is on."""
    config = self.backend.get_bucket_notification_configuration(self.bucket_name)
    if not config:
        return self.serialized(EmptyResult())

    def build(item: Any, arn_key: str) -> dict[str, Any]:
        out: dict[str, Any] = {"Id": item.id, arn_key: item.arn, "Events": item.events}
        if item.filters:
            out["Filter"] = {"Key": {"FilterRules": item.filters["S3Key"]["FilterRule"]}}
        return out

    result: dict[str, Any] = {
        "TopicConfigurations": [build(t, "TopicArn") for t in config.topic],
        "QueueConfigurations": [build(q, "QueueArn") for q in config.queue],
        "LambdaFunctionConfigurations": [build(f, "LambdaFunctionArn") for f in config.cloud_function],
    }
    if config.event_bridge is not None:
        result["EventBridgeConfiguration"] = {}
    self.data["Action"] = "GetBucketNotificationConfiguration"
    return self.serialized(ActionResult(result))


def install() -> None:
    S3Response.key_response = _key_response  # type: ignore[method-assign]
    FakeBucket.get_permission = _bucket_permission  # type: ignore[method-assign]
    S3Response.get_bucket_notification = _get_bucket_notification  # type: ignore[method-assign]
