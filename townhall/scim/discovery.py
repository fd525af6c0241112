"""What this SCIM service offers (RFC 7643 §5–7), read by providers before they provision."""

from typing import Any

from townhall.scim.users import ENTERPRISE

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
MAX_RESULTS = 200
BASE = "/scim/v2/"  # where townhall/urls.py includes SCIM


def service_provider_config(base: str) -> dict[str, Any]:
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": False},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "A read-and-write API token of a Townhall administrator.",
                "primary": True,
            }
        ],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": base + "ServiceProviderConfig",
        },
    }


def resource_types(base: str) -> list[dict[str, Any]]:
    return [
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
            "id": "User",
            "name": "User",
            "endpoint": "/Users",
            "schema": USER,
            "schemaExtensions": [{"schema": ENTERPRISE, "required": False}],
            "meta": {"resourceType": "ResourceType", "location": base + "ResourceTypes/User"},
        },
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
            "id": "Group",
            "name": "Group",
            "endpoint": "/Groups",
            "schema": GROUP,
            "meta": {"resourceType": "ResourceType", "location": base + "ResourceTypes/Group"},
        },
    ]


def _attr(name: str, kind: str = "string", **more: Any) -> dict[str, Any]:
    return {
        "name": name,
        "type": kind,
        "multiValued": False,
        "required": False,
        "caseExact": False,
        "mutability": "readWrite",
        "returned": "default",
        "uniqueness": "none",
        **more,
    }


def schemas(base: str) -> list[dict[str, Any]]:
    found = [
        (
            USER,
            "User",
            [
                _attr("userName", required=True, uniqueness="server"),
                _attr(
                    "name",
                    "complex",
                    subAttributes=[_attr("givenName"), _attr("familyName")],
                ),
                _attr(
                    "emails",
                    "complex",
                    multiValued=True,
                    subAttributes=[_attr("value"), _attr("type"), _attr("primary", "boolean")],
                ),
                _attr("active", "boolean"),
                _attr("externalId", caseExact=True),
                _attr("groups", "complex", multiValued=True, mutability="readOnly"),
            ],
        ),
        (
            GROUP,
            "Group",
            [
                _attr("displayName", required=True, uniqueness="server"),
                _attr("externalId", caseExact=True),
                _attr(
                    "members",
                    "complex",
                    multiValued=True,
                    subAttributes=[_attr("value"), _attr("display", mutability="readOnly")],
                ),
            ],
        ),
        (
            ENTERPRISE,
            "Enterprise User",
            [
                _attr("employeeNumber"),
                _attr("department"),
                _attr("manager", "complex", subAttributes=[_attr("value")]),
            ],
        ),
    ]
    return [
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
            "id": uri,
            "name": name,
            "attributes": attributes,
            "meta": {"resourceType": "Schema", "location": f"{base}Schemas/{uri}"},
        }
        for uri, name, attributes in found
    ]
