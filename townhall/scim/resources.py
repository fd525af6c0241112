"""A Townhall account as a SCIM User resource, and as the flat attributes PATCH changes."""

from typing import Any

from townhall.accounts.models import User
from townhall.scim.discovery import BASE, USER
from townhall.scim.users import BLANK, ENTERPRISE


def _record(user: User) -> Any:
    return getattr(user, "provisioned", None)


def user_state(user: User) -> dict[str, Any]:
    record = _record(user)
    return {
        **BLANK,
        "userName": user.username,
        "givenName": user.first_name,
        "familyName": user.last_name,
        "email": user.email,
        "active": user.is_active,
        "externalId": record.external_id if record else "",
        "employeeNumber": record.employee_number if record else "",
        "department": record.department_name if record else "",
        "manager": record.manager_id if record else None,
    }


def user_resource(user: User) -> dict[str, Any]:
    """Read with `provisioned` selected and `provisioned_groups` prefetched: no query more."""
    record = _record(user)
    data: dict[str, Any] = {
        "schemas": [USER, ENTERPRISE],
        "id": str(user.pk),
        "userName": user.username,
        "name": {
            "givenName": user.first_name,
            "familyName": user.last_name,
            "formatted": user.get_full_name(),
        },
        "displayName": str(user),
        "active": user.is_active,
        "emails": [{"value": user.email, "type": "work", "primary": True}] if user.email else [],
        "groups": [
            {"value": str(g.pk), "display": g.display_name, "$ref": f"{BASE}Groups/{g.pk}"}
            for g in user.provisioned_groups.all()
        ],
        ENTERPRISE: {},
        "meta": {
            "resourceType": "User",
            "created": user.date_joined.isoformat(),
            "lastModified": (record.updated_at if record else user.date_joined).isoformat(),
            "location": f"{BASE}Users/{user.pk}",
        },
    }
    if record:
        if record.external_id:
            data["externalId"] = record.external_id
        extension = data[ENTERPRISE]
        if record.employee_number:
            extension["employeeNumber"] = record.employee_number
        if record.department_name:
            extension["department"] = record.department_name
        if record.manager_id:
            extension["manager"] = {"value": str(record.manager_id)}
    return data
