"""Declarative list columns: what a list page and its exports show for each record."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst


@dataclass(frozen=True)
class Column:
    name: str  # a field name, or a method/property on the model
    label: str = ""
    sortable: bool = True
    link: bool = False  # link to the record's detail page

    def value(self, obj: models.Model) -> Any:
        """The raw value, for exports."""
        field = model_field(type(obj), self.name)
        if field is not None and field.many_to_many:
            return ", ".join(str(o) for o in getattr(obj, self.name).all())
        if field is not None and getattr(field, "choices", None):
            return getattr(obj, f"get_{self.name}_display")()
        value = getattr(obj, self.name, None)
        if callable(value):
            value = value()
        if isinstance(value, models.Model):
            return str(value)
        if isinstance(value, models.fields.files.FieldFile):
            return value.name or ""
        return value

    def display(self, obj: models.Model) -> str:
        """The value as a person reads it on a page."""
        value = self.value(obj)
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, datetime.datetime):
            return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
        if isinstance(value, datetime.date):
            return formats.date_format(value, "SHORT_DATE_FORMAT")
        return str(value)

    def related_url(self, obj: models.Model) -> str | None:
        value = getattr(obj, self.name, None)
        if isinstance(value, models.Model) and hasattr(value, "get_absolute_url"):
            return value.get_absolute_url()
        return None


def model_field(model: type[models.Model], name: str) -> Any:
    """The model field called `name`, or None for a property or method."""
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


class Table:
    """A list page's columns. Subclass with `columns = [...]` in an app's tables.py."""

    model: type[models.Model]
    columns: Sequence[Column] = ()
    default_sort: str = ""
    # Relations that computed columns read, joined in the same query.
    also_select: Sequence[str] = ()
    # Links read in a query of their own per link rather than joined: a table joining
    # seven others cost PostgreSQL 20-40 ms to plan for a 1 ms query.
    also_prefetch: Sequence[str] = ()

    def __init__(self) -> None:
        for column in self.columns:
            if not column.label:
                object.__setattr__(column, "label", self.label_for(column.name))

    def label_for(self, name: str) -> str:
        field = model_field(self.model, name)
        label = field.verbose_name if field is not None else name.replace("_", " ")
        return capfirst(str(label))

    def _fields(self) -> list[tuple[Column, Any]]:
        pairs = [(c, model_field(self.model, c.name)) for c in self.columns]
        return [(c, f) for c, f in pairs if f is not None]

    def sort_fields(self) -> set[str]:
        return {c.name for c, f in self._fields() if c.sortable and not f.many_to_many}

    def select_related(self) -> list[str]:
        joined = [c.name for c, f in self._fields() if f.many_to_one or f.one_to_one]
        return [*joined, *self.also_select]

    def prefetch_related(self) -> list[str]:
        return [*(c.name for c, f in self._fields() if f.many_to_many), *self.also_prefetch]
