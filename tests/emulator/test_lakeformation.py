"""Lake Formation on the emulator as the AWS provider uses it: locations registered and read back
with their flags, grants listed in AWS's shapes and filtered as AWS filters them, revokes that
leave nothing behind and fail when there is nothing to revoke."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tooling.aws_env import ACCOUNT_ID
from tooling.emulator.server import Emulator

SERVICE_LINKED_ROLE = (
    f"arn:aws:iam::{ACCOUNT_ID}:role/aws-service-role/lakeformation.amazonaws.com/"
    "AWSServiceRoleForLakeFormationDataAccess"
)
NOTHING_REVOKED = "No permissions revoked. Grantee has no permissions and no grantable permissions on resource"


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def role(prefix: str = "reader") -> dict[str, str]:
    return {"DataLakePrincipalIdentifier": f"arn:aws:iam::{ACCOUNT_ID}:role/{unique(prefix)}"}


def database() -> str:
    return unique("db").replace("-", "_")


def location() -> str:
    return f"arn:aws:s3:::{unique('data')}/sales"


@pytest.fixture
def lf(emulator: Emulator) -> Any:
    return emulator.client("lakeformation")


def every_page(call: Any, key: str, **kwargs: Any) -> list[dict[str, Any]]:
    """Every item of a paged call (boto3 has no paginator for these), following NextToken."""
    items, token = [], None
    while True:
        answer = call(**kwargs, **({"NextToken": token} if token else {}))
        items.extend(answer[key])
        token = answer.get("NextToken")
        if not token:
            return items


def listed(lf: Any, **kwargs: Any) -> list[tuple[dict[str, Any], list[str]]]:
    """(resource, permissions) of every entry ListPermissions returns, over every page."""
    entries = every_page(lf.list_permissions, "PrincipalResourcePermissions", **kwargs)
    return [(e["Resource"], e["Permissions"]) for e in entries]


# Registered locations


def test_a_location_registered_in_hybrid_access_mode_reads_back_hybrid_and_the_service_linked_role(lf: Any) -> None:
    arn = location()
    lf.register_resource(ResourceArn=arn, UseServiceLinkedRole=True, HybridAccessEnabled=True)

    info = lf.describe_resource(ResourceArn=arn)["ResourceInfo"]

    assert info["ResourceArn"] == arn
    assert info["HybridAccessEnabled"] is True
    assert info["WithFederation"] is False
    assert info["RoleArn"] == SERVICE_LINKED_ROLE
    assert info["LastModified"].year >= 2024


def test_a_location_registered_with_a_role_lists_that_role_and_its_flags(lf: Any) -> None:
    arn, reader = location(), f"arn:aws:iam::{ACCOUNT_ID}:role/{unique('lf-reader')}"
    lf.register_resource(ResourceArn=arn, RoleArn=reader, UseServiceLinkedRole=False, WithFederation=True)

    listing = every_page(lf.list_resources, "ResourceInfoList")
    (info,) = [i for i in listing if i["ResourceArn"] == arn]

    assert info["RoleArn"] == reader
    assert info["WithFederation"] is True
    assert info["HybridAccessEnabled"] is False


def test_a_deregistered_location_is_no_longer_described(lf: Any) -> None:
    arn = location()
    lf.register_resource(ResourceArn=arn, UseServiceLinkedRole=True)
    lf.deregister_resource(ResourceArn=arn)

    with pytest.raises(ClientError) as error:
        lf.describe_resource(ResourceArn=arn)

    assert error.value.response["Error"]["Code"] == "EntityNotFoundException"


# Grant, list, revoke


def test_a_database_grant_is_listed_with_its_catalog_id_and_gone_after_revoke(lf: Any) -> None:
    principal, name = role(), database()
    lf.grant_permissions(
        Principal=principal, Resource={"Database": {"Name": name}}, Permissions=["CREATE_TABLE", "ALTER", "DESCRIBE"]
    )

    resource = {"Database": {"CatalogId": ACCOUNT_ID, "Name": name}}
    assert listed(lf, Principal=principal, Resource={"Database": {"Name": name}}) == [
        (resource, ["CREATE_TABLE", "ALTER", "DESCRIBE"])
    ]

    # The provider revokes with the catalog id it read back; the grant was made without one.
    lf.revoke_permissions(Principal=principal, Resource=resource, Permissions=["CREATE_TABLE", "ALTER", "DESCRIBE"])

    assert listed(lf, Principal=principal, Resource={"Database": {"Name": name}}) == []


def test_a_table_wildcard_grant_lists_select_apart_on_all_tables_with_a_column_wildcard(lf: Any) -> None:
    principal, name = role(), database()
    wildcard = {"Table": {"DatabaseName": name, "TableWildcard": {}}}
    lf.grant_permissions(Principal=principal, Resource=wildcard, Permissions=["SELECT", "DESCRIBE"])

    assert listed(lf, Principal=principal, Resource=wildcard) == [
        (
            {"Table": {"CatalogId": ACCOUNT_ID, "DatabaseName": name, "Name": "ALL_TABLES", "TableWildcard": {}}},
            ["DESCRIBE"],
        ),
        (
            {
                "TableWithColumns": {
                    "CatalogId": ACCOUNT_ID,
                    "DatabaseName": name,
                    "Name": "ALL_TABLES",
                    "ColumnWildcard": {},
                }
            },
            ["SELECT"],
        ),
    ]


def test_a_table_wildcard_revoke_removes_select_and_the_rest(lf: Any) -> None:
    principal, name = role(), database()
    wildcard = {"Table": {"DatabaseName": name, "TableWildcard": {}}}
    lf.grant_permissions(Principal=principal, Resource=wildcard, Permissions=["SELECT", "DESCRIBE"])

    # As the provider revokes once its state holds the catalog id read back.
    lf.revoke_permissions(
        Principal=principal,
        Permissions=["SELECT", "DESCRIBE"],
        Resource={"Table": {"CatalogId": ACCOUNT_ID, "DatabaseName": name, "TableWildcard": {}}},
    )

    assert listed(lf, Principal=principal, Resource=wildcard) == []


def test_a_data_location_grant_is_listed_and_gone_after_revoke(lf: Any) -> None:
    principal, arn = role("crawler"), location()
    lf.register_resource(ResourceArn=arn, UseServiceLinkedRole=True)
    lf.grant_permissions(
        Principal=principal, Resource={"DataLocation": {"ResourceArn": arn}}, Permissions=["DATA_LOCATION_ACCESS"]
    )

    resource = {"DataLocation": {"CatalogId": ACCOUNT_ID, "ResourceArn": arn}}
    assert listed(lf, Principal=principal, Resource={"DataLocation": {"ResourceArn": arn}}) == [
        (resource, ["DATA_LOCATION_ACCESS"])
    ]

    lf.revoke_permissions(
        Principal=principal, Resource={"DataLocation": {"ResourceArn": arn}}, Permissions=["DATA_LOCATION_ACCESS"]
    )

    assert listed(lf, Principal=principal, Resource={"DataLocation": {"ResourceArn": arn}}) == []


def test_revoking_what_is_no_longer_held_fails_with_aws_message(lf: Any) -> None:
    principal, name = role(), database()
    resource = {"Database": {"Name": name}}
    lf.grant_permissions(Principal=principal, Resource=resource, Permissions=["DESCRIBE"])
    lf.revoke_permissions(Principal=principal, Resource=resource, Permissions=["DESCRIBE"])

    with pytest.raises(ClientError) as error:
        lf.revoke_permissions(Principal=principal, Resource=resource, Permissions=["DESCRIBE"])

    assert error.value.response["Error"]["Code"] == "InvalidInputException"
    assert error.value.response["Error"]["Message"] == NOTHING_REVOKED


def test_a_partial_revoke_leaves_the_other_permissions(lf: Any) -> None:
    principal, name = role(), database()
    resource = {"Database": {"Name": name}}
    lf.grant_permissions(Principal=principal, Resource=resource, Permissions=["CREATE_TABLE", "DESCRIBE"])

    lf.revoke_permissions(Principal=principal, Resource=resource, Permissions=["CREATE_TABLE"])

    assert listed(lf, Principal=principal, Resource=resource) == [
        ({"Database": {"CatalogId": ACCOUNT_ID, "Name": name}}, ["DESCRIBE"])
    ]


def test_granting_again_adds_to_what_is_held(lf: Any) -> None:
    principal, name = role(), database()
    resource = {"Database": {"Name": name}}
    lf.grant_permissions(Principal=principal, Resource=resource, Permissions=["DESCRIBE"])
    lf.grant_permissions(
        Principal=principal,
        Resource={"Database": {"CatalogId": ACCOUNT_ID, "Name": name}},
        Permissions=["DESCRIBE", "ALTER"],
    )

    assert listed(lf, Principal=principal, Resource=resource) == [
        ({"Database": {"CatalogId": ACCOUNT_ID, "Name": name}}, ["DESCRIBE", "ALTER"])
    ]


def test_select_on_every_column_is_select_on_the_table(lf: Any) -> None:
    principal, name = role(), database()
    lf.grant_permissions(
        Principal=principal,
        Permissions=["SELECT"],
        Resource={"TableWithColumns": {"DatabaseName": name, "Name": "sales", "ColumnWildcard": {}}},
    )

    lf.revoke_permissions(
        Principal=principal, Permissions=["SELECT"], Resource={"Table": {"DatabaseName": name, "Name": "sales"}}
    )

    tables = every_page(lf.list_permissions, "PrincipalResourcePermissions", ResourceType="TABLE")
    assert [e for e in tables if e["Principal"] == principal] == []


# ListPermissions filters


def test_list_permissions_by_principal_lists_only_that_principal(lf: Any) -> None:
    analyst, crawler, name = role("analyst"), role("crawler"), database()
    resource = {"Database": {"Name": name}}
    lf.grant_permissions(Principal=analyst, Resource=resource, Permissions=["DESCRIBE"])
    lf.grant_permissions(Principal=crawler, Resource=resource, Permissions=["CREATE_TABLE"])

    assert listed(lf, Principal=analyst, Resource=resource) == [
        ({"Database": {"CatalogId": ACCOUNT_ID, "Name": name}}, ["DESCRIBE"])
    ]
    everyone = lf.list_permissions(Resource=resource)["PrincipalResourcePermissions"]
    assert sorted(e["Principal"]["DataLakePrincipalIdentifier"] for e in everyone) == sorted(
        [analyst["DataLakePrincipalIdentifier"], crawler["DataLakePrincipalIdentifier"]]
    )


def test_a_database_filter_does_not_list_the_grants_on_its_tables(lf: Any) -> None:
    principal, name = role(), database()
    lf.grant_permissions(Principal=principal, Resource={"Database": {"Name": name}}, Permissions=["DESCRIBE"])
    lf.grant_permissions(
        Principal=principal, Resource={"Table": {"DatabaseName": name, "TableWildcard": {}}}, Permissions=["DESCRIBE"]
    )

    assert [r for r, _ in listed(lf, Principal=principal, Resource={"Database": {"Name": name}})] == [
        {"Database": {"CatalogId": ACCOUNT_ID, "Name": name}}
    ]


def test_a_table_filter_lists_the_table_and_its_column_grants_not_other_tables(lf: Any) -> None:
    principal, name = role(), database()
    lf.grant_permissions(
        Principal=principal, Resource={"Table": {"DatabaseName": name, "Name": "sales"}}, Permissions=["DESCRIBE"]
    )
    lf.grant_permissions(
        Principal=principal,
        Permissions=["SELECT"],
        Resource={"TableWithColumns": {"DatabaseName": name, "Name": "sales", "ColumnNames": ["amount", "id"]}},
    )
    lf.grant_permissions(
        Principal=principal, Resource={"Table": {"DatabaseName": name, "Name": "events"}}, Permissions=["DESCRIBE"]
    )
    lf.grant_permissions(
        Principal=principal, Resource={"Table": {"DatabaseName": name, "TableWildcard": {}}}, Permissions=["DESCRIBE"]
    )

    resources = [
        r for r, _ in listed(lf, Principal=principal, Resource={"Table": {"DatabaseName": name, "Name": "sales"}})
    ]

    assert resources == [
        {"Table": {"CatalogId": ACCOUNT_ID, "DatabaseName": name, "Name": "sales"}},
        {
            "TableWithColumns": {
                "CatalogId": ACCOUNT_ID,
                "DatabaseName": name,
                "Name": "sales",
                "ColumnNames": ["amount", "id"],
            }
        },
    ]


def test_a_data_location_filter_lists_only_that_location(lf: Any) -> None:
    principal, sales, events = role("crawler"), location(), location()
    for arn in (sales, events):
        lf.grant_permissions(
            Principal=principal, Resource={"DataLocation": {"ResourceArn": arn}}, Permissions=["DATA_LOCATION_ACCESS"]
        )

    resources = [r for r, _ in listed(lf, Principal=principal, Resource={"DataLocation": {"ResourceArn": sales}})]

    assert resources == [{"DataLocation": {"CatalogId": ACCOUNT_ID, "ResourceArn": sales}}]


def test_list_permissions_by_resource_type_lists_only_that_type(lf: Any) -> None:
    principal, name, arn = role(), database(), location()
    lf.grant_permissions(Principal=principal, Resource={"Database": {"Name": name}}, Permissions=["DESCRIBE"])
    lf.grant_permissions(
        Principal=principal, Resource={"DataLocation": {"ResourceArn": arn}}, Permissions=["DATA_LOCATION_ACCESS"]
    )

    entries = every_page(lf.list_permissions, "PrincipalResourcePermissions", ResourceType="DATA_LOCATION")
    mine = [e["Resource"] for e in entries if e["Principal"] == principal]

    assert mine == [{"DataLocation": {"CatalogId": ACCOUNT_ID, "ResourceArn": arn}}]


def test_a_principal_filter_without_a_resource_is_invalid(lf: Any) -> None:
    with pytest.raises(ClientError) as error:
        lf.list_permissions(Principal=role())

    assert error.value.response["Error"]["Code"] == "InvalidInputException"


def test_list_permissions_pages_with_max_results(lf: Any) -> None:
    principal, name = role(), database()
    tables = ["a", "b", "c"]
    for table in tables:
        lf.grant_permissions(
            Principal=principal, Resource={"Table": {"DatabaseName": name, "Name": table}}, Permissions=["DESCRIBE"]
        )

    first = lf.list_permissions(ResourceType="TABLE", MaxResults=1)
    every = every_page(lf.list_permissions, "PrincipalResourcePermissions", ResourceType="TABLE", MaxResults=2)

    assert len(first["PrincipalResourcePermissions"]) == 1
    assert "NextToken" in first
    assert [e["Resource"]["Table"]["Name"] for e in every if e["Principal"] == principal] == tables


# Batches


def test_a_batch_revoke_reports_the_entries_with_nothing_to_revoke(lf: Any) -> None:
    principal, name = role(), database()
    resource = {"Database": {"Name": name}}
    lf.batch_grant_permissions(
        Entries=[
            {
                "Id": "1",
                "Principal": principal,
                "Resource": resource,
                "Permissions": ["DESCRIBE"],
                "PermissionsWithGrantOption": ["DESCRIBE"],
            }
        ]
    )

    answer = lf.batch_revoke_permissions(
        Entries=[
            {
                "Id": "held",
                "Principal": principal,
                "Resource": resource,
                "Permissions": ["DESCRIBE"],
                "PermissionsWithGrantOption": ["DESCRIBE"],
            },
            {"Id": "not-held", "Principal": role(), "Resource": resource, "Permissions": ["DESCRIBE"]},
        ]
    )

    assert [(f["RequestEntry"]["Id"], f["Error"]["ErrorMessage"]) for f in answer["Failures"]] == [
        ("not-held", NOTHING_REVOKED)
    ]
    assert listed(lf, Principal=principal, Resource=resource) == []
