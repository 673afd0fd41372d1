"""Lake Formation grants as AWS keeps and lists them, without moto: pure functions over a store.

A grant is one principal's permissions (and grantable permissions) on one resource. Resources are
kept in a canonical form, so that the same resource named two ways is one grant, as in AWS:

* every resource carries its catalog (`CatalogId`, by default the request's catalog, which is by
  default the account);
* a table is either named (`Name`) or every table of its database (`TableWildcard: {}`; a `Name`
  of ALL_TABLES beside the wildcard is the same thing);
* a table with columns whose columns are all of them (`ColumnWildcard: {}`, nothing excluded) is
  the table itself: SELECT on it is SELECT on the table;
* column lists and excluded columns are sets (kept sorted).

ListPermissions answers as AWS does (the shapes the AWS provider's filters were written against):
a table wildcard comes back with `Name: ALL_TABLES` beside `TableWildcard`, and SELECT on a table
comes back apart from the table's other permissions, on a table with columns with a column
wildcard (`Name` the table's, or ALL_TABLES for a wildcard). A resource filter matches the grants
on that resource only (a database filter does not return its tables' grants); a table filter also
returns the table's column grants.

RevokePermissions removes what the grantee holds of what was asked; when it holds none of it, the
call fails with AWS's InvalidInputException "No permissions revoked. Grantee has no permissions
and no grantable permissions on resource" (the provider revokes until it sees that message).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

ALL_TABLES = "ALL_TABLES"
SERVICE_LINKED_ROLE = "aws-service-role/lakeformation.amazonaws.com/AWSServiceRoleForLakeFormationDataAccess"
NOTHING_REVOKED = "No permissions revoked. Grantee has no permissions and no grantable permissions on resource"
RESOURCE_KINDS = (
    "Catalog",
    "Database",
    "Table",
    "TableWithColumns",
    "DataLocation",
    "DataCellsFilter",
    "LFTag",
    "LFTagPolicy",
    "LFTagExpression",
)
# ListPermissions' ResourceType: which resource keys each type lists.
RESOURCE_TYPES = {
    "CATALOG": ("Catalog",),
    "DATABASE": ("Database",),
    "TABLE": ("Table", "TableWithColumns"),
    "DATA_LOCATION": ("DataLocation",),
    "LF_TAG": ("LFTag",),
    "LF_TAG_POLICY": ("LFTagPolicy",),
    "LF_TAG_POLICY_DATABASE": ("LFTagPolicy",),
    "LF_TAG_POLICY_TABLE": ("LFTagPolicy",),
    "LF_NAMED_TAG_EXPRESSION": ("LFTagExpression",),
}


class InvalidInput(ValueError):
    """AWS's InvalidInputException, with its message."""


def service_linked_role_arn(account_id: str) -> str:
    """The role Lake Formation reads a location with when it is registered with UseServiceLinkedRole."""
    return f"arn:aws:iam::{account_id}:role/{SERVICE_LINKED_ROLE}"


def _required(spec: Mapping[str, Any], name: str, kind: str) -> str:
    value = spec.get(name)
    if not value:
        raise InvalidInput(f"{kind}.{name} is required.")
    return str(value)


def _table(spec: Mapping[str, Any], catalog_id: str) -> dict[str, Any]:
    base = {"CatalogId": spec.get("CatalogId") or catalog_id, "DatabaseName": _required(spec, "DatabaseName", "Table")}
    name = spec.get("Name")
    if spec.get("TableWildcard") is not None:
        if name not in (None, "", ALL_TABLES):
            raise InvalidInput("Table name and table wildcard cannot both be present.")
        return {"Table": {**base, "TableWildcard": {}}}
    if not name:
        raise InvalidInput("Table name and table wildcard cannot both be empty.")
    return {"Table": {**base, "Name": name}}


def _table_with_columns(spec: Mapping[str, Any], catalog_id: str) -> dict[str, Any]:
    catalog = spec.get("CatalogId") or catalog_id
    database = _required(spec, "DatabaseName", "TableWithColumns")
    name = _required(spec, "Name", "TableWithColumns")
    columns = spec.get("ColumnNames") or []
    wildcard = spec.get("ColumnWildcard")
    if columns and wildcard is not None:
        raise InvalidInput("Column names and column wildcard cannot both be present.")
    if wildcard is not None and not wildcard.get("ExcludedColumnNames"):
        table: dict[str, Any] = {"TableWildcard": {}} if name == ALL_TABLES else {"Name": name}
        return _table({"CatalogId": catalog, "DatabaseName": database, **table}, catalog_id)
    base = {"CatalogId": catalog, "DatabaseName": database, "Name": name}
    if wildcard is not None:
        return {
            "TableWithColumns": {
                **base,
                "ColumnWildcard": {"ExcludedColumnNames": sorted(set(wildcard["ExcludedColumnNames"]))},
            }
        }
    if not columns:
        raise InvalidInput("Column names and column wildcard cannot both be empty.")
    return {"TableWithColumns": {**base, "ColumnNames": sorted(set(columns))}}


def canonical_resource(resource: Mapping[str, Any] | None, catalog_id: str) -> dict[str, Any]:
    """The one form of a Resource that the same grant always takes (see the module docstring)."""
    kinds = [k for k in RESOURCE_KINDS if (resource or {}).get(k) is not None]
    if len(kinds) != 1 or resource is None:
        raise InvalidInput(
            "Resource must have exactly one of the catalog, database, table, table with columns, "
            "data location, data cells filter, LF-tag or LF-tag policy fields populated."
        )
    kind = kinds[0]
    spec: Mapping[str, Any] = resource[kind]
    if kind == "Catalog":
        return {"Catalog": dict(spec)}
    if kind == "Database":
        return {
            "Database": {"CatalogId": spec.get("CatalogId") or catalog_id, "Name": _required(spec, "Name", "Database")}
        }
    if kind == "Table":
        return _table(spec, catalog_id)
    if kind == "TableWithColumns":
        return _table_with_columns(spec, catalog_id)
    if kind == "DataLocation":
        return {
            "DataLocation": {
                "CatalogId": spec.get("CatalogId") or catalog_id,
                "ResourceArn": _required(spec, "ResourceArn", "DataLocation"),
            }
        }
    if kind in ("LFTag", "LFTagPolicy", "LFTagExpression"):
        return {kind: {"CatalogId": catalog_id, **spec}}
    return {kind: dict(spec)}


def resource_key(resource: Mapping[str, Any]) -> str:
    return json.dumps(resource, sort_keys=True)


@dataclass
class Grant:
    principal: str
    resource: dict[str, Any]
    permissions: list[str] = field(default_factory=list)
    grantable: list[str] = field(default_factory=list)
    last_updated: float = 0.0


# (catalog id, principal, resource key) -> the grant
Store = dict[tuple[str, str, str], Grant]


def _union(held: list[str], added: Iterable[str]) -> list[str]:
    return held + [p for p in dict.fromkeys(added) if p not in held]


def grant(
    store: Store,
    catalog_id: str,
    principal: str,
    resource: Mapping[str, Any] | None,
    permissions: Iterable[str],
    grantable: Iterable[str],
    now: float,
) -> Grant:
    """GrantPermissions: add to what `principal` holds on `resource` (granting twice is no error)."""
    if not principal:
        raise InvalidInput("Principal.DataLakePrincipalIdentifier is required.")
    permissions, grantable = list(permissions), list(grantable)
    if not permissions and not grantable:
        raise InvalidInput("Permissions is required.")
    canonical = canonical_resource(resource, catalog_id)
    key = (catalog_id, principal, resource_key(canonical))
    held = store.setdefault(key, Grant(principal, canonical))
    held.permissions = _union(held.permissions, permissions)
    held.grantable = _union(held.grantable, grantable)
    held.last_updated = now
    return held


def revoke(
    store: Store,
    catalog_id: str,
    principal: str,
    resource: Mapping[str, Any] | None,
    permissions: Iterable[str],
    grantable: Iterable[str],
    now: float,
) -> None:
    """RevokePermissions: remove what `principal` holds of what was asked; nothing held is an error."""
    canonical = canonical_resource(resource, catalog_id)
    key = (catalog_id, principal, resource_key(canonical))
    held = store.get(key)
    asked, asked_grantable = set(permissions), set(grantable)
    if held is None or not (asked & set(held.permissions) or asked_grantable & set(held.grantable)):
        raise InvalidInput(NOTHING_REVOKED)
    held.permissions = [p for p in held.permissions if p not in asked]
    held.grantable = [p for p in held.grantable if p not in asked_grantable]
    held.last_updated = now
    if not held.permissions and not held.grantable:
        del store[key]


def _table_filter_matches(wanted: Mapping[str, Any], resource: Mapping[str, Any]) -> bool:
    """A table filter lists the table's grants and its column grants (a wildcard: the wildcard's)."""
    spec = resource.get("Table") or resource.get("TableWithColumns")
    if spec is None or (spec["CatalogId"], spec["DatabaseName"]) != (wanted["CatalogId"], wanted["DatabaseName"]):
        return False
    if "TableWildcard" in wanted:
        return "TableWildcard" in spec or spec.get("Name") == ALL_TABLES
    return bool(spec.get("Name") == wanted["Name"])


def matches(wanted: Mapping[str, Any], resource: Mapping[str, Any]) -> bool:
    """Whether a grant on `resource` (canonical) answers a ListPermissions filter on `wanted` (canonical)."""
    if "Table" in wanted:
        return _table_filter_matches(wanted["Table"], resource)
    if "Catalog" in wanted:
        return "Catalog" in resource
    return resource_key(wanted) == resource_key(resource)


def _entry(held: Grant, resource: dict[str, Any], permissions: list[str], grantable: list[str]) -> dict[str, Any]:
    return {
        "Principal": {"DataLakePrincipalIdentifier": held.principal},
        "Resource": resource,
        "Permissions": permissions,
        "PermissionsWithGrantOption": grantable,
        "LastUpdated": held.last_updated,
    }


def listed(held: Grant) -> list[dict[str, Any]]:
    """How ListPermissions shows one grant: a table wildcard named ALL_TABLES, SELECT apart on the
    table with a column wildcard."""
    table = held.resource.get("Table")
    if table is None:
        return [_entry(held, held.resource, list(held.permissions), list(held.grantable))]
    name = table.get("Name", ALL_TABLES)
    entries = []
    others = [p for p in held.permissions if p != "SELECT"]
    others_grantable = [p for p in held.grantable if p != "SELECT"]
    if others or others_grantable:
        entries.append(_entry(held, {"Table": {**table, "Name": name}}, others, others_grantable))
    select = [p for p in held.permissions if p == "SELECT"]
    select_grantable = [p for p in held.grantable if p == "SELECT"]
    if select or select_grantable:
        columns = {
            "CatalogId": table["CatalogId"],
            "DatabaseName": table["DatabaseName"],
            "Name": name,
            "ColumnWildcard": {},
        }
        entries.append(_entry(held, {"TableWithColumns": columns}, select, select_grantable))
    return entries


def list_permissions(
    store: Store, catalog_id: str, principal: str | None, resource: Mapping[str, Any] | None, resource_type: str | None
) -> list[dict[str, Any]]:
    """ListPermissions' PrincipalResourcePermissions (every page), filtered as AWS filters them."""
    if principal is not None and resource is None:
        raise InvalidInput("Resource is mandatory if Principal is set in the input.")
    if resource_type is not None and resource_type not in RESOURCE_TYPES:
        raise InvalidInput(f"Unknown resource type {resource_type}.")
    wanted = canonical_resource(resource, catalog_id) if resource is not None else None
    entries = []
    for (catalog, who, _), held in store.items():
        if catalog != catalog_id or (principal is not None and who != principal):
            continue
        if wanted is not None and not matches(wanted, held.resource):
            continue
        entries.extend(listed(held))
    if resource_type is not None:
        kinds = RESOURCE_TYPES[resource_type]
        entries = [e for e in entries if any(k in e["Resource"] for k in kinds)]
    return entries


Page = tuple[list[dict[str, Any]], str | None]


def page(items: list[dict[str, Any]], max_results: int | None, token: str | None) -> Page:
    """One page of `items` and the token of the next (None on the last); the token is an offset."""
    start = int(token) if token else 0
    if not max_results:
        return items[start:], None
    end = start + max_results
    return items[start:end], (str(end) if end < len(items) else None)
