"""The one write path. Every create, change and delete — page, API, import, CLI, bulk action,
demo — goes through `create`, `update` or `delete` here: check permission, validate,
detect a conflicting edit, save, and record the audit entry, all in one transaction.
"""

import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.fields.files import FieldFile

from townhall.audit.models import AuditEntry
from townhall.core import context, permissions


class ConflictError(Exception):
    """Someone else saved the record after the editor loaded it."""

    def __init__(self, current: models.Model, entries: list[AuditEntry]) -> None:
        self.current = current
        self.entries = entries
        names = ", ".join(sorted({e.actor_name for e in entries})) or "someone else"
        super().__init__(
            f"{current} was changed by {names} after you opened it. "
            "Your changes were not saved; review what changed and try again."
        )

    def changed_fields(self) -> dict[str, tuple[Any, Any, str]]:
        """field -> (value you started from, value now, who changed it)."""
        result: dict[str, tuple[Any, Any, str]] = {}
        for entry in sorted(self.entries, key=lambda e: (e.at, e.pk)):
            for field, before, after in entry.changes():
                start = result[field][0] if field in result else before
                result[field] = (start, after, entry.actor_name)
        return {k: v for k, v in result.items() if v[0] != v[1]}


# Never copied into history: timestamps change on every save, secrets must not leak.
UNTRACKED_FIELDS = {"created_at", "updated_at", "password", "last_login", "feed_key"}
# What history says instead of a new password: that it changed, never the value or hash.
PASSWORD_CHANGED = "changed"  # noqa: S105 - a word shown in history, not a secret


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | bool):
        return value  # already JSON: skip the round trip (most fields; it is the hot path)
    if isinstance(value, FieldFile):
        return value.name or ""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The record's values as JSON, by field name, for history and conflict messages."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in UNTRACKED_FIELDS:
            continue
        data[field.name] = _jsonable(field.value_from_object(obj))
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            data[field.name] = sorted(field.value_from_object(obj), key=lambda o: o.pk)
            data[field.name] = [str(o) for o in data[field.name]]
    return data


def _record(
    user: Any, action: str, obj: models.Model, object_id: Any, before: Any, after: Any
) -> AuditEntry:
    actor = context.current()
    return AuditEntry.objects.create(
        actor=user if getattr(user, "pk", None) else None,
        actor_name=getattr(user, "username", "") or "system",
        request_id=actor.request_id,
        via=actor.via,
        action=action,
        content_type=ContentType.objects.get_for_model(type(obj), for_concrete_model=False),
        object_id=str(object_id),
        object_repr=str(obj)[:300],
        object_version=getattr(obj, "version", None),
        before=before,
        after=after,
    )


def _split(model: type[models.Model], data: Mapping[str, Any]) -> tuple[dict, dict]:
    m2m_names = {f.name for f in model._meta.many_to_many}
    plain = {k: v for k, v in data.items() if k not in m2m_names}
    m2m = {k: v for k, v in data.items() if k in m2m_names}
    return plain, m2m


def _apply(obj: models.Model, values: Mapping[str, Any]) -> None:
    system = set(getattr(obj, "system_fields", ("id",)))
    for name, value in values.items():
        if name in system or (name == "password" and hasattr(obj, "set_password")):
            continue
        field = obj._meta.get_field(name)
        if isinstance(field, models.FileField) and value is False:
            value = ""  # a cleared file input
        if field.many_to_one and value is not None and not isinstance(value, models.Model):
            setattr(obj, field.attname, value)  # given as a primary key
        else:
            setattr(obj, name, value)
    password = values.get("password")
    if password and hasattr(obj, "set_password"):
        _set_password(obj, password)


def _set_password(obj: models.Model, password: str) -> None:
    """The password policy (settings.AUTH_PASSWORD_VALIDATORS) on every door: page, API,
    command line. Checked after the other values, which some rules compare it with."""
    try:
        validate_password(password, obj)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    obj.set_password(password)  # stored hashed; blank leaves it unchanged


def _check_department(user: Any, obj: models.Model) -> None:
    """A liaison may not hand a record to another department."""
    if getattr(obj, "department_field", None) in (None, "pk"):
        return
    if not permissions.can_add(user, type(obj), obj.department_id_value()):
        raise PermissionDenied(
            "Department liaisons can only keep records with their own department as owner."
        )


def _refuse_nul(obj: models.Model) -> None:
    """A NUL character cannot be kept in text on PostgreSQL (it would fail at the insert,
    after validation); forms refuse it already, files and feeds read by code may not."""
    errors = {
        f.name: "This text holds a NUL character, which cannot be saved; remove it."
        for f in obj._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField))
        and "\x00" in (getattr(obj, f.attname) or "")
    }
    if errors:
        raise ValidationError(errors)


def check_fields(user: Any, obj: models.Model, before: Mapping[str, Any] | None) -> None:
    """Rules about who may set which values (only IT staff approve) live beside the model,
    as `check_write(user, before)`; `before` is None for a new record."""
    check = getattr(obj, "check_write", None)
    if check is not None:
        check(user, before)


def _m2m_pks(values: Iterable[Any]) -> list[Any]:
    return sorted(v.pk if isinstance(v, models.Model) else v for v in values)


def _clean_relations(obj: models.Model, m2m: Mapping[str, Any], changed: bool = False) -> None:
    """Rules about many-to-many links (no loop of prerequisites, a scenario's proposals of
    its own cycle) can only be checked once the links are set; a record states them in
    `clean_relations()`. They are checked when links are given, and on every change (moving
    a scenario to another cycle changes what its links may be). Raising rolls back."""
    check = getattr(obj, "clean_relations", None)
    if (m2m or changed) and check is not None:
        check()


def create(user: Any, model: type[models.Model], data: Mapping[str, Any]) -> models.Model:
    """Create a record of `model` from field values, as `user`."""
    plain, m2m = _split(model, data)
    obj = model()
    _apply(obj, plain)
    dept = getattr(obj, "department_id_value", lambda: None)()
    if not permissions.can_add(user, model, dept):
        raise PermissionDenied(f"You may not add {model._meta.verbose_name_plural} here.")
    check_fields(user, obj, None)
    _refuse_nul(obj)
    obj.full_clean()
    with context.writing(), transaction.atomic():
        obj.save()
        for name, values in m2m.items():
            getattr(obj, name).set(values)
        _clean_relations(obj, m2m)
        _record(user, AuditEntry.Action.CREATE, obj, obj.pk, None, snapshot(obj))
    return obj


def update(
    user: Any, obj: models.Model, data: Mapping[str, Any], *, version: int | None
) -> models.Model:
    """Change a record. `version` is the one the editor started from; a mismatch is a conflict.

    Pass version=None only for changes with no human editor (CLI upserts, tasks)."""
    model = type(obj)
    plain, m2m = _split(model, data)
    with context.writing(), transaction.atomic():
        current = model._default_manager.select_for_update().get(pk=obj.pk)
        if not permissions.can(user, "change", current):
            raise PermissionDenied(f"You may not change this {model._meta.verbose_name}.")
        has_version = hasattr(current, "version")
        if has_version and version is not None and int(version) != current.version:
            entries = list(
                AuditEntry.objects.filter(
                    content_type=ContentType.objects.get_for_model(model),
                    object_id=str(current.pk),
                    object_version__gt=int(version),
                )
            )
            raise ConflictError(current, entries)
        before = snapshot(current)
        old_password = getattr(current, "password", None)
        _apply(current, plain)
        if hasattr(current, "department_id_value"):
            _check_department(user, current)
        check_fields(user, current, before)
        _refuse_nul(current)
        current.full_clean()
        m2m_changed = any(
            _m2m_pks(values) != _m2m_pks(getattr(current, name).all())
            for name, values in m2m.items()
        )
        # A new password is a change, though history never holds it (nor its hash).
        password_changed = getattr(current, "password", None) != old_password
        preview = snapshot(current)
        if preview == before and not m2m_changed and not password_changed:
            return current  # nothing to save; the version stays what the editor saw
        if has_version:
            current.version += 1
        current.save()
        for name, values in m2m.items():
            getattr(current, name).set(values)
        _clean_relations(current, m2m, changed=True)
        after = snapshot(current)
        if password_changed:
            after["password"] = PASSWORD_CHANGED
        _record(user, AuditEntry.Action.UPDATE, current, current.pk, before, after)
    return current


def delete(user: Any, obj: models.Model, *, version: int | None = None) -> None:
    model = type(obj)
    with context.writing(), transaction.atomic():
        current = model._default_manager.select_for_update().get(pk=obj.pk)
        refusal = getattr(current, "check_delete", None)
        if refusal is not None:
            refusal(user)  # a rule with its own reason (nobody deletes their own account)
        if not permissions.can(user, "delete", current):
            raise PermissionDenied(f"You may not delete this {model._meta.verbose_name}.")
        if version is not None and hasattr(current, "version") and int(version) != current.version:
            raise ConflictError(current, [])
        before = snapshot(current)
        pk = current.pk
        try:
            current.delete()
        except models.ProtectedError as exc:
            names = ", ".join(sorted({str(o) for o in list(exc.protected_objects)[:5]}))
            raise ValidationError(
                f"{current} cannot be deleted while other records refer to it ({names})."
            ) from exc
        _record(user, AuditEntry.Action.DELETE, current, pk, before, None)


def delete_many(user: Any, objs: Iterable[models.Model]) -> int:
    """Delete several records in one transaction: all or none."""
    count = 0
    with transaction.atomic():
        for obj in objs:
            delete(user, obj)
            count += 1
    return count


def update_many(user: Any, objs: Iterable[models.Model], data: Mapping[str, Any]) -> int:
    """Set the same values on several records in one transaction: all or none."""
    count = 0
    with transaction.atomic():
        for obj in objs:
            update(user, obj, data, version=None)
            count += 1
    return count
