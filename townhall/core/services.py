"""The one write path. Every create, change and delete — page, API, import, CLI, bulk action,
demo — goes through the verbs here (`create`, `update`, `delete`, `transition`, their
many-record forms, and `set_own_password`): check permission, validate,
detect a conflicting edit, save, and record the audit entry, all in one transaction.
"""

import json
from collections.abc import Collection, Iterable, Mapping
from typing import Any, TypeVar

from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.fields.files import FieldFile

from townhall.accounts.models import User
from townhall.audit.models import AuditEntry
from townhall.core import changes, context, memory, permissions
from townhall.core.models import TrackedModel, field_named

M = TypeVar("M", bound=models.Model)


class ConflictError(Exception):
    """Someone else saved the record after the editor loaded it."""

    def __init__(self, current: TrackedModel, entries: list[AuditEntry]) -> None:
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
UNTRACKED_FIELDS = {
    "created_at",
    "updated_at",
    "password",
    "last_login",
    "secret_hash",  # an API token's
    "key_hash",  # a signed-in session's
    "totp_secret",  # an authenticator app's
    "code_hash",  # a recovery code's
    "last_used_step",
    "sign_count",  # a passkey's
    "last_used_at",
    "last_seen_at",
}
# What history says instead of a new password: that it changed, never the value or hash.
PASSWORD_CHANGED = "changed"  # noqa: S105 - a word shown in history, not a secret


def secret_fields(obj: models.Model) -> tuple[str, ...]:
    """A model's own secrets (`secret_fields` on the class): never copied into history;
    an update that changes one says only that it changed, as a password change does."""
    return tuple(getattr(obj, "secret_fields", ()))


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | bool):
        return value  # already JSON: skip the round trip (most fields; it is the hot path)
    if isinstance(value, FieldFile):
        return value.name or ""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(obj: models.Model, linked: Collection[str] | None = None) -> dict[str, Any]:
    """The record's values as JSON, by field name, for history and conflict messages.

    `linked` names the only many-to-many fields that can hold links (a record just created
    has links only where they were given), so the others are not read: a query each."""
    data: dict[str, Any] = {}
    hidden = secret_fields(obj)
    for field in obj._meta.concrete_fields:
        if field.name in UNTRACKED_FIELDS or field.name in hidden:
            continue
        data[field.name] = _jsonable(field.value_from_object(obj))
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            if linked is not None and field.name not in linked:
                data[field.name] = []
                continue
            data[field.name] = sorted(field.value_from_object(obj), key=lambda o: o.pk)
            data[field.name] = [str(o) for o in data[field.name]]
    return data


def _again(obj: models.Model, before: Mapping[str, Any], reread: Collection[str] = ()) -> dict:
    """The record's snapshot after a change that touched none of its many-to-many fields but
    those in `reread`: the others are as `before` read them, a query each saved."""
    data = snapshot(obj, linked=reread)
    for field in obj._meta.many_to_many:
        if field.name not in reread and field.name in before:
            data[field.name] = before[field.name]
    return data


def _record(
    user: Any, action: str, obj: models.Model, object_id: Any, before: Any, after: Any
) -> AuditEntry:
    entry = _entry(user, action, obj, object_id, before, after)
    entry.save()
    return entry


def _split(model: type[models.Model], data: Mapping[str, Any]) -> tuple[dict, dict]:
    m2m_names = {f.name for f in model._meta.many_to_many}
    plain = {k: v for k, v in data.items() if k not in m2m_names}
    m2m = {k: v for k, v in data.items() if k in m2m_names}
    return plain, m2m


def _apply(obj: models.Model, values: Mapping[str, Any]) -> None:
    system = set(getattr(obj, "system_fields", ("id",)))
    for name, value in values.items():
        if name in system or (name == "password" and isinstance(obj, User)):
            continue
        field = field_named(type(obj), name)
        if isinstance(field, models.FileField) and value is False:
            value = ""  # a cleared file input
        if field.many_to_one and value is not None and not isinstance(value, models.Model):
            setattr(obj, field.attname, value)  # given as a primary key
        else:
            setattr(obj, name, value)
    password = values.get("password")
    if password and isinstance(obj, User):
        _set_password(obj, password)


def _set_password(obj: User, password: str) -> None:
    """The password policy (settings.AUTH_PASSWORD_VALIDATORS) on every door: page, API,
    command line. Checked after the other values, which some rules compare it with."""
    try:
        validate_password(password, obj)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    obj.set_password(password)  # stored hashed; blank leaves it unchanged


def _check_department(user: Any, obj: models.Model) -> None:
    """A liaison may not hand a record to another department."""
    if not isinstance(obj, TrackedModel) or obj.department_field in (None, "pk"):
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
    if before is not None:
        _refuse_state_edits(obj, before)
    _check_write(user, obj, before)


def _check_write(user: Any, obj: models.Model, before: Mapping[str, Any] | None) -> None:
    """The model's own rule about who may set which values, asked by every verb that writes
    values: create, update, their many-record forms and transition."""
    check = getattr(obj, "check_write", None)
    if check is not None:
        check(user, before)


def _refuse_state_edits(obj: models.Model, before: Mapping[str, Any]) -> None:
    """A field a model moves through named transitions (`transitions`) is a workflow's
    state: an edit by page, API, bulk edit or import may not move it, or an edit would skip
    the step's checks and its own history line. A model that also lets people set some of
    its values freely lists them in `edited_states` (an exposure's decisions); a move
    between two of those is an ordinary edit."""
    free = getattr(obj, "edited_states", {})
    for field in getattr(obj, "transitions", {}):
        was, now = before.get(field), getattr(obj, field)
        if was == now or (was in free.get(field, ()) and now in free.get(field, ())):
            continue
        label = field_named(type(obj), field).verbose_name
        message = f"The {label} changes by its own actions on the record's page, not by an edit."
        raise ValidationError({field: message})


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


def _clean_links(obj: models.Model, m2m: Mapping[str, Any]) -> None:
    """Rules about the links a record is given that need no saved links (a redundancy
    group's two members at least), stated in `clean_links(links)`: checked with the
    record's other fields, so a batch or an import refuses the one row, not the batch."""
    check = getattr(obj, "clean_links", None)
    if m2m and check is not None:
        check(m2m)


def create(user: Any, model: type[M], data: Mapping[str, Any]) -> M:
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
        _record(user, AuditEntry.Action.CREATE, obj, obj.pk, None, snapshot(obj, m2m))
    return obj


def _check_version(current: models.Model, version: int | None) -> None:
    """Refuse a change started from an older version than the one stored: someone saved the
    record after the editor opened it. A user account has no version."""
    if (
        isinstance(current, TrackedModel)
        and version is not None
        and int(version) != current.version
    ):
        entries = list(
            AuditEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(type(current)),
                object_id=str(current.pk),
                object_version__gt=int(version),
            )
        )
        raise ConflictError(current, entries)


def update(user: Any, obj: M, data: Mapping[str, Any], *, version: int | None) -> M:
    """Change a record. `version` is the one the editor started from; a mismatch is a conflict.

    Pass version=None only for changes with no human editor (CLI upserts, tasks)."""
    return _update(user, obj, data, version=version, own_password=False)


def set_own_password(user: User, password: str) -> User:
    """A person changes their own password (Django's password page, which has checked the
    old one). Anyone signed in may, though most may not change their account otherwise:
    only the password is set, checked by the policy and recorded as changed, as `update`
    records it, never its value or hash."""
    if not (getattr(user, "is_authenticated", False) and user.is_active and user.pk):
        raise PermissionDenied("Sign in to change your password.")
    account = User(pk=user.pk)  # the account itself, read and locked by `_update`
    return _update(user, account, {"password": password}, version=None, own_password=True)


def _update(
    user: Any, obj: M, data: Mapping[str, Any], *, version: int | None, own_password: bool
) -> M:
    model = type(obj)
    plain, m2m = _split(model, data)
    with context.writing(), transaction.atomic():
        current = model._default_manager.select_for_update().get(pk=obj.pk)
        if own_password:
            if set(data) != {"password"} or current.pk != getattr(user, "pk", None):
                raise PermissionDenied("Only your own password can be changed here.")
        elif not permissions.can(user, "change", current):
            raise PermissionDenied(f"You may not change this {model._meta.verbose_name}.")
        _check_version(current, version)
        before = snapshot(current)
        old_password = getattr(current, "password", None)
        old_secrets = {name: getattr(current, name) for name in secret_fields(current)}
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
        secrets_changed = [n for n, v in old_secrets.items() if getattr(current, n) != v]
        preview = _again(current, before)  # the links are set below, after this check
        if preview == before and not m2m_changed and not password_changed and not secrets_changed:
            return current  # nothing to save; the version stays what the editor saw
        if isinstance(current, TrackedModel):
            current.version += 1
        current.save()
        for name, values in m2m.items():
            getattr(current, name).set(values)
        _clean_relations(current, m2m, changed=True)
        after = _again(current, before, reread=m2m)
        if password_changed:
            after["password"] = PASSWORD_CHANGED
        for name in secrets_changed:
            after[name] = PASSWORD_CHANGED
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
        if (
            isinstance(current, TrackedModel)
            and version is not None
            and int(version) != current.version
        ):
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
    """Set the same values on several records in one transaction: all or none. Returns
    how many records were given (those already holding the values are left alone)."""
    objs = list(objs)
    try:
        update_rows(user, [(obj, data) for obj in objs])
    except RowInvalid as exc:
        raise exc.error from None  # the same values for all: the reason alone says it
    return len(objs)


# --- many records at once ----------------------------------------------------------------


class RowInvalid(ValidationError):
    """A record of a `create_many` or `update_rows` call was refused: `index` says which
    (counting from 0) and `error` says why, as a ValidationError naming the fields."""

    def __init__(self, index: int, error: ValidationError) -> None:
        self.index = index
        self.error = error
        super().__init__(f"Record {index + 1}: " + "; ".join(error.messages))


class Creation:
    """New records of one model on their way in, for `create_many` and the importer: each
    checked as `services.create` checks it (`check`), then saved in batches (`save`) with
    their many-to-many links and the same audit entry per record `create` writes.

    `check` is `full_clean` less its per-record queries: the fields and the model's
    `clean()` record by record, references checked for the whole batch in one query per
    field, uniqueness against the values the table holds, read once (`clashes`). Only
    records that went through `check` can be saved."""

    def __init__(self, user: Any, model: type[models.Model]) -> None:
        from townhall.core import bulk

        self.user = user
        self.model = model
        self.fast = bulk.eligible(model)
        self.maker = bulk.Maker(model)
        self.writer = bulk.Writer(model) if self.fast else None
        self.snapshot = bulk.Snapshots(model)
        self.unique = bulk.Unique(model)
        self._allowed: dict[Any, bool] = {}
        self._checked: set[int] = set()
        self._relations = getattr(model, "clean_relations", None) is not None
        self._text = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField))
        ]
        self._new = bulk.New
        self._department = getattr(model, "department_id_value", None)
        self._check_write = getattr(model, "check_write", None) is not None

    def check(self, data: Mapping[str, Any]) -> Any:
        """A new unsaved record from `data`, checked: PermissionDenied or ValidationError."""
        obj, m2m = self.maker.build(data)  # which reads `data` and keeps none of it
        if self._check_write:
            check_fields(self.user, obj, None)
        values = obj.__dict__
        if "\x00" in "".join([v for v in map(values.get, self._text) if type(v) is str]):
            _refuse_nul(obj)  # which says where
        self.maker.validate(obj)  # first: a record that describes nothing says so
        _clean_links(obj, m2m)
        dept = self._department(obj) if self._department is not None else None
        allowed = self._allowed.get(dept)
        if allowed is None:
            allowed = self._allowed[dept] = permissions.can_add(self.user, self.model, dept)
        if not allowed:
            raise PermissionDenied(f"You may not add {self.model._meta.verbose_name_plural} here.")
        self._checked.add(id(obj))
        return self._new(obj, m2m)

    def clashes(self, item: Any) -> bool:
        """Whether the record would repeat a unique value already saved or checked in."""
        return self.unique.clashes(item.obj)

    def keep(self, item: Any) -> None:
        """Count the record's unique values as taken (it will be saved)."""
        self.unique.add(item.obj)

    def save(self, items: list[Any], first: int = 0) -> None:
        """Save checked records, all or none; afterwards each has its primary key. `first`
        is the index of the first of them among all records, for RowInvalid."""
        if not items:
            return
        if any(id(item.obj) not in self._checked for item in items):
            raise ValueError("Only records checked by this Creation can be saved by it.")
        self._check_references(items, first)
        # No savepoint of its own: a failure spoils the caller's transaction, all of it.
        with context.writing(), transaction.atomic(savepoint=False):
            if self.writer is not None:
                self._resolve_links(items, first)
                self.writer.save(self.user, items)
                if self._relations:
                    for item in items:
                        _clean_relations(item.obj, item.m2m)
            else:  # a model whose save() does more: one by one, as `create` saves
                for item in items:
                    item.obj.save()
                    for name, values in item.m2m.items():
                        getattr(item.obj, name).set(values)
                    _clean_relations(item.obj, item.m2m)
                    _record(
                        self.user,
                        AuditEntry.Action.CREATE,
                        item.obj,
                        item.obj.pk,
                        None,
                        snapshot(item.obj),
                    )
        for item in items:
            self._checked.discard(id(item.obj))

    def _check_references(self, items: list[Any], first: int) -> None:
        """What full_clean asks of each reference given as a key, asked once per field for
        the batch: that the record it names exists (a record given itself was read)."""
        for f in self.model._meta.concrete_fields:
            if not (f.many_to_one and isinstance(f, models.ForeignKey)):
                continue
            wanted: dict[Any, int] = {}
            for index, item in enumerate(items):
                value = item.obj.__dict__.get(f.attname)
                if value is not None and not f.is_cached(item.obj):
                    wanted.setdefault(value, index)
            if not wanted:
                continue
            target = f.remote_field
            key = f.target_field.name  # the field it refers by: target.field_name, resolved
            qs = target.model._default_manager.complex_filter(f.get_limit_choices_to())
            found = set(qs.filter(**{f"{key}__in": list(wanted)}).values_list(key, flat=True))
            for value, index in wanted.items():
                if value not in found:
                    message = f.error_messages["invalid"] % {
                        "model": target.model._meta.verbose_name,
                        "pk": value,
                        "field": key,
                        "value": value,
                    }
                    raise RowInvalid(first + index, ValidationError({f.name: [message]}))

    def _resolve_links(self, items: list[Any], first: int) -> None:
        """Many-to-many values given as keys become the records (history names them)."""
        for f in self.model._meta.many_to_many:
            keys = {
                v
                for item in items
                for v in item.m2m.get(f.name, [])
                if not isinstance(v, models.Model)
            }
            if not keys:
                continue
            found = f.related_model._default_manager.in_bulk(list(keys))
            missing = keys - set(found)
            for index, item in enumerate(items):
                values = item.m2m.get(f.name)
                if not values:
                    continue
                if missing & set(values):
                    raise RowInvalid(
                        first + index,
                        ValidationError({f.name: [f"{sorted(missing & set(values))} not found."]}),
                    )
                item.m2m[f.name] = [v if isinstance(v, models.Model) else found[v] for v in values]


def create_many(
    user: Any,
    model: type[models.Model],
    rows: Iterable[Mapping[str, Any]],
    *,
    batch: int = 1000,
) -> list[models.Model]:
    """Create many records of `model` as `user`, all or none: each checked as `create`
    checks it, saved in batches, one audit entry per record (the same `create` writes).

    A refused record raises RowInvalid (which record, and why) or PermissionDenied, and
    nothing is kept. The way the importer, the demo and feeds load new records in volume."""

    creation = Creation(user, model)
    created: list[models.Model] = []
    pending: list[Any] = []
    with memory.long_lived_set_aside() as set_aside, transaction.atomic():
        for index, data in enumerate(rows):
            try:
                item = creation.check(data)
                if creation.clashes(item):
                    creation.save(pending, index - len(pending))  # what it clashes with
                    pending = []
                    item.obj.validate_unique()
            except ValidationError as exc:
                if isinstance(exc, RowInvalid):
                    raise
                raise RowInvalid(index, exc) from None
            creation.keep(item)
            pending.append(item)
            created.append(item.obj)
            if len(pending) >= batch:
                creation.save(pending, index + 1 - len(pending))
                pending = []
                set_aside()
        creation.save(pending, len(created) - len(pending))
    return created


def update_rows(user: Any, edits: Iterable[tuple[models.Model, Mapping[str, Any]]]) -> int:
    """Change many records, each with its own values, as `user`, all or none: the records
    are read and locked in one query, permission asked in one query, each checked as
    `update` checks it, the changed ones saved in one statement per batch, and one audit
    entry (before and after) written per changed record. Returns how many changed.

    Many-to-many values go row by row (they are rare in bulk changes). A refused record
    raises RowInvalid (which one, counting from 0) or PermissionDenied; nothing is kept."""
    pairs = list(edits)
    if not pairs:
        return 0
    model = type(pairs[0][0])
    pks = [obj.pk for obj, _ in pairs]
    with context.writing(), transaction.atomic():
        manager = model._default_manager
        # The links read with the records: each snapshot would otherwise query every
        # many-to-many field of every record, three times.
        linked = [f.name for f in model._meta.many_to_many]
        current = manager.select_for_update().prefetch_related(*linked).in_bulk(pks)
        allowed = set(
            permissions.restrict(manager.all(), user, "change")
            .filter(pk__in=pks)
            .values_list("pk", flat=True)
        )
        changed: list[tuple[models.Model, dict, dict[str, Any], list[str], set[str]]] = []
        for index, (obj, data) in enumerate(pairs):
            record = current.get(obj.pk)
            if record is None or record.pk not in allowed:
                raise PermissionDenied(f"You may not change this {model._meta.verbose_name}.")
            plain, m2m = _split(model, data)
            before = snapshot(record)
            old_password = getattr(record, "password", None)
            old_secrets = {name: getattr(record, name) for name in secret_fields(record)}
            try:
                _apply(record, plain)
                if hasattr(record, "department_id_value"):
                    _check_department(user, record)
                check_fields(user, record, before)
                _refuse_nul(record)
                _full_clean(record, before)
                _clean_links(record, m2m)
            except ValidationError as exc:
                raise RowInvalid(index, exc) from None
            m2m_changed = any(
                _m2m_pks(values) != _m2m_pks(getattr(record, name).all())
                for name, values in m2m.items()
            )
            hidden = [n for n, v in old_secrets.items() if getattr(record, n) != v]
            if getattr(record, "password", None) != old_password:
                hidden.append("password")
            now = snapshot(record)
            if now == before and not m2m_changed and not hidden:
                continue
            if hasattr(record, "version"):
                record.version += 1
            moved = {name for name, value in now.items() if before.get(name) != value}
            changed.append((record, before, m2m, hidden, moved))
        if not changed:
            return 0
        fields: set[str] = set().union(*(moved for *_, moved in changed))
        _save_rows(model, [record for record, *_ in changed], fields)
        entries = []
        for record, before, m2m, hidden, _moved in changed:
            for name, values in m2m.items():
                getattr(record, name).set(values)
            _clean_relations(record, m2m)
            after = snapshot(record)
            for name in hidden:  # changed, never the value (nor a password's hash)
                after[name] = PASSWORD_CHANGED
            entries.append(_entry(user, AuditEntry.Action.UPDATE, record, record.pk, before, after))
        AuditEntry.objects.bulk_create(entries, batch_size=1000)
    return len(changed)


def _full_clean(record: models.Model, before: Mapping[str, Any]) -> None:
    """`full_clean`, less the query that checks a reference the change leaves as it was
    (it was checked when set); uniqueness and constraints are checked in full."""
    same = [
        f.name
        for f in record._meta.concrete_fields
        if f.many_to_one and f.name in before and before[f.name] == getattr(record, f.attname)
    ]
    errors: dict[str, Any] = {}
    try:
        record.full_clean(exclude=same, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    for check in (record.validate_unique, record.validate_constraints):
        try:
            check(exclude=[name for name in errors])
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _save_rows(
    model: type[models.Model], records: list[models.Model], moved: Collection[str] | None = None
) -> None:
    """Save changed records of one model: for a model whose save() adds nothing, only the
    fields that changed (`moved`, by name; every field when not given) with the version and
    the fields set on save (`updated_at`), records given the same new values in one UPDATE
    (a merchant key given to a thousand purchases), the rest in one UPDATE per batch; each
    record's own save() otherwise."""
    from townhall.core import bulk

    if not bulk.eligible(model) or any(hasattr(r, "set_password") for r in records[:1]):
        for record in records:
            record.save()
        return
    concrete = [f for f in model._meta.concrete_fields if not f.primary_key]
    auto = {f.name for f in concrete if getattr(f, "auto_now", False)}
    for f in concrete:
        if f.name in auto:  # one time for the whole change, as one statement would have it
            stamp = f.pre_save(records[0], False)
            for record in records:
                setattr(record, f.attname, stamp)
            continue
        for record in records:
            setattr(record, f.attname, f.pre_save(record, False))
    if moved is None:
        fields = concrete
    else:
        wanted = set(moved) | auto | {"version"}
        fields = [f for f in concrete if f.name in wanted]
    changes.changed(model)  # what the guard of a save would report
    manager = model._default_manager
    # Django's bulk_update writes a CASE of every record per field, about a millisecond a
    # record to build. Records taking the same values share one UPDATE instead; even one
    # UPDATE a record is several times quicker.
    counted = [f for f in fields if f.name == "version"]
    plain = [f for f in fields if f.name != "version"]
    groups: dict[tuple, list[models.Model]] = {}
    for record in records:
        values = tuple(getattr(record, f.attname) for f in plain)
        try:
            groups.setdefault(values, []).append(record)
        except TypeError:  # a value that cannot be a key (JSON): written the general way
            groups = {}
            break
    if groups:
        for values, same in groups.items():
            update: dict[str, Any] = {f.attname: v for f, v in zip(plain, values, strict=True)}
            if counted:  # each record's own, one up (read under the lock taken above)
                update["version"] = models.F("version") + 1
            pks = [record.pk for record in same]
            for start in range(0, len(pks), 500):
                manager.filter(pk__in=pks[start : start + 500]).update(**update)
        return
    manager.bulk_update(records, [f.name for f in fields], batch_size=500)


def _entry(
    user: Any, action: str, obj: models.Model, object_id: Any, before: Any, after: Any
) -> AuditEntry:
    """The audit entry `_record` saves, unsaved, for writing many at once."""
    actor = context.current()
    return AuditEntry(
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


def transition(
    user: Any,
    obj: M,
    to_status: str,
    *,
    field: str = "status",
    note: str = "",
    extra: Mapping[str, Any] | None = None,
    version: int | None = None,
) -> M:
    """Move a record to another state (a plan superseded, a campaign closed), as `user`.

    A state change is not an edit: a record whose rules let nobody edit it (an approved
    plan) may still change state. Who may make which change is the model's word when it
    has one — `transitions` {field: {(from, to), …}} lists the allowed changes and
    `may_transition(user, field, from, to)` who may make them — otherwise the person must
    be allowed to change the record and the new value be one of the field's choices. The
    record is validated, its version counted up, and the audit entry (an update) names the
    transition and carries the note. `version`, when given, is the one the person saw: a
    save since then is a conflict (`ConflictError`), as for `update`."""
    model = type(obj)
    with context.writing(), transaction.atomic():
        current = model._default_manager.select_for_update().get(pk=obj.pk)
        _check_version(current, version)
        was = getattr(current, field)
        allowed_moves = getattr(model, "transitions", {}).get(field)
        if allowed_moves is not None and (was, to_status) not in allowed_moves:
            raise ValidationError(
                {field: f"{current} cannot go from {was or 'none'} to {to_status}."}
            )
        rule = getattr(current, "may_transition", None)
        allowed = (
            rule(user, field, was, to_status)
            if rule is not None
            else permissions.can(user, "change", current)
        )
        if not allowed:
            raise PermissionDenied(f"You may not change this {model._meta.verbose_name}.")
        before = snapshot(current)
        values = {field: to_status, **(extra or {})}
        _apply(current, values)
        # The model's rule about values, as an edit is asked it (the state itself moves
        # here by right, so the refusal of state edits is not asked).
        _check_write(user, current, before)
        _refuse_nul(current)
        current.full_clean()
        if hasattr(current, "version"):
            current.version += 1
        names = [model._meta.get_field(n).name for n in values]
        names += [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
        if hasattr(current, "version"):
            names.append("version")
        current.save(update_fields=sorted(set(names)))
        after = _again(current, before)  # a state change sets no links
        # What history shows beside the changed values: which transition, and why.
        after["transition"] = f"{field}: {was} → {to_status}" + (f" ({note})" if note else "")
        _record(user, AuditEntry.Action.UPDATE, current, current.pk, before, after)
    obj.__dict__.update({k: v for k, v in current.__dict__.items() if k != "_state"})
    return current
