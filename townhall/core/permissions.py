"""Who may see and change which records: the one place that decides.

Pages, API, exports, search and bulk actions all start from `restrict()`, so they cannot
disagree. Viewing: every signed-in role reads what the government shares internally.
Changing: administrators, IT managers and IT staff change everything; department liaisons
change only rows their department owns; board members and viewers change nothing here.
Personnel records (pay, retirement eligibility, performance: `PersonnelRows`) are seen and
kept only by administrators and IT managers.
"""

from typing import Any, TypeVar

from django.db import models

from townhall.accounts.models import Role

QS = TypeVar("QS", bound=models.QuerySet)

ACTIONS = ("view", "add", "change", "delete")
EDITOR_ROLES = (Role.ADMIN, Role.IT_MANAGER, Role.STAFF)
PERSONNEL_ROLES = (Role.ADMIN, Role.IT_MANAGER)


# --- who someone is: the named questions every module asks, instead of role strings -------


def is_admin(user: Any) -> bool:
    """An administrator: configures Townhall and keeps accounts."""
    return getattr(user, "role", None) == Role.ADMIN


def is_it_staff(user: Any) -> bool:
    """IT staff or an administrator: they keep every record (accounts: administrators)
    and run each module's processes."""
    return getattr(user, "role", None) in EDITOR_ROLES


def sees_personnel(user: Any) -> bool:
    """An administrator or IT manager: the only roles that see and keep personnel data
    (pay, retirement eligibility, performance); everyone else sees names, roles and skills."""
    return getattr(user, "role", None) in PERSONNEL_ROLES and _active(user)


class PersonnelRows:
    """Row rule for a record that holds personnel data: only administrators and IT managers
    see it or write it, through every door (pages, API, exports, search, history), because
    they all start from `restrict`. Keep such data in records of its own, never in a field
    of a record everyone reads."""

    @classmethod
    def restrict_rows(cls, qs: Any, user: Any, action: str, by_role: Any) -> Any:
        return by_role if sees_personnel(user) else by_role.none()

    @classmethod
    def may_add(cls, user: Any, department_id: int | None) -> bool:
        return sees_personnel(user)


def is_board(user: Any) -> bool:
    """A governance board member: scores proposals, reads the rest."""
    return getattr(user, "role", None) == Role.BOARD


def is_liaison(user: Any) -> bool:
    """A department liaison: edits only what their department owns."""
    return getattr(user, "role", None) == Role.LIAISON


def is_liaison_of(user: Any, department_id: int | None) -> bool:
    """The liaison of that department."""
    return (
        is_liaison(user)
        and department_id is not None
        and getattr(user, "department_id", None) == department_id
    )


def has_one_of(user: Any, roles: Any) -> bool:
    """A person whose role is among those an administrator chose (two-step sign-in)."""
    return getattr(user, "role", None) in roles


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def restrict(qs: QS, user: Any, action: str) -> QS:
    """The rows of `qs` that `user` may take `action` on.

    A record with rules of its own (a proposal a liaison may edit only as a draft, a board
    member's private ballot) defines `restrict_rows(qs, user, action, by_role)`, which
    receives the role-based answer and narrows or replaces it, beside its model.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if not _active(user):
        return qs.none()
    rule = getattr(qs.model, "restrict_rows", None)
    if rule is not None:
        return rule(qs, user, action, by_role(qs, user, action))
    return by_role(qs, user, action)


def by_role(qs: QS, user: Any, action: str) -> QS:
    """The rule every record follows unless it has its own (see `restrict`)."""
    model = qs.model
    admin_only = getattr(model, "admin_only", False)
    if action == "view":
        return qs if not admin_only or is_admin(user) else qs.none()
    if is_admin(user) or (is_it_staff(user) and not admin_only):
        return qs
    field = getattr(model, "department_field", None)
    if is_liaison(user) and field and user.department_id and not admin_only:
        if action not in getattr(model, "liaison_actions", ("change", "delete")):
            return qs.none()
        return qs.filter(**{field: user.department_id})
    return qs.none()


def has_row_rules(model: type[models.Model]) -> bool:
    """Whether some people may see only some rows of `model` (row rules, or accounts)."""
    return bool(getattr(model, "restrict_rows", None) or getattr(model, "admin_only", False))


def sees_every_row(model: type[models.Model], user: Any) -> bool:
    """Whether no row rule narrows what `user` sees of `model`, so a result worked out once
    from every row may be shown to them. A row rule hands back the role's queryset untouched
    (`by_role`) when it does not apply to someone (cyber's records narrow only what
    department liaisons see); anything else, or no user, counts as narrowed."""
    if not has_row_rules(model):
        return True
    rule = getattr(model, "restrict_rows", None)
    if user is None or rule is None or getattr(model, "admin_only", False):
        return False
    everything = model._default_manager.all()
    return rule(everything, user, "view", everything) is everything


def can(user: Any, action: str, obj: models.Model) -> bool:
    """Whether `user` may take `action` on an existing record."""
    if obj.pk is None:
        return can_add(user, type(obj), getattr(obj, "department_id_value", lambda: None)())
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()


def can_add(user: Any, model: type[models.Model], department_id: int | None = None) -> bool:
    """Whether `user` may create a record of `model` owned by `department_id`."""
    if not _active(user):
        return False
    rule = getattr(model, "may_add", None)
    if rule is not None:
        return rule(user, department_id)
    admin_only = getattr(model, "admin_only", False)
    if is_admin(user) or (is_it_staff(user) and not admin_only):
        return True
    field = getattr(model, "department_field", None)
    if field and field != "pk" and not admin_only:
        return is_liaison_of(user, department_id)
    return False


def may_view_any(user: Any, model: type[models.Model]) -> bool:
    """Whether `user` may see any row of `model` at all (the menu offers only those). No
    query is run: a record with row rules answers through `restrict`, whose query is built
    empty when the person may see nothing."""
    if not _active(user):
        return False
    if getattr(model, "restrict_rows", None) is None:
        return not getattr(model, "admin_only", False) or is_admin(user)
    return not restrict(model._default_manager.all(), user, "view").query.is_empty()


def may_add_any(user: Any, model: type[models.Model]) -> bool:
    """Whether to offer an Add button at all (the department is checked on save)."""
    if getattr(model, "may_add", None) is not None:
        return can_add(user, model, getattr(user, "department_id", None))
    if is_liaison(user) and getattr(model, "department_field", None) not in (None, "pk"):
        return bool(user.department_id) and _active(user)
    return can_add(user, model)
