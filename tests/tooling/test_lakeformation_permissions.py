"""The local Lake Formation grants (tooling.emulator.lakeformation.permissions) without a server:
one canonical form per resource, AWS's listing shapes, revokes of what is held."""

from __future__ import annotations

import pytest

from tooling.emulator.lakeformation import permissions
from tooling.emulator.lakeformation.permissions import InvalidInput

ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/analyst"


@pytest.mark.parametrize(
    ("spelled", "canonical"),
    [
        ({"Database": {"Name": "db"}}, {"Database": {"CatalogId": ACCOUNT, "Name": "db"}}),
        (
            {"Database": {"CatalogId": "210987654321", "Name": "db"}},
            {"Database": {"CatalogId": "210987654321", "Name": "db"}},
        ),
        (
            {"Table": {"DatabaseName": "db", "TableWildcard": {}}},
            {"Table": {"CatalogId": ACCOUNT, "DatabaseName": "db", "TableWildcard": {}}},
        ),
        (
            {"Table": {"DatabaseName": "db", "Name": "ALL_TABLES", "TableWildcard": {}}},
            {"Table": {"CatalogId": ACCOUNT, "DatabaseName": "db", "TableWildcard": {}}},
        ),
        (
            {"TableWithColumns": {"DatabaseName": "db", "Name": "sales", "ColumnWildcard": {}}},
            {"Table": {"CatalogId": ACCOUNT, "DatabaseName": "db", "Name": "sales"}},
        ),
        (
            {"TableWithColumns": {"DatabaseName": "db", "Name": "ALL_TABLES", "ColumnWildcard": {}}},
            {"Table": {"CatalogId": ACCOUNT, "DatabaseName": "db", "TableWildcard": {}}},
        ),
        (
            {"TableWithColumns": {"DatabaseName": "db", "Name": "sales", "ColumnNames": ["b", "a", "b"]}},
            {
                "TableWithColumns": {
                    "CatalogId": ACCOUNT,
                    "DatabaseName": "db",
                    "Name": "sales",
                    "ColumnNames": ["a", "b"],
                }
            },
        ),
        (
            {"DataLocation": {"ResourceArn": "arn:aws:s3:::b/p"}},
            {"DataLocation": {"CatalogId": ACCOUNT, "ResourceArn": "arn:aws:s3:::b/p"}},
        ),
    ],
)
def test_a_resource_spelled_any_way_has_one_canonical_form(
    spelled: dict[str, object], canonical: dict[str, object]
) -> None:
    assert permissions.canonical_resource(spelled, ACCOUNT) == canonical


@pytest.mark.parametrize(
    "resource",
    [
        None,
        {},
        {"Database": {"Name": "db"}, "Table": {"DatabaseName": "db", "Name": "t"}},
        {"Table": {"DatabaseName": "db"}},
        {"Table": {"DatabaseName": "db", "Name": "t", "TableWildcard": {}}},
        {"TableWithColumns": {"DatabaseName": "db", "Name": "t", "ColumnNames": ["a"], "ColumnWildcard": {}}},
    ],
)
def test_a_resource_that_is_not_exactly_one_thing_is_invalid_input(resource: dict[str, object] | None) -> None:
    with pytest.raises(InvalidInput):
        permissions.canonical_resource(resource, ACCOUNT)


def test_select_on_a_named_table_is_listed_apart_on_its_column_wildcard() -> None:
    store: permissions.Store = {}
    permissions.grant(
        store, ACCOUNT, ROLE, {"Table": {"DatabaseName": "db", "Name": "t"}}, ["SELECT", "ALTER"], ["SELECT"], now=1.0
    )

    entries = permissions.list_permissions(store, ACCOUNT, ROLE, {"Table": {"DatabaseName": "db", "Name": "t"}}, None)

    assert [(e["Resource"], e["Permissions"], e["PermissionsWithGrantOption"]) for e in entries] == [
        ({"Table": {"CatalogId": ACCOUNT, "DatabaseName": "db", "Name": "t"}}, ["ALTER"], []),
        (
            {"TableWithColumns": {"CatalogId": ACCOUNT, "DatabaseName": "db", "Name": "t", "ColumnWildcard": {}}},
            ["SELECT"],
            ["SELECT"],
        ),
    ]


def test_a_revoke_of_only_grantable_permissions_keeps_the_permissions() -> None:
    store: permissions.Store = {}
    database = {"Database": {"Name": "db"}}
    permissions.grant(store, ACCOUNT, ROLE, database, ["DESCRIBE"], ["DESCRIBE"], now=1.0)

    permissions.revoke(store, ACCOUNT, ROLE, database, [], ["DESCRIBE"], now=2.0)

    (held,) = store.values()
    assert (held.permissions, held.grantable, held.last_updated) == (["DESCRIBE"], [], 2.0)


def test_a_revoke_in_another_catalog_revokes_nothing() -> None:
    store: permissions.Store = {}
    permissions.grant(store, ACCOUNT, ROLE, {"Database": {"Name": "db"}}, ["DESCRIBE"], [], now=1.0)

    with pytest.raises(InvalidInput, match="No permissions revoked"):
        permissions.revoke(
            store, ACCOUNT, ROLE, {"Database": {"CatalogId": "210987654321", "Name": "db"}}, ["DESCRIBE"], [], now=2.0
        )


def test_a_grant_needs_permissions() -> None:
    with pytest.raises(InvalidInput):
        permissions.grant({}, ACCOUNT, ROLE, {"Database": {"Name": "db"}}, [], [], now=1.0)


def test_pages_follow_their_tokens_to_the_end() -> None:
    items = [{"n": n} for n in range(5)]
    seen, token = [], None
    while True:
        chunk, token = permissions.page(items, 2, token)
        seen.extend(chunk)
        if token is None:
            break

    assert seen == items
    assert permissions.page(items, None, None) == (items, None)
