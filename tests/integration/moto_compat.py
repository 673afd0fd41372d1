"""Fill the gaps in moto 5.2.5 that the module's resources run into, then start moto's server.

Run as a script with moto.server's arguments (`python moto_compat.py -H 127.0.0.1 -p 5000`);
tests/harness.py starts the session's emulator this way. Each patch makes moto answer as AWS
does for one API the Terraform AWS provider calls; nothing here changes what the module sends.
tests/integration/README.md explains each gap and what it broke.

* Glue classifiers: moto has no CreateClassifier/GetClassifier/UpdateClassifier/DeleteClassifier
  (it answers 500 "not implemented", which the provider retries for many minutes). The patch keeps
  classifiers per account and region and returns them in AWS's shape.
* Athena named queries: moto has no DeleteNamedQuery (500, retried by the provider until the
  destroy times out) and GetNamedQuery fails with a 500 for an unknown id. The patch deletes, and
  answers InvalidRequestException for an unknown id as AWS does.
* S3 bucket policy conditions: moto checks a bucket policy on object requests, but ignores a
  condition whose operator it does not implement, and it does not implement `Bool`. The module's
  TLS-only statement (Deny s3:* when aws:SecureTransport is "false") therefore denies every object
  request. The patch evaluates `Bool` conditions with aws:SecureTransport "true", because the
  emulator stands in for an HTTPS endpoint. A request with the header
  `x-moto-compat-insecure-transport` is evaluated as plain HTTP, so a test can prove the TLS-only
  policy denies it.
* S3 EventBridge notifications: moto stores `EventBridgeConfiguration` but GetBucketNotification
  never returns it, so every plan wants to turn `eventbridge` on again.
* SQS RedrivePolicy: moto renders it as `json.dumps` does ('{"a": 1, "b": 2}'), AWS compactly
  ('{"a":1,"b":2}'); the provider compares the strings, so every plan shows a whitespace update.
* Lambda LoggingConfig: moto drops the LoggingConfig a function is created or updated with and
  never returns it, so every plan wants to add `logging_config` again. AWS always returns it
  (LogFormat "Text" and the /aws/lambda/<name> group unless told otherwise).
"""

from __future__ import annotations

import copy
import json
import sys
from contextvars import ContextVar
from datetime import datetime, timezone
from typing import Any

from moto.athena.exceptions import AthenaClientError
from moto.athena.responses import AthenaResponse
from moto.awslambda.models import LambdaFunction
from moto.core.responses import ActionResult, EmptyResult
from moto.glue.exceptions import AlreadyExistsException, EntityNotFoundException, InvalidInputException
from moto.glue.responses import GlueResponse
from moto.iam.access_control import IAMPolicyStatement, PermissionResult
from moto.s3.models import FakeBucket
from moto.s3.responses import S3Response
from moto.sqs.models import Queue

# ------------------------------------------------------------------------- Glue classifiers

_CLASSIFIER_KINDS = ("CsvClassifier", "GrokClassifier", "XMLClassifier", "JsonClassifier")


def _classifiers(response: GlueResponse) -> dict[str, dict[str, Any]]:
    backend = response.glue_backend
    store: dict[str, dict[str, Any]] = backend.__dict__.setdefault("_compat_classifiers", {})
    return store


def _classifier_spec(params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    kinds = [k for k in _CLASSIFIER_KINDS if k in params]
    if len(kinds) != 1:
        raise InvalidInputException("CreateClassifier", "exactly one classifier type is required")
    return kinds[0], dict(params[kinds[0]])


def create_classifier(self: GlueResponse) -> ActionResult:
    kind, spec = _classifier_spec(self.parameters)
    store = _classifiers(self)
    if spec["Name"] in store:
        raise AlreadyExistsException("Classifier")
    now = datetime.now(timezone.utc).timestamp()
    store[spec["Name"]] = {kind: {**spec, "CreationTime": now, "LastUpdated": now, "Version": 1}}
    return EmptyResult()


def update_classifier(self: GlueResponse) -> ActionResult:
    kind, spec = _classifier_spec(self.parameters)
    store = _classifiers(self)
    if spec["Name"] not in store:
        raise EntityNotFoundException(f"Classifier {spec['Name']} not found.")
    old = store[spec["Name"]].get(kind, {})
    store[spec["Name"]] = {kind: {**spec, "CreationTime": old.get("CreationTime"),
                                  "LastUpdated": datetime.now(timezone.utc).timestamp(),
                                  "Version": old.get("Version", 0) + 1}}
    return EmptyResult()


def get_classifier(self: GlueResponse) -> ActionResult:
    name = self.parameters.get("Name")
    store = _classifiers(self)
    if name not in store:
        raise EntityNotFoundException(f"Classifier {name} not found.")
    return ActionResult({"Classifier": copy.deepcopy(store[name])})


def get_classifiers(self: GlueResponse) -> ActionResult:
    return ActionResult({"Classifiers": [copy.deepcopy(c) for c in _classifiers(self).values()]})


def delete_classifier(self: GlueResponse) -> ActionResult:
    name = self.parameters.get("Name")
    store = _classifiers(self)
    if name not in store:
        raise EntityNotFoundException(f"Classifier {name} not found.")
    del store[name]
    return EmptyResult()


# --------------------------------------------------------------------- Lambda LoggingConfig

_original_init = LambdaFunction.__init__
_original_get_configuration = LambdaFunction.get_configuration
_original_update_configuration = LambdaFunction.update_configuration


def _logging_config(function_name: str, requested: dict[str, Any] | None,
                    current: dict[str, Any] | None = None) -> dict[str, Any]:
    """AWS's LoggingConfig after a create (current None) or an update with `requested`."""
    config = dict(current or {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{function_name}"})
    config.update({k: v for k, v in (requested or {}).items() if v is not None})
    if config.get("LogFormat") == "JSON":
        config.setdefault("ApplicationLogLevel", "INFO")
        config.setdefault("SystemLogLevel", "INFO")
    else:  # log levels exist only for JSON logs
        config.pop("ApplicationLogLevel", None)
        config.pop("SystemLogLevel", None)
    return config


def _init(self: LambdaFunction, account_id: str, spec: dict[str, Any], region: str,
          version: str | int = 1) -> None:
    _original_init(self, account_id, spec, region, version)
    self.compat_logging_config = _logging_config(self.function_name, spec.get("LoggingConfig"))


def _get_configuration(self: LambdaFunction, on_create: bool = False) -> dict[str, Any]:
    config = _original_get_configuration(self, on_create)
    logging_config = getattr(self, "compat_logging_config", None)
    if logging_config is not None:
        config["LoggingConfig"] = dict(logging_config)
    return config


def _update_configuration(self: LambdaFunction, config_updates: dict[str, Any]) -> dict[str, Any]:
    if "LoggingConfig" in config_updates:
        self.compat_logging_config = _logging_config(
            self.function_name, config_updates["LoggingConfig"],
            getattr(self, "compat_logging_config", None))
    return _original_update_configuration(self, config_updates)


# ------------------------------------------------------------- S3 bucket policy conditions

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


# ------------------------------------------------------------ S3 EventBridge notifications


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


# ------------------------------------------------------------------------ SQS RedrivePolicy

_original_queue_attributes = Queue.attributes


def _queue_attributes(self: Queue) -> dict[str, Any]:
    result: dict[str, Any] = _original_queue_attributes.fget(self)  # type: ignore[attr-defined]
    if self.redrive_policy:
        result["RedrivePolicy"] = json.dumps(self.redrive_policy, separators=(",", ":"))
    return result


# ------------------------------------------------------------------- Athena named queries

_original_get_named_query = AthenaResponse.get_named_query


def _get_named_query(self: AthenaResponse) -> str:
    query_id = self._get_param("NamedQueryId")
    if self.athena_backend.get_named_query(query_id) is None:
        raise AthenaClientError("InvalidRequestException", f"NamedQuery {query_id} was not found")
    return _original_get_named_query(self)


def _delete_named_query(self: AthenaResponse) -> str:
    query_id = self._get_param("NamedQueryId")
    if self.athena_backend.named_queries.pop(query_id, None) is None:
        raise AthenaClientError("InvalidRequestException", f"NamedQuery {query_id} was not found")
    return json.dumps({})


def apply() -> None:
    """Install every patch (idempotent)."""
    GlueResponse.create_classifier = create_classifier  # type: ignore[attr-defined]
    GlueResponse.update_classifier = update_classifier  # type: ignore[attr-defined]
    GlueResponse.get_classifier = get_classifier  # type: ignore[attr-defined]
    GlueResponse.get_classifiers = get_classifiers  # type: ignore[attr-defined]
    GlueResponse.delete_classifier = delete_classifier  # type: ignore[attr-defined]
    AthenaResponse.get_named_query = _get_named_query  # type: ignore[method-assign]
    AthenaResponse.delete_named_query = _delete_named_query  # type: ignore[attr-defined]
    S3Response.key_response = _key_response  # type: ignore[method-assign]
    FakeBucket.get_permission = _bucket_permission  # type: ignore[method-assign]
    S3Response.get_bucket_notification = _get_bucket_notification  # type: ignore[method-assign]
    Queue.attributes = property(_queue_attributes)  # type: ignore[method-assign,assignment]
    LambdaFunction.__init__ = _init  # type: ignore[method-assign]
    LambdaFunction.get_configuration = _get_configuration  # type: ignore[method-assign]
    LambdaFunction.update_configuration = _update_configuration  # type: ignore[method-assign]


def main(argv: list[str]) -> None:
    apply()
    from moto.server import main as moto_main

    moto_main(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
