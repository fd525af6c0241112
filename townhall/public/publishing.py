"""The one way the public site reads records: only kinds an administrator published, only
records a kind allows, and only the fields published, read from the database with
`values()` so that an unpublished field is never even loaded. Every public page, feed,
download and search goes through here; `tests/test_leaks.py` holds it to that."""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import CharField, Q, QuerySet, TextField
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from townhall.public import kinds
from townhall.public.kinds import PublicField, PublicKind
from townhall.public.models import Publication

# Records per page of a public list.
PER_PAGE = 50


@dataclass(frozen=True)
class PublicTable:
    """Rows worked out from other records (a cycle's criteria, a project's updates), shown
    as a table; `note` says in plain words how to read it."""

    headers: tuple[Any, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


@dataclass(frozen=True)
class PublicValue:
    field: PublicField
    text: str  # the words shown, "" when the record has none
    table: PublicTable | None = None


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
    if field.reader:
        return False
    model_field = _model_field(kind, field.path)
    return isinstance(model_field, CharField | TextField) and not model_field.choices


def _text(value: Any, choices: dict[Any, Any] | None) -> str:
    if value is None or value == "":
        return ""
    if choices is not None and value in choices:
        # Other modules' words for their choices are English; their translations are
        # collected from choice_words.py.
        return gettext(str(choices[value]))
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, Decimal):
        return number_format(value, decimal_pos=2, force_grouping=True)
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return str(value)


def _records(pub: Published, rows: Sequence[dict[str, Any]]) -> list[PublicRecord]:
    kind = pub.kind
    choices = {f.name: _choices(kind, f) for f in pub.fields if not f.reader}
    pks = [row["pk"] for row in rows]
    # A worked-out field is read once for the whole page: one or two queries, not one a row.
    read = {f.name: READERS[f.reader](f, pks) for f in pub.fields if f.reader and pks}
    return [
        PublicRecord(
            kind=kind,
            pk=row["pk"],
            title=_text(row[kind.title.path], None),
            updated=row["updated_at"],
            values=tuple(
                read[f.name].get(row["pk"], PublicValue(f, ""))
                if f.reader
                else PublicValue(f, _text(row[f.path], choices[f.name]))
                for f in pub.fields
            ),
        )
        for row in rows
    ]


def _paths(pub: Published) -> list[str]:
    return [
        "pk",
        "updated_at",
        pub.kind.title.path,
        *(f.path for f in pub.fields if not f.reader),
    ]


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


# --- The registers: stored values, for the data catalog's files ---
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


# --- The technology investment portfolio ---
# The technology investment portfolio: values worked out from other rows, each read for a
# page of records at once, and a budget year's decided requests for its page.

# A request the board funded; decided, it was funded or not.
FUNDED = ("approved", "in_progress", "complete")
DECIDED = (*FUNDED, "deferred", "rejected")
# Decided requests shown on one budget year's page; the investments list has every one.
MOST_DECIDED = 300

Reader = Callable[[PublicField, Sequence[int]], dict[int, PublicValue]]


def _money(amount: Decimal) -> str:
    return "$" + number_format(amount.quantize(Decimal(1)), decimal_pos=0, force_grouping=True)


def _one_time(capital: Any, operating: Any) -> Decimal:
    """A request's one-time cost: its capital and operating costs over its project years."""
    total = Decimal(0)
    for amounts in (capital, operating):
        for amount in amounts if isinstance(amounts, list) else []:
            try:
                total += Decimal(str(amount or 0))
            except ArithmeticError:
                continue
    return total


def _requests_of(pks: Sequence[int], funded_only: bool) -> dict[int, tuple[int, Decimal]]:
    """Per budget year: how many requests (past draft) and their one-time cost, in one query."""
    qs = eligible(kinds.get("proposal")).filter(cycle_id__in=pks)  # type: ignore[arg-type]
    if funded_only:
        qs = qs.filter(status__in=FUNDED)
    sums: dict[int, tuple[int, Decimal]] = {}
    for cycle, capital, operating in qs.values_list("cycle_id", "capital_costs", "operating_costs"):
        count, total = sums.get(cycle, (0, Decimal(0)))
        sums[cycle] = (count + 1, total + _one_time(capital, operating))
    return sums


def _count_text(count: int, total: Decimal) -> str:
    return ngettext(
        "%(count)s request, %(total)s in one-time costs",
        "%(count)s requests, %(total)s in one-time costs",
        count,
    ) % {"count": count, "total": _money(total)}


def _requests(field: PublicField, pks: Sequence[int]) -> dict[int, PublicValue]:
    sums = _requests_of(pks, funded_only=False)
    return {pk: PublicValue(field, _count_text(*sums.get(pk, (0, Decimal(0))))) for pk in pks}


def _funded(field: PublicField, pks: Sequence[int]) -> dict[int, PublicValue]:
    sums = _requests_of(pks, funded_only=True)
    return {pk: PublicValue(field, _count_text(*sums.get(pk, (0, Decimal(0))))) for pk in pks}


def _criteria(field: PublicField, pks: Sequence[int]) -> dict[int, PublicValue]:
    """Each budget year's criteria with their weights as shares of the whole (two queries)."""
    cycles = apps.get_model("governance.BudgetCycle")._default_manager.filter(pk__in=pks)
    sets = {
        pk: (criteria_set, low, high)
        for pk, criteria_set, low, high in cycles.values_list(
            "pk", "criteria_set_id", "criteria_set__scale_min", "criteria_set__scale_max"
        )
    }
    by_set: dict[int, list[tuple[str, Decimal, str]]] = {}
    criteria = apps.get_model("governance.Criterion")._default_manager.filter(
        criteria_set_id__in={s for s, _low, _high in sets.values()}
    )
    for criteria_set, name, weight, description in criteria.order_by(
        "criteria_set", "order", "pk"
    ).values_list("criteria_set_id", "name", "weight", "description"):
        by_set.setdefault(criteria_set, []).append((name, weight, description))
    found = {}
    for pk, (criteria_set, low, high) in sets.items():
        listed = by_set.get(criteria_set, [])
        whole = sum((w for _n, w, _d in listed), Decimal(0)) or Decimal(1)
        rows = tuple(
            (name, f"{round(weight * 100 / whole)}%", description)
            for name, weight, description in listed
        )
        note = gettext(
            "Board members give each request a score from %(low)s (lowest) to %(high)s "
            "(highest) on every criterion in the table. The weight is how much a criterion "
            "counts: a criterion weighted 30%% makes up 30%% of the total score."
        ) % {"low": low, "high": high}
        found[pk] = PublicValue(
            field,
            "; ".join(f"{name} {share}" for name, share, _d in rows),
            PublicTable(
                (gettext("Criterion"), gettext("Weight"), gettext("What it means")), rows, note
            ),
        )
    return found


def _votes(field: PublicField, pks: Sequence[int]) -> dict[int, PublicValue]:
    rows = apps.get_model("governance.Proposal")._default_manager.filter(pk__in=pks)
    found = {}
    for pk, yes, no, abstaining in rows.values_list(
        "pk", "votes_for", "votes_against", "votes_abstaining"
    ):
        if yes is None and no is None and abstaining is None:
            continue
        text = gettext("%(yes)s for, %(no)s against, %(abstaining)s abstaining") % {
            "yes": yes or 0,
            "no": no or 0,
            "abstaining": abstaining or 0,
        }
        found[pk] = PublicValue(field, text)
    return found


def _updates(field: PublicField, pks: Sequence[int]) -> dict[int, PublicValue]:
    """The updates staff wrote for residents about each funded project, newest first."""
    updates = apps.get_model("governance.ProjectUpdate")._default_manager.filter(
        proposal_id__in=pks, proposal__status__in=FUNDED
    )
    by_proposal: dict[int, list[tuple[str, str]]] = {}
    for proposal, day, text in updates.order_by("proposal_id", "-day", "-pk").values_list(
        "proposal_id", "day", "text"
    ):
        by_proposal.setdefault(proposal, []).append((_text(day, None), text))
    headers = (gettext("Date"), gettext("What happened"))
    return {
        pk: PublicValue(
            field,
            "\n".join(f"{text} ({day})" for day, text in rows),
            PublicTable(headers, tuple(rows)),
        )
        for pk, rows in by_proposal.items()
    }


READERS: dict[str, Reader] = {
    "requests": _requests,
    "funded": _funded,
    "criteria": _criteria,
    "votes": _votes,
    "updates": _updates,
}


@dataclass(frozen=True)
class CycleDecisions:
    """A budget year's decided requests, as the investments kind publishes them: shown only
    when that kind and its "budget year" and "status" fields are published (else which
    requests belong to the year, or which were funded, would show unpublished)."""

    pub: Published | None
    funded: list[PublicRecord]
    not_funded: list[PublicRecord]


def cycle_decisions(cycle_pk: int) -> CycleDecisions:
    """The requests the board decided in a budget year, funded first (four queries however
    many there are)."""
    proposals = kinds.get("proposal")
    pub = published_kind(proposals.slug) if proposals else None
    if pub is None or not {"cycle", "status"} <= {f.name for f in pub.fields}:
        return CycleDecisions(None, [], [])
    rows = list(
        eligible(pub.kind)
        .filter(cycle_id=cycle_pk, status__in=DECIDED)
        .order_by(pub.kind.title.path, "pk")
        .values(*_paths(pub))[:MOST_DECIDED]
    )
    funded = {row["pk"] for row in rows if row["status"] in FUNDED}
    records = _records(pub, rows)
    return CycleDecisions(
        pub,
        [r for r in records if r.pk in funded],
        [r for r in records if r.pk not in funded],
    )
