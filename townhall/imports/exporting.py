"""Every record of a kind in the importer's own columns, so the file imports back unchanged."""

import datetime
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Protocol, cast

from django.db import models

from townhall.core import exports, permissions
from townhall.core.models import field_named
from townhall.imports import refs
from townhall.imports.kinds import Kind


class Link(Protocol):
    """A record with "from" and "to" columns: a dependency, whose module registers it (the
    importer names no module)."""

    @property
    def source(self) -> models.Model | None: ...

    @property
    def target(self) -> models.Model | None: ...


def cell(obj: models.Model, kind: Kind, name: str) -> Any:
    """One field as the importer reads it back: names for references, labels for choices."""
    if name == "from":
        return exports.safe_cell(refs.end_label(cast(Link, obj).source))
    if name == "to":
        return exports.safe_cell(refs.end_label(cast(Link, obj).target))
    if kind.grid is not None and name in kind.grid.cells:
        rating = kind.grid.cell(getattr(obj, kind.grid.field), name)
        return "" if rating is None else str(rating)
    field = field_named(kind.model, name)
    value = getattr(obj, name)
    if field.many_to_many:
        return exports.safe_cell("; ".join(refs.label(o) for o in value.all()))
    if field.choices:
        return exports.safe_cell(str(getattr(obj, f"get_{name}_display")()) if value else "")
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return exports.safe_cell(refs.label(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, dict | list):  # a JSON field, as the importer reads it back
        return exports.safe_cell(json.dumps(value, ensure_ascii=False))
    return exports.safe_cell(str(value))


def queryset(kind: Kind, user: Any) -> models.QuerySet:
    """The records of `kind` the person may see, with their references joined: of a kind
    with `fixed` values, only those having them."""
    qs = permissions.restrict(kind.model._default_manager.all(), user, "view")
    if kind.fixed:  # only the records the kind reads (payables, not card lines)
        qs = qs.filter(**kind.fixed)
    references = [
        f
        for f in kind.model._meta.fields
        if (f.many_to_one or f.one_to_one) and (f.name in kind.fields or kind.links)
    ]
    joined = [f.name for f in references]
    # A reference is written with its department ("Payroll [FIN]"): join that too.
    joined += [
        f"{f.name}__owner_department"
        for f in references
        if isinstance(f.related_model, type)
        and any(g.name == "owner_department" for g in f.related_model._meta.fields)
    ]
    m2m = [n for n in kind.fields if (f := kind.field(n)) is not None and f.many_to_many]
    return qs.select_related(*joined).prefetch_related(*m2m).order_by("pk")


def rows(kind: Kind, user: Any) -> Iterator[list[Any]]:
    for obj in queryset(kind, user).iterator(chunk_size=2000):
        yield [cell(obj, kind, name) for name in kind.fields]


def csv_lines(kind: Kind, user: Any | None) -> Iterator[str]:
    """The CSV text; with no user, just the heading line (the template)."""
    header = list(kind.headings().values())
    return exports.csv_lines(header, rows(kind, user) if user is not None else iter(()))
