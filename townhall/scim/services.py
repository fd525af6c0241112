"""Provisioning verbs on the write path: an account and its groups as the provider says
they are, and the role and department its groups give, through sign-in's group mappings."""

import secrets
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from townhall.accounts.models import Role, User
from townhall.audit.models import AuditEntry
from townhall.core import services
from townhall.core.http import whole_number
from townhall.scim.errors import ScimError, invalid_value
from townhall.scim.models import ProvisionedGroup, ProvisionedUser
from townhall.signin.services import Grant, grant_for

# Group mappings for this provider name (or for every provider) apply to SCIM groups.
PROVIDER = "scim"


def _refusal(exc: ValidationError) -> ScimError:
    return invalid_value("; ".join(exc.messages))


def _clash(detail: str) -> ScimError:
    return ScimError(409, detail, "uniqueness")


def _check_unique_username(username: str, user: User | None) -> None:
    taken = User.objects.filter(username__iexact=username)
    if user is not None:
        taken = taken.exclude(pk=user.pk)
    if taken.exists():
        raise _clash(f"An account with the userName {username} exists.")


def _manager(pk: int | None) -> int | None:
    if pk is not None and not User.objects.filter(pk=pk).exists():
        raise invalid_value(f"No Townhall account has the id {pk} (manager).")
    return pk


def held_in_townhall(user: User) -> bool:
    """Switched off in Townhall itself (a page, the API, a command), not by the provider.

    An administrator who locks someone out in an emergency means it to last: the provider
    keeps saying "active" until someone changes the person there, and its next push must not
    quietly undo the lock. Only an administrator in Townhall lifts it. The audit trail says
    who switched the account off and through which door, so no flag of its own is kept."""
    if user.is_active:
        return False
    last = (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(User),
            object_id=str(user.pk),
            before__is_active=True,
            after__is_active=False,
        )
        .order_by("-at", "-id")
        .values_list("via", flat=True)
        .first()
    )
    return last is not None and last != "scim"


def save_user(actor: Any, user: User | None, state: dict[str, Any]) -> User:
    """Create the account (user None) or set it to `state`; deactivating it ends its sessions
    and revokes its tokens at once (User.save). An account switched off in Townhall stays
    off whatever the provider says (held_in_townhall)."""
    _check_unique_username(state["userName"], user)
    account = {
        "username": state["userName"],
        "first_name": state["givenName"],
        "last_name": state["familyName"],
        "email": state["email"],
        "is_active": state["active"],
    }
    if user is not None and state["active"] and held_in_townhall(user):
        account["is_active"] = False
    extra = {
        "external_id": state["externalId"],
        "employee_number": state["employeeNumber"],
        "department_name": state["department"],
        "manager": _manager(state["manager"]),
    }
    try:
        with transaction.atomic():
            if user is None:
                # Nobody knows the password: the person signs in through the provider.
                account["password"] = secrets.token_urlsafe(32)
                account["role"] = Role.VIEWER
                user = services.create(actor, User, account)
                services.create(actor, ProvisionedUser, {**extra, "user": user})
            else:
                user = services.update(actor, user, account, version=None)
                record = ProvisionedUser.objects.filter(user=user).first()
                if record is None:
                    services.create(actor, ProvisionedUser, {**extra, "user": user})
                else:
                    services.update(actor, record, extra, version=None)
    except ValidationError as exc:
        raise _refusal(exc) from None
    except IntegrityError:  # another request made the same account since the check above
        raise _clash(f"An account with the userName {state['userName']} exists.") from None
    return user


def deactivate(actor: Any, user: User) -> User:
    """What a provider's DELETE means: the account stays, for the record, and stops working."""
    try:
        return services.update(actor, user, {"is_active": False}, version=None)
    except ValidationError as exc:
        raise _refusal(exc) from None


def apply_roles(actor: Any, users: Iterable[User]) -> None:
    """Each person's role and department again from the groups they are in now; a person in
    no mapped group is a viewer. Only those whose role or department changes are written,
    and the groups and mappings are read once for all of them."""
    people = list(users)
    names: dict[int, set[str]] = defaultdict(set)
    # A group is known by its name and, from Entra ID, by its object ID (its externalId),
    # which is what Entra ID sends at sign-in: a mapping of either applies.
    memberships = ProvisionedGroup.members.through.objects.filter(
        user_id__in=[u.pk for u in people]
    ).values_list("user_id", "provisionedgroup__display_name", "provisionedgroup__external_id")
    for user_id, name, external_id in memberships:
        names[user_id].update(n for n in (name, external_id) if n)
    grants: dict[frozenset[str], Grant | None] = {}
    wanted: dict[tuple[str, int | None], list[int]] = defaultdict(list)
    for user in people:
        key = frozenset(names[user.pk])
        if key not in grants:
            grants[key] = grant_for(PROVIDER, sorted(key))
        grant = grants[key]
        wanted[(grant.role, grant.department_id) if grant else (Role.VIEWER, None)].append(user.pk)
    for (role, department), ids in wanted.items():
        # One read per role given, of the people it changes: the others are left unwritten.
        changed = User.objects.filter(pk__in=ids).exclude(role=role, department=department)
        for user in changed.order_by("pk"):
            services.update(actor, user, {"role": role, "department": department}, version=None)


def members(ids: Iterable[Any]) -> list[User]:
    """The accounts named by members' `value`s; an unknown one is refused."""
    wanted: set[int] = set()
    for value in ids:
        text = str(value).strip()
        number = whole_number(text)
        if number is None:
            raise invalid_value(f"No Townhall account has the id {text[:40]!r}.")
        wanted.add(number)
    found = list(User.objects.filter(pk__in=wanted))
    missing = wanted - {u.pk for u in found}
    if missing:
        raise invalid_value(f"No Townhall account has the id {min(missing)}.")
    return found


def save_group(
    actor: Any, group: ProvisionedGroup | None, state: dict[str, Any]
) -> ProvisionedGroup:
    """Create or set a group; everyone who joined or left gets their role again."""
    name = state["displayName"]
    taken = ProvisionedGroup.objects.filter(display_name=name)
    if group is not None:
        taken = taken.exclude(pk=group.pk)
    if taken.exists():
        raise _clash(f"A group named {name} exists.")
    new_members = members(state["members"])
    try:
        with transaction.atomic():
            before = set(group.members.all()) if group else set()
            renamed = group is not None and (
                group.display_name != name or group.external_id != state["externalId"]
            )
            data = {
                "display_name": name,
                "external_id": state["externalId"],
                "members": [u.pk for u in new_members],
            }
            if group is None:
                group = services.create(actor, ProvisionedGroup, data)
            else:
                group = services.update(actor, group, data, version=None)
            after = set(new_members)
            apply_roles(actor, sorted(after | before if renamed else after ^ before, key=_pk))
    except ValidationError as exc:
        raise _refusal(exc) from None
    except IntegrityError:  # another request made a group of that name since the check above
        raise _clash(f"A group named {name} exists.") from None
    return group


def delete_group(actor: Any, group: ProvisionedGroup) -> None:
    try:
        with transaction.atomic():
            former = sorted(group.members.all(), key=_pk)
            services.delete(actor, group)
            apply_roles(actor, former)
    except ValidationError as exc:
        raise _refusal(exc) from None


def _pk(user: User) -> int:
    return user.pk
