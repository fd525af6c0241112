"""Declarative list columns: what a list page and its exports show for each record."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import formats, timezone


@dataclass(frozen=True)
class Column:
    name: str  # a field name, or a method/property on the model
    label: str = ""
    sortable: bool = True
    link: bool = False  # link to the record's detail page

    def value(self, obj: models.Model) -> Any:
        """The raw value, for exports."""
        try:
            field = obj._meta.get_field(self.name)
        except Exception:  # noqa: BLE001 - a property or method, not a field
            field = None
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


class Table:
    """A list page's columns. Subclass with `columns = [...]` in an app's tables.py."""

    model: type[models.Model]
    columns: Sequence[Column] = ()
    default_sort: str = ""

    def __init__(self) -> None:
        for column in self.columns:
            if not column.label:
                object.__setattr__(column, "label", self.label_for(column.name))

    def label_for(self, name: str) -> str:
        try:
            return str(self.model._meta.get_field(name).verbose_name).capitalize()
        except Exception:  # noqa: BLE001
            return name.replace("_", " ").capitalize()

    def sort_fields(self) -> set[str]:
        names = set()
        for column in self.columns:
            if not column.sortable:
                continue
            try:
                field = self.model._meta.get_field(column.name)
            except Exception:  # noqa: BLE001
                continue
            if not field.many_to_many:
                names.add(column.name)
        return names

    def select_related(self) -> list[str]:
        names = []
        for column in self.columns:
            try:
                field = self.model._meta.get_field(column.name)
            except Exception:  # noqa: BLE001
                continue
            if field.many_to_one or field.one_to_one:
                names.append(column.name)
        return names

    def prefetch_related(self) -> list[str]:
        names = []
        for column in self.columns:
            try:
                field = self.model._meta.get_field(column.name)
            except Exception:  # noqa: BLE001
                continue
            if field.many_to_many:
                names.append(column.name)
        return names
