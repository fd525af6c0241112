"""The one way the public site reads records: only kinds an administrator published, only
records a kind allows, and only the fields published, read from the database with
`values()` so that an unpublished field is never even loaded. Every public page, feed,
download and search goes through here; `tests/test_leaks.py` holds it to that."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import CharField, Q, QuerySet, TextField
from django.utils.formats import number_format

from townhall.public import kinds
from townhall.public.kinds import PublicField, PublicKind
from townhall.public.models import Publication

# Records per page of a public list.
PER_PAGE = 50


@dataclass(frozen=True)
class PublicValue:
    field: PublicField
    text: str  # the words shown, "" when the record has none


@dataclass(frozen=True)
class PublicRecord:
    kind: PublicKind
    pk: int
    title: str
    updated: datetime
    values: tuple[PublicValue, ...]


@dataclass(frozen=True)
class Published:
    """A published kind and the fields of it that are published."""

    kind: PublicKind
    fields: tuple[PublicField, ...]

    @property
    def short_fields(self) -> tuple[PublicField, ...]:
        """The fields a list page shows: all but long text."""
        return tuple(f for f in self.fields if not f.long)


def published() -> list[Published]:
    """Every published kind, in the site's order (one query)."""
    chosen = dict(Publication.objects.filter(published=True).values_list("kind", "fields"))
    return [
        Published(kind, tuple(f for f in kind.fields if f.name in set(chosen[kind.key])))
        for kind in kinds.all_kinds()
        if kind.key in chosen
    ]


def published_kind(slug: str) -> Published | None:
    """The published kind at a public address, or None (the page is then not found)."""
    kind = kinds.by_slug(slug)
    if kind is None:
        return None
    fields = (
        Publication.objects.filter(kind=kind.key, published=True)
        .values_list("fields", flat=True)
        .first()
    )
    if fields is None:
        return None
    return Published(kind, tuple(f for f in kind.fields if f.name in set(fields)))


def _model(kind: PublicKind) -> Any:
    return apps.get_model(kind.model)


def eligible(kind: PublicKind) -> QuerySet:
    """The records of a kind that may be public at all."""
    return kind.eligible(_model(kind)._default_manager.all())


def _model_field(kind: PublicKind, path: str) -> Any:
    """The model field at the end of a lookup path (`owner_department__name`)."""
    model = _model(kind)
    field: Any = None
    for part in path.split("__"):
        if field is not None:
            model = field.related_model
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
    return field


def _choices(kind: PublicKind, field: PublicField) -> dict[Any, Any] | None:
    if field.choices is not None:
        return dict(field.choices)
    model_field = _model_field(kind, field.path)
    return (
        dict(model_field.flatchoices) if model_field is not None and model_field.choices else None
    )


def _is_text(kind: PublicKind, field: PublicField) -> bool:
    model_field = _model_field(kind, field.path)
    return isinstance(model_field, CharField | TextField) and not model_field.choices


def _text(value: Any, choices: dict[Any, Any] | None) -> str:
    if value is None or value == "":
        return ""
    if choices is not None and value in choices:
        return str(choices[value])
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):
        return number_format(value, decimal_pos=2, force_grouping=True)
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return str(value)


def _records(pub: Published, rows: Sequence[dict[str, Any]]) -> list[PublicRecord]:
    kind = pub.kind
    choices = {f.name: _choices(kind, f) for f in pub.fields}
    return [
        PublicRecord(
            kind=kind,
            pk=row["pk"],
            title=_text(row[kind.title.path], None),
            updated=row["updated_at"],
            values=tuple(PublicValue(f, _text(row[f.path], choices[f.name])) for f in pub.fields),
        )
        for row in rows
    ]


def _paths(pub: Published) -> list[str]:
    return ["pk", "updated_at", pub.kind.title.path, *(f.path for f in pub.fields)]


def page(pub: Published, number: int, per_page: int = PER_PAGE) -> tuple[list[PublicRecord], int]:
    """One page of a kind's records, by name, and how many there are in all."""
    qs = eligible(pub.kind)
    total = qs.count()
    start = max(number - 1, 0) * per_page
    rows = qs.order_by(pub.kind.title.path, "pk").values(*_paths(pub))[start : start + per_page]
    return _records(pub, list(rows)), total


def record(pub: Published, pk: int) -> PublicRecord | None:
    rows = list(eligible(pub.kind).filter(pk=pk).values(*_paths(pub)))
    return _records(pub, rows)[0] if rows else None


def latest(pub: Published, count: int = 50) -> list[PublicRecord]:
    """The records changed most recently, for a kind's feed."""
    rows = eligible(pub.kind).order_by("-updated_at", "-pk").values(*_paths(pub))[:count]
    return _records(pub, list(rows))


def every(pub: Published, chunk: int = 2000) -> Iterator[PublicRecord]:
    """All of a kind's records in chunks of `chunk`, for a download of any size."""
    qs = eligible(pub.kind).order_by("pk")
    last = 0
    while True:
        rows = list(qs.filter(pk__gt=last).values(*_paths(pub))[:chunk])
        if not rows:
            return
        yield from _records(pub, rows)
        last = rows[-1]["pk"]


def search(text: str, per_kind: int = 20) -> list[PublicRecord]:
    """Published records whose name or published short text contains `text`; a field not
    published is never searched, so a match can reveal nothing unpublished."""
    text = text.strip()
    if not text:
        return []
    found: list[PublicRecord] = []
    for pub in published():
        searched = [pub.kind.title, *(f for f in pub.fields if _is_text(pub.kind, f))]
        condition = Q()
        for field in searched:
            condition |= Q(**{f"{field.path}__icontains": text})
        rows = eligible(pub.kind).filter(condition).order_by(pub.kind.title.path, "pk")
        found += _records(pub, list(rows.values(*_paths(pub))[:per_kind]))
    return found


# --- pub-registers ---
def stored_rows(pub: Published) -> list[dict[str, Any]]:
    """Every public record of a kind with its published fields' stored values (a
    frequency's `R/P1D`, not its words), keyed by field name, with `title` and `updated`:
    for documents with their own vocabulary, such as the data catalog. Only published
    fields are read, as everywhere here."""
    kind = pub.kind
    rows = eligible(kind).order_by(kind.title.path, "pk").values(*_paths(pub))
    return [
        {
            "pk": row["pk"],
            "updated": row["updated_at"],
            "title": row[kind.title.path],
            **{f.name: row[f.path] for f in pub.fields},
        }
        for row in rows
    ]
