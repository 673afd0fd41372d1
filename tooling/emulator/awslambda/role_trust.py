"""A function's execution role must trust Lambda (EMULATOR_IAM=enforce).

What AWS does. CreateFunction, and UpdateFunctionConfiguration with a new Role, check that Lambda
may assume the role; when the role's trust policy does not allow lambda.amazonaws.com (or the role
does not exist) the call fails with InvalidParameterValueException "The role defined for the
function cannot be assumed by Lambda." (the error deployment tools retry on while a new role
propagates, e.g. pulumi-aws-native#148, aws-syndicate#63). A function that exists is then run with
a session of that role.

What moto does. It answers that error only for a role that does not exist; any existing role is
accepted, whatever its trust policy, and runner.py then runs the function with the role's
credentials.

What the fill does. With EMULATOR_IAM=enforce, CreateFunction and UpdateFunctionConfiguration
(with Role) also refuse a role whose trust policy does not let lambda.amazonaws.com assume it
(iam.service_can_assume, with aws:SourceAccount and aws:SourceArn of the function, which
"confused deputy" conditions test), so runner.py only ever runs functions whose role trusts Lambda.
Not checked: a trust policy changed after the function was created (Lambda would fail the
invocations; the local runner still runs them), and iam:PassRole (the IAM layer checks it).
Without the setting nothing changes.
"""

from __future__ import annotations

from typing import Any

from moto.awslambda.exceptions import InvalidParameterValueException
from moto.awslambda.models import LambdaBackend

from tooling.emulator import iam

SERVICE = "lambda.amazonaws.com"
CANNOT_ASSUME = "The role defined for the function cannot be assumed by Lambda."

_original_create_function = LambdaBackend.create_function
_original_update_configuration = LambdaBackend.update_function_configuration


def function_arn(backend: LambdaBackend, name: str) -> str:
    if name.startswith("arn:"):
        return name
    return f"arn:aws:lambda:{backend.region_name}:{backend.account_id}:function:{name}"


def require_trusted(backend: LambdaBackend, role: str, function: str) -> None:
    """InvalidParameterValueException when Lambda may not assume `role` for `function`."""
    if not role.startswith("arn:"):
        return  # moto answers a malformed role itself
    context = {"aws:SourceAccount": backend.account_id, "aws:SourceArn": function_arn(backend, function)}
    if not iam.service_can_assume(role, SERVICE, context):
        raise InvalidParameterValueException(CANNOT_ASSUME)


def _create_function(self: LambdaBackend, spec: dict[str, Any]) -> Any:
    require_trusted(self, str(spec.get("Role") or ""), str(spec.get("FunctionName") or ""))
    return _original_create_function(self, spec)


def _update_function_configuration(
    self: LambdaBackend, function_name: str, qualifier: str, body: dict[str, Any]
) -> dict[str, Any] | None:
    if body.get("Role"):
        require_trusted(self, str(body["Role"]), function_name)
    return _original_update_configuration(self, function_name, qualifier, body)


def install() -> None:
    LambdaBackend.create_function = _create_function  # type: ignore[method-assign]
    LambdaBackend.update_function_configuration = _update_function_configuration  # type: ignore[method-assign]
