"""Saving many new records at once, as `estate.demo.bulk_load` does (the documented bulk
exception to the one write path): the same permission check and model validation as
`services.create`, rows saved with `bulk_create` inside `context.writing()`, and the same
audit entry per record that `services.create` would have written.

The importer sends here only new rows that passed every check; anything unusual (a row that
matches a record, a possible duplicate) goes through `services` one row at a time.
"""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models

from townhall.audit.models import AuditEntry
from townhall.core import context, services
from townhall.core.models import TrackedModel
from townhall.imports import keys
from townhall.imports.kinds import Kind


@dataclass
class Queued:
    """A validated new record waiting for its batch."""

    number: int
    record: dict[str, Any]
    data: dict[str, Any]
    obj: models.Model
    entry: keys.Entry
    m2m: dict[str, list[Any]] = field(default_factory=dict)
    snap: dict[str, Any] = field(default_factory=dict)


def eligible(kind: Kind) -> bool:
    """Kinds whose key the index answers and whose model saves nothing extra in save()."""
    return kind.key in keys.INDEXED and kind.model.save is TrackedModel.save


def build(model: type[models.Model], data: dict[str, Any]) -> tuple[models.Model, dict]:
    """A new unsaved record from the row's values, and its many-to-many values apart."""
    plain, m2m = services._split(model, data)
    obj = model()
    services._apply(obj, plain)
    return obj, m2m


def validate(obj: models.Model) -> None:
    """`full_clean` less its per-row queries: references were just looked up among records
    the person may see, and uniqueness is checked against `Unique` instead."""
    looked_up = [
        f.name
        for f in obj._meta.concrete_fields
        if f.many_to_one and getattr(obj, f.attname) is not None
    ]
    errors: dict[str, Any] = {}
    for check in (lambda: obj.clean_fields(exclude=looked_up), obj.clean):
        try:
            check()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def plain_snapshot(obj: models.Model) -> dict[str, Any]:
    """services.snapshot of the concrete fields alone (no query for many-to-many values)."""
    pk = obj.pk
    obj.pk = None
    try:
        return services.snapshot(obj)
    finally:
        obj.pk = pk


class Unique:
    """Every value set a unique field or constraint of the model already holds, so a new row
    that might clash is sent through `services.create` and reported in its words."""

    def __init__(self, model: type[models.Model]) -> None:
        self.sets: dict[tuple[str, ...], set[tuple]] = {}
        for names in _unique_fields(model):
            rows = model._default_manager.values_list(*names)
            self.sets[names] = set(rows.iterator(chunk_size=5000))

    def clashes(self, obj: models.Model) -> bool:
        return any(
            None not in values and values in seen
            for names, seen in self.sets.items()
            for values in [tuple(getattr(obj, n) for n in names)]
        )

    def add(self, obj: models.Model) -> None:
        for names, seen in self.sets.items():
            seen.add(tuple(getattr(obj, n) for n in names))


def _unique_fields(model: type[models.Model]) -> list[tuple[str, ...]]:
    meta = model._meta
    found = [(f.attname,) for f in meta.concrete_fields if f.unique and not f.primary_key]
    groups = [c.fields for c in meta.total_unique_constraints if c.fields]
    groups += [tuple(g) for g in meta.unique_together]
    found += [tuple(meta.get_field(n).attname for n in g) for g in groups]
    return found


def save(user: Any, model: type[models.Model], rows: list[Queued]) -> None:
    """Insert the batch, its many-to-many links and one audit entry per record."""
    with context.writing():
        model._default_manager.bulk_create([row.obj for row in rows])
        _link(model, rows)
        AuditEntry.objects.bulk_create([_entry(user, model, row) for row in rows])


def _link(model: type[models.Model], rows: list[Queued]) -> None:
    for f in model._meta.many_to_many:
        through = f.remote_field.through
        src, dst = f.m2m_field_name(), f.m2m_reverse_field_name()
        links = [
            through(**{f"{src}_id": row.obj.pk, f"{dst}_id": target.pk})
            for row in rows
            for target in row.m2m.get(f.name, [])
        ]
        if links:
            through._default_manager.bulk_create(links)


def _entry(user: Any, model: type[models.Model], row: Queued) -> AuditEntry:
    """What services._record writes for a create: the snapshot as it reads after saving."""
    actor = context.current()
    after = dict(row.snap)
    after["id"] = row.obj.pk
    for f in model._meta.many_to_many:
        linked = sorted(row.m2m.get(f.name, []), key=lambda o: o.pk)
        after[f.name] = [str(o) for o in linked]
    return AuditEntry(
        actor=user if getattr(user, "pk", None) else None,
        actor_name=getattr(user, "username", "") or "system",
        request_id=actor.request_id,
        via=actor.via,
        action=AuditEntry.Action.CREATE,
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
        object_id=str(row.obj.pk),
        object_repr=str(row.obj)[:300],
        object_version=getattr(row.obj, "version", None),
        before=None,
        after=after,
    )
