"""Reading the values providers send: the same attribute arrives as a boolean or the string
"False" (Entra ID), under a path or inside a path-less value map, with the schema's URN in
front or not. Plain Python: no Django."""

import re
from typing import Any

from townhall.scim.errors import ScimError, invalid_value

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:user:"
CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:group:"
ENTERPRISE_PREFIX = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user"
MEMBER_PATH = re.compile(r'^members\[\s*value\s+eq\s+"([^"]*)"\s*\]$', re.IGNORECASE)
EMAIL_PATH = re.compile(r'^emails\[\s*type\s+eq\s+"([^"]*)"\s*\](?:\.value)?$', re.IGNORECASE)


def boolean(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise invalid_value(f"{name} must be true or false, not {value!r:.60}.")


def text(value: Any, name: str) -> str:
    """A string attribute; numbers are taken as their digits, null as blank."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise invalid_value(f"{name} must be text.")
    result = str(value)
    if "\x00" in result:
        raise invalid_value(f"{name} cannot hold a NUL character.")
    try:
        result.encode("utf-8")
    except UnicodeEncodeError:  # JSON may escape half a character ("\ud800")
        raise invalid_value(f"{name} holds text that is not valid Unicode.") from None
    return result.strip()


def operation_name(operation: Any) -> str:
    """add, replace or remove, in whatever case the provider writes it ("Replace")."""
    if not isinstance(operation, dict):
        raise invalid_value("Each operation must be an object with op, path and value.")
    name = operation.get("op")
    if not isinstance(name, str) or name.lower() not in ("add", "replace", "remove"):
        raise invalid_value(f"Unknown operation {name!r:.40}: use add, replace or remove.")
    return name.lower()


def operations(body: dict[str, Any]) -> list[dict[str, Any]]:
    found = body.get("Operations", body.get("operations"))
    if not isinstance(found, list) or not found:
        raise invalid_value("A PATCH needs a list of Operations.")
    if len(found) > 1000:
        raise ScimError(413, "At most 1,000 operations in one PATCH.", "tooMany")
    return found


def path_of(operation: dict[str, Any], core_prefix: str) -> str | None:
    """The operation's path in lower case, the core schema's URN taken off; None if none."""
    path = operation.get("path")
    if path is None or path == "":
        return None
    if not isinstance(path, str):
        raise ScimError(400, "An operation's path must be text.", "invalidPath")
    path = path.strip().lower()
    if path.startswith(core_prefix):
        path = path[len(core_prefix) :]
    return path


def flatten(value: dict[str, Any], core_prefix: str) -> list[tuple[str, Any]]:
    """A path-less value map as (path, value) pairs: `{"name.givenName": …}` as Entra sends
    it, `{"name": {"givenName": …}}`, and the enterprise extension under its URN."""
    pairs: list[tuple[str, Any]] = []
    for key, item in value.items():
        if not isinstance(key, str):
            continue
        path = key.strip().lower()
        if path.startswith(core_prefix):
            path = path[len(core_prefix) :]
        if path == ENTERPRISE_PREFIX and isinstance(item, dict):
            for sub, sub_value in item.items():
                pairs.append((f"{ENTERPRISE_PREFIX}:{str(sub).lower()}", sub_value))
        elif path == "name" and isinstance(item, dict):
            for sub, sub_value in item.items():
                pairs.append((f"name.{str(sub).lower()}", sub_value))
        else:
            pairs.append((path, item))
    return pairs
