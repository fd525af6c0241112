"""A SCIM User as Townhall holds it: one account, its provisioning record, and the changes
a provider's PUT and PATCH ask for, as a flat set of attributes."""

import re
from typing import Any

from townhall.scim import values
from townhall.scim.errors import ScimError, invalid_value

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
E = values.ENTERPRISE_PREFIX
# Lower-case SCIM paths and the attribute each sets; others are accepted and ignored
# (providers send titles, phone numbers and addresses Townhall has no place for).
PATHS = {
    "username": "userName",
    "name.givenname": "givenName",
    "name.familyname": "familyName",
    "active": "active",
    "externalid": "externalId",
    "emails": "emails",
    "emails.value": "email",
    f"{E}:employeenumber": "employeeNumber",
    f"{E}:department": "department",
    f"{E}:manager": "manager",
    f"{E}:manager.value": "manager",
}
READ_ONLY = {"id", "groups", "meta", "schemas"}
BLANK: dict[str, Any] = {
    "userName": "",
    "givenName": "",
    "familyName": "",
    "email": "",
    "active": True,
    "externalId": "",
    "employeeNumber": "",
    "department": "",
    "manager": None,
}
MANAGER_ID = re.compile(r"\d{1,18}")


def _email_of(value: Any) -> str:
    """The address Townhall keeps from a list of emails: the primary one, else the work one,
    else the first."""
    if isinstance(value, str):
        return values.text(value, "emails")
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise invalid_value("emails must be a list of {value, type, primary}.")
    entries = [e for e in value if isinstance(e, dict) and e.get("value")]
    if not entries:
        return ""
    chosen = next((e for e in entries if e.get("primary") in (True, "true", "True")), None)
    chosen = chosen or next((e for e in entries if str(e.get("type", "")).lower() == "work"), None)
    return values.text((chosen or entries[0]).get("value"), "emails.value")


def _manager_of(value: Any) -> int | None:
    if isinstance(value, dict):
        value = value.get("value")
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not MANAGER_ID.fullmatch(value.strip()):
        raise invalid_value("manager must be the id of a Townhall account.")
    return int(value.strip())


def set_path(state: dict[str, Any], op: str, path: str, value: Any) -> None:
    """One operation on one path; remove blanks the attribute."""
    if path in READ_ONLY:
        raise ScimError(400, f"{path} cannot be changed.", "mutability")
    match = values.EMAIL_PATH.match(path)
    if match:
        if match.group(1).lower() == "work":
            state["email"] = "" if op == "remove" else values.text(value, "email")
        return
    if path == "name" and isinstance(value, dict):
        for sub, sub_value in value.items():
            set_path(state, op, f"name.{str(sub).lower()}", sub_value)
        return
    if path == E and isinstance(value, dict):
        for sub, sub_value in value.items():
            set_path(state, op, f"{E}:{str(sub).lower()}", sub_value)
        return
    name = PATHS.get(path)
    if name is None:
        return
    if op == "remove":
        if name == "userName":
            raise ScimError(400, "userName is required and cannot be removed.", "mutability")
        if name == "emails":
            name = "email"
        state[name] = False if name == "active" else BLANK[name]
        return
    if name == "active":
        state["active"] = values.boolean(value, "active")
    elif name == "emails":
        state["email"] = _email_of(value)
    elif name == "manager":
        state["manager"] = _manager_of(value)
    else:
        state[name] = values.text(value, name)


def from_resource(body: dict[str, Any]) -> dict[str, Any]:
    """The attributes of a whole User sent by POST or PUT; what it leaves out is blank."""
    state = dict(BLANK)
    for path, value in values.flatten(body, values.CORE_USER):
        if path in READ_ONLY:
            continue  # a full resource echoes id, groups and meta back
        set_path(state, "replace", path, value)
    if not state["userName"]:
        raise invalid_value("userName is required.")
    return state


def patched(state: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """The attributes after a PATCH's operations, applied in order."""
    result = dict(state)
    for operation in values.operations(body):
        op = values.operation_name(operation)
        path = values.path_of(operation, values.CORE_USER)
        value = operation.get("value")
        if path is None:
            if op == "remove":
                raise ScimError(400, "A remove operation needs a path.", "noTarget")
            if not isinstance(value, dict):
                raise invalid_value("An operation without a path needs a value object.")
            for sub_path, sub_value in values.flatten(value, values.CORE_USER):
                set_path(result, op, sub_path, sub_value)
        else:
            set_path(result, op, path, value)
    if not result["userName"]:
        raise invalid_value("userName cannot be blank.")
    return result
