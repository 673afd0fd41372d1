"""Athena API calls moto 5.2 lacks that the module's resources make.

* Named queries. moto has no DeleteNamedQuery (500, retried by the provider until the destroy of
  `examples/complete`, which has two named queries, timed out) and GetNamedQuery fails with a 500
  for an unknown id. Named queries are deleted, and an unknown id answers InvalidRequestException,
  as AWS does.
* UpdateWorkGroup. moto has none (500), so a workgroup could not be disabled or have its
  configuration changed (the provider updates `aws_athena_workgroup` in place). The State,
  Description and ConfigurationUpdates are applied as AWS applies them (the Remove* flags drop a
  setting); an unknown workgroup answers "WorkGroup is not found.". A DISABLED workgroup refuses
  queries (queries.py).
"""

from __future__ import annotations

import json
from typing import Any

from moto.athena.exceptions import AthenaClientError
from moto.athena.responses import AthenaResponse

_original_get_named_query = AthenaResponse.get_named_query


def _get_named_query(self: AthenaResponse) -> str:
    query_id = self._get_param("NamedQueryId")
    if self.athena_backend.get_named_query(query_id) is None:
        raise AthenaClientError("InvalidRequestException", f"NamedQuery {query_id} was not found")
    result: str = _original_get_named_query(self)
    return result


def _delete_named_query(self: AthenaResponse) -> str:
    query_id = self._get_param("NamedQueryId")
    if self.athena_backend.named_queries.pop(query_id, None) is None:
        raise AthenaClientError("InvalidRequestException", f"NamedQuery {query_id} was not found")
    return json.dumps({})


_RESULT_UPDATES = {
    "OutputLocation": "RemoveOutputLocation",
    "EncryptionConfiguration": "RemoveEncryptionConfiguration",
    "ExpectedBucketOwner": "RemoveExpectedBucketOwner",
    "AclConfiguration": "RemoveAclConfiguration",
}


def apply_configuration_updates(configuration: dict[str, Any], updates: dict[str, Any]) -> dict[str, Any]:
    """A workgroup Configuration after UpdateWorkGroup's ConfigurationUpdates."""
    result = dict(configuration)
    for key, value in updates.items():
        if key == "ResultConfigurationUpdates":
            results = dict(result.get("ResultConfiguration") or {})
            for setting, remove in _RESULT_UPDATES.items():
                if value.get(remove):
                    results.pop(setting, None)
                elif setting in value:
                    results[setting] = value[setting]
            result["ResultConfiguration"] = results
        elif key == "RemoveBytesScannedCutoffPerQuery":
            if value:
                result.pop("BytesScannedCutoffPerQuery", None)
        elif key == "EngineVersion":
            result["EngineVersion"] = {
                "SelectedEngineVersion": value.get("SelectedEngineVersion", "AUTO"),
                "EffectiveEngineVersion": "Athena engine version 3",
            }
        else:
            result[key] = value
    return result


def _update_work_group(self: AthenaResponse) -> str:
    workgroup = self.athena_backend.work_groups.get(self._get_param("WorkGroup"))
    if workgroup is None:
        raise AthenaClientError("InvalidRequestException", "WorkGroup is not found.")
    if self._get_param("Description") is not None:
        workgroup.description = self._get_param("Description")
    if self._get_param("State") is not None:
        workgroup.state = self._get_param("State")
    updates = self._get_param("ConfigurationUpdates")
    if updates:
        workgroup.configuration = apply_configuration_updates(workgroup.configuration, updates)
    return json.dumps({})


def install() -> None:
    AthenaResponse.update_work_group = _update_work_group  # type: ignore[attr-defined]
    AthenaResponse.get_named_query = _get_named_query  # type: ignore[method-assign]
    AthenaResponse.delete_named_query = _delete_named_query  # type: ignore[attr-defined]
