"""Audit values as people read them: field labels, names instead of ids, choice labels."""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst

from townhall.audit.models import AuditEntry
from townhall.core.http import whole_number

HIDDEN = {"version", "id"}  # bookkeeping, not something a person changed


def _field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def names_for(entries: list[AuditEntry]) -> dict[type[models.Model], dict[str, str]]:
    """One query per referenced kind of record: id -> its name, for every id the entries hold."""
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        for name, before, after in entry.changes():
            field = _field(model, name)
            if field is not None and field.many_to_one:
                wanted[field.related_model].update(v for v in (before, after) if v is not None)
    names: dict[type[models.Model], dict[str, str]] = {}
    for model, ids in wanted.items():
        # Only names are wanted: large documents held in JSON (a recovery plan's content,
        # 11 MB on the large estate) are left in the database.
        bulky = [f.name for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
        numbers = [n for i in ids if (n := whole_number(i)) is not None]
        found = model._base_manager.defer(*bulky).in_bulk(numbers)
        names[model] = {str(pk): str(obj) for pk, obj in found.items()}
    return names


def readable(model: type[models.Model] | None, name: str, value: Any, names: dict) -> Any:
    field = _field(model, name)
    if value is None or field is None:
        return value
    if field.many_to_one:
        return names.get(field.related_model, {}).get(str(value), f"#{value} (deleted)")
    if getattr(field, "choices", None):
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


def label(model: type[models.Model] | None, name: str) -> str:
    field = _field(model, name)
    return capfirst(str(field.verbose_name)) if field is not None else name


def describe(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """Give each entry `.rows`: (label, before, after) for each field a person changed."""
    entries = list(entries)
    names = names_for(entries)
    for entry in entries:
        model = entry.content_type.model_class()
        entry.rows = [
            (label(model, n), readable(model, n, b, names), readable(model, n, a, names))
            for n, b, a in entry.changes()
            if n not in HIDDEN
        ]
    return entries
