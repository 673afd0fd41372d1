"""Lake Formation behaviour moto 5.2 lacks that the module's `lake_formation` mode depends on.

* Registered locations. moto's RegisterResource keeps only the ARN and the RoleArn of the request:
  DescribeResource and ListResources answered `RoleArn: null` for a location registered with the
  service-linked role, and never `HybridAccessEnabled`, `WithFederation`, `WithPrivilegedAccess`
  or `LastModified`. The provider reads `hybrid_access_enabled` back, so every plan after an apply
  of `examples/access` replaced both `aws_lakeformation_resource.data` (false -> true, which
  forces replacement). The request's flags are kept and returned, `LastModified` is the time of
  registration, and a location registered without a RoleArn (UseServiceLinkedRole) reads the
  service-linked role's ARN (`.../aws-service-role/lakeformation.amazonaws.com/
  AWSServiceRoleForLakeFormationDataAccess`), as AWS answers. The role itself is not created in
  IAM (AWS creates it once per account and never deletes it).
* Revoking what is not held. moto's RevokePermissions answers 200 whether or not anything was
  revoked. After a revoke, the provider revokes again until AWS answers InvalidInputException
  "No permissions revoked. Grantee has no ..."; on moto's 200 its retry loop got an empty error,
  so `terraform destroy` failed on every `aws_lakeformation_permissions` ("empty retryable error
  received"). A revoke of nothing held fails with AWS's message (permissions.py).
* Grants keyed by what they are. moto compared resources as the request spelled them: a grant
  made without CatalogId (as the provider makes it) and read or revoked with one (as the provider
  does once the state holds the catalog id AWS returned) did not match, a table with a column
  wildcard was not the table, and its ListPermissions filter did not return a table's column
  grants. Grants are kept per catalog, principal and canonical resource (permissions.py): the
  catalog id defaulted, table wildcards and column wildcards normalised, permissions merged in
  order. moto's BatchGrantPermissions/BatchRevokePermissions read `PermissionsWithGrantOptions`
  (AWS's field is `PermissionsWithGrantOption`) and reported no failures; they use the same
  grants and report each failed entry as AWS does.
* ListPermissions' shapes. moto returned the resource as the grant request spelled it (no
  CatalogId, a bare TableWildcard) and had no paging. It answers as AWS does: every resource with
  its CatalogId, a table wildcard with `Name: ALL_TABLES`, SELECT on a table listed apart on the
  table with a column wildcard, `LastUpdated`, filters by principal, resource and ResourceType,
  MaxResults/NextToken paging.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from moto.lakeformation.exceptions import InvalidInput as MotoInvalidInput
from moto.lakeformation.models import LakeFormationBackend, Resource
from moto.lakeformation.responses import LakeFormationResponse

from tooling.emulator.lakeformation import permissions
from tooling.emulator.lakeformation.permissions import InvalidInput

# permissions.grant or permissions.revoke
Change = Callable[[permissions.Store, str, str, Any, list[str], list[str], float], object]


def grants(backend: LakeFormationBackend) -> permissions.Store:
    """The backend's grants (see permissions.py), kept beside moto's own."""
    store: permissions.Store = backend.__dict__.setdefault("_compat_grants", {})
    return store


def resource_info(resource: Resource, account_id: str) -> dict[str, Any]:
    """A registered location as DescribeResource and ListResources return it."""
    info = resource.__dict__
    role = info.get("role_arn") or permissions.service_linked_role_arn(account_id)
    result: dict[str, Any] = {
        "ResourceArn": resource.arn,
        "RoleArn": role,
        "WithFederation": bool(info.get("_compat_with_federation")),
        "HybridAccessEnabled": bool(info.get("_compat_hybrid_access")),
        "WithPrivilegedAccess": bool(info.get("_compat_with_privileged_access")),
    }
    if info.get("_compat_last_modified") is not None:
        result["LastModified"] = info["_compat_last_modified"]
    return result


def _register_resource(self: LakeFormationResponse) -> str:
    arn = self._get_param("ResourceArn")
    role = self._get_param("RoleArn")
    self.lakeformation_backend.register_resource(resource_arn=arn, role_arn=role)
    resource = self.lakeformation_backend.resources[arn]
    resource.__dict__.update(
        {
            "_compat_with_federation": bool(self._get_param("WithFederation")),
            "_compat_hybrid_access": bool(self._get_param("HybridAccessEnabled")),
            "_compat_with_privileged_access": bool(self._get_param("WithPrivilegedAccess")),
            "_compat_last_modified": time.time(),
        }
    )
    return "{}"


def _describe_resource(self: LakeFormationResponse) -> str:
    resource = self.lakeformation_backend.describe_resource(resource_arn=self._get_param("ResourceArn"))
    return json.dumps({"ResourceInfo": resource_info(resource, self.current_account)})


def _list_resources(self: LakeFormationResponse) -> str:
    infos = [resource_info(r, self.current_account) for r in self.lakeformation_backend.list_resources()]
    page, token = permissions.page(infos, self._get_int_param("MaxResults"), self._get_param("NextToken"))
    return json.dumps({"ResourceInfoList": page, **({"NextToken": token} if token else {})})


def _catalog_id(self: LakeFormationResponse) -> str:
    return str(self._get_param("CatalogId") or self.current_account)


def _principal(value: dict[str, Any] | None) -> str:
    return str((value or {}).get("DataLakePrincipalIdentifier") or "")


def _moto_error(error: InvalidInput) -> MotoInvalidInput:
    return MotoInvalidInput(str(error))


def _change(self: LakeFormationResponse, action: Change) -> str:
    try:
        action(
            grants(self.lakeformation_backend),
            _catalog_id(self),
            _principal(self._get_param("Principal")),
            self._get_param("Resource"),
            self._get_param("Permissions") or [],
            self._get_param("PermissionsWithGrantOption") or [],
            time.time(),
        )
    except InvalidInput as error:
        raise _moto_error(error) from error
    return "{}"


def _grant_permissions(self: LakeFormationResponse) -> str:
    return _change(self, permissions.grant)


def _revoke_permissions(self: LakeFormationResponse) -> str:
    return _change(self, permissions.revoke)


def _batch(self: LakeFormationResponse, action: Change) -> str:
    failures = []
    for entry in self._get_param("Entries") or []:
        try:
            action(
                grants(self.lakeformation_backend),
                _catalog_id(self),
                _principal(entry.get("Principal")),
                entry.get("Resource"),
                entry.get("Permissions") or [],
                entry.get("PermissionsWithGrantOption") or [],
                time.time(),
            )
        except InvalidInput as error:
            failures.append(
                {"RequestEntry": entry, "Error": {"ErrorCode": "InvalidInputException", "ErrorMessage": str(error)}}
            )
    return json.dumps({"Failures": failures})


def _batch_grant_permissions(self: LakeFormationResponse) -> str:
    return _batch(self, permissions.grant)


def _batch_revoke_permissions(self: LakeFormationResponse) -> str:
    return _batch(self, permissions.revoke)


def _list_permissions(self: LakeFormationResponse) -> str:
    principal = self._get_param("Principal")
    try:
        entries = permissions.list_permissions(
            grants(self.lakeformation_backend),
            _catalog_id(self),
            _principal(principal) if principal is not None else None,
            self._get_param("Resource"),
            self._get_param("ResourceType"),
        )
    except InvalidInput as error:
        raise _moto_error(error) from error
    page, token = permissions.page(entries, self._get_int_param("MaxResults"), self._get_param("NextToken"))
    return json.dumps({"PrincipalResourcePermissions": page, **({"NextToken": token} if token else {})})


def install() -> None:
    LakeFormationResponse.register_resource = _register_resource  # type: ignore[method-assign]
    LakeFormationResponse.describe_resource = _describe_resource  # type: ignore[method-assign]
    LakeFormationResponse.list_resources = _list_resources  # type: ignore[method-assign]
    LakeFormationResponse.grant_permissions = _grant_permissions  # type: ignore[method-assign]
    LakeFormationResponse.revoke_permissions = _revoke_permissions  # type: ignore[method-assign]
    LakeFormationResponse.batch_grant_permissions = _batch_grant_permissions  # type: ignore[method-assign]
    LakeFormationResponse.batch_revoke_permissions = _batch_revoke_permissions  # type: ignore[method-assign]
    LakeFormationResponse.list_permissions = _list_permissions  # type: ignore[method-assign]
