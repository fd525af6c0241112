"""A SCIM Group as Townhall holds it, and the changes PUT and PATCH ask for: Okta's
`members[value eq "…"]` path, Entra ID's member lists under "members"."""

from typing import Any

from townhall.scim import values
from townhall.scim.discovery import BASE, GROUP
from townhall.scim.errors import ScimError, invalid_value
from townhall.scim.models import ProvisionedGroup


def group_resource(group: ProvisionedGroup, with_members: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "schemas": [GROUP],
        "id": str(group.pk),
        "displayName": group.display_name,
        "meta": {
            "resourceType": "Group",
            "created": group.created_at.isoformat(),
            "lastModified": group.updated_at.isoformat(),
            "location": f"{BASE}Groups/{group.pk}",
        },
    }
    if group.external_id:
        data["externalId"] = group.external_id
    if with_members:
        data["members"] = [
            {"value": str(u.pk), "display": u.username, "$ref": f"{BASE}Users/{u.pk}"}
            for u in group.members.all()
        ]
    return data


def _member_ids(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    found = []
    for item in items:
        member = item.get("value") if isinstance(item, dict) else item
        if not isinstance(member, str | int) or isinstance(member, bool):
            raise invalid_value("Each member needs a value: the id of a Townhall account.")
        found.append(str(member).strip())
    return found


def group_state(group: ProvisionedGroup | None, body: dict[str, Any] | None) -> dict[str, Any]:
    """A group's attributes: as held (group), or as a POST or PUT sends them (body)."""
    if group is not None:
        return {
            "displayName": group.display_name,
            "externalId": group.external_id,
            "members": [str(u.pk) for u in group.members.all()],
        }
    body = body or {}
    state = {
        "displayName": values.text(body.get("displayName"), "displayName"),
        "externalId": values.text(body.get("externalId"), "externalId"),
        "members": _member_ids(body.get("members") or []),
    }
    if not state["displayName"]:
        raise invalid_value("displayName is required.")
    return state


def _set(state: dict[str, Any], op: str, path: str, value: Any) -> None:
    match = values.MEMBER_PATH.match(path)
    if match:
        if op != "remove":
            raise ScimError(400, f"Use the path members to {op} members.", "invalidPath")
        state["members"] = [m for m in state["members"] if m != match.group(1).strip()]
    elif path == "members":
        given = _member_ids(value) if value is not None else None
        if op == "remove":
            state["members"] = (
                [] if given is None else [m for m in state["members"] if m not in given]
            )
        elif op == "add":
            state["members"] = state["members"] + [
                m for m in given or [] if m not in state["members"]
            ]
        else:
            state["members"] = list(dict.fromkeys(given or []))
    elif path in ("displayname", "externalid"):
        name = "displayName" if path == "displayname" else "externalId"
        state[name] = "" if op == "remove" else values.text(value, name)
        if name == "displayName" and not state[name]:
            raise ScimError(400, "displayName is required and cannot be removed.", "mutability")
    elif path in ("id", "meta", "schemas"):
        if op == "remove":
            raise ScimError(400, f"{path} cannot be changed.", "mutability")
    else:
        raise ScimError(400, f"Groups have no attribute {path[:60]}.", "noTarget")


def patched_group(state: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    result = dict(state)
    for operation in values.operations(body):
        op = values.operation_name(operation)
        path = values.path_of(operation, values.CORE_GROUP)
        value = operation.get("value")
        if path is not None:
            _set(result, op, path, value)
            continue
        if op == "remove":
            raise ScimError(400, "A remove operation needs a path.", "noTarget")
        if not isinstance(value, dict):
            raise invalid_value("An operation without a path needs a value object.")
        for sub_path, sub_value in values.flatten(value, values.CORE_GROUP):
            _set(result, op, sub_path, sub_value)
    return result
