"""Pages of long lists that cost the same on page 1, page 2,000 and the last page.

Django's paginator asks for `SELECT <every column, joined> … OFFSET n LIMIT 25`: the
database builds and joins every row it skips, so page 2,000 of the components (and the
last page) took 240 to 440 ms on PostgreSQL. Here the page's ids are found first, in the
list's order, reading only the order's index (from whichever end of it is nearer), then
only those rows are read with their joins.
"""

import base64
import datetime
import decimal
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Page
from django.core.paginator import Paginator as DjangoPaginator
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property


class Paginator(DjangoPaginator):
    """A paginator for ordered querysets that reads the page's ids first (see above).

    With `count_limit`, it counts no further than that (the audit log of a county holds
    millions of entries, which cost seconds to count on every page): `capped` then says
    there are more, and the pages beyond are reached by narrowing the list."""

    def __init__(self, *args: Any, count_limit: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.count_limit = count_limit
        self.capped = False

    @cached_property
    def count(self) -> int:
        qs = self.object_list
        if self.count_limit is None or not isinstance(qs, models.QuerySet):
            return super().count
        found = qs.order_by()[: self.count_limit + 1].count()
        self.capped = found > self.count_limit
        return min(found, self.count_limit)

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        qs = self.object_list
        if not isinstance(qs, models.QuerySet) or not qs.ordered:
            return super().page(number)
        count = None if self.capped else self.count  # where the end is, if known
        return Page(page_rows(qs, bottom, top, count), number, self)


def page_rows(qs: models.QuerySet, bottom: int, top: int, count: int | None) -> list[Any]:
    """Rows `bottom` to `top` of the ordered `qs` (`count` rows in all, None when not
    known), ids first."""
    if top <= bottom:
        return []
    if count is not None and bottom > count - top:  # nearer the end: read backwards
        ids = list(qs.reverse().values_list("pk", flat=True)[count - top : count - bottom])
        ids.reverse()
    else:
        ids = list(qs.values_list("pk", flat=True)[bottom:top])
    rows = qs.order_by().in_bulk(ids) if ids else {}
    return [rows[pk] for pk in ids if pk in rows]


# --- keyset paging ---------------------------------------------------------------------
#
# Long lists read in order (the API's lists, the audit log) are paged by key instead: a
# page starts after the last row of the one before (`WHERE (at, id) < (…) ORDER BY at DESC,
# id DESC LIMIT 51`), so the database starts reading where the page starts, through the
# order's index, however deep it is, and a row added meanwhile shifts nothing. The cursor
# in the address holds that row's values of the order and the direction of the walk.


class BadCursor(ValueError):
    """A cursor that is not one a page gave (edited, cut, or for another order)."""


Order = list[tuple[str, bool]]  # (field's attribute name, descending), the last one unique


def key_order(qs: models.QuerySet) -> Order | None:
    """The queryset's order, when it can be paged by key: plain fields of the model that
    hold no NULL, ending with the primary key. None when it cannot (the caller pages by
    number instead)."""
    if qs.query.order_by:
        terms = list(qs.query.order_by)
    elif qs.query.default_ordering:
        terms = list(qs.model._meta.ordering)
    else:
        return None
    pk = qs.model._meta.pk
    order: Order = []
    for term in terms:
        if not isinstance(term, str) or "__" in term or term.lstrip("-") in ("?", ""):
            return None
        name = term.lstrip("-")
        try:
            field = pk if name == "pk" else qs.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if not getattr(field, "concrete", False) or field.null or field.is_relation:
            return None
        order.append((field.attname, term.startswith("-")))
        if field is pk:
            return order  # unique: whatever follows cannot change the order
    return None


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def encode_cursor(key: Sequence[Any], backwards: bool) -> str:
    text = json.dumps({"k": [_to_json(v) for v in key], "b": int(backwards)})
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, model: type[models.Model], order: Order) -> tuple[list[Any], bool]:
    """The key and direction a cursor holds, as values of the order's fields."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        values, backwards = data["k"], data["b"]
        if not isinstance(values, list) or len(values) != len(order) or backwards not in (0, 1):
            raise BadCursor(cursor)
        fields = {f.attname: f for f in model._meta.concrete_fields}
        pairs = zip(order, values, strict=True)
        key = [fields[name].to_python(value) for (name, _), value in pairs]
    except BadCursor:
        raise
    except (ValueError, TypeError, KeyError, ValidationError) as exc:
        raise BadCursor(cursor) from exc
    if any(value is None for value in key):
        raise BadCursor(cursor)
    return key, bool(backwards)


def _beyond(order: Order, key: Sequence[Any], backwards: bool) -> Q:
    """The rows after `key` in the order (before it when walking backwards).

    `(a, b) > (x, y)` is written `a >= x AND (a > x OR (a = x AND b > y))`: the first term
    bounds the scan of the order's index, which the OR alone would not on PostgreSQL."""
    beyond = Q()
    same: dict[str, Any] = {}
    for (name, descending), value in zip(order, key, strict=True):
        lookup = "lt" if descending != backwards else "gt"
        beyond |= Q(**same, **{f"{name}__{lookup}": value})
        same[name] = value
    first, descending = order[0]
    bound = "lte" if descending != backwards else "gte"
    return Q(**{f"{first}__{bound}": key[0]}) & beyond


@dataclass
class KeysetPage:
    rows: list[Any]
    next_cursor: str | None  # the rows after these, or None at the end
    previous_cursor: str | None  # the rows before these, or None on the first page

    @property
    def first(self) -> bool:
        return self.previous_cursor is None


def keyset_page(qs: models.QuerySet, size: int, cursor: str | None) -> KeysetPage:
    """The `size` rows of the ordered `qs` that follow (or, going back, precede) the row
    `cursor` names; the first rows without one. Raises `BadCursor` for a cursor no page
    gave, ValueError for an order `key_order` cannot page."""
    order = key_order(qs)
    if order is None:
        raise ValueError("This order cannot be paged by key.")
    key, backwards = decode_cursor(cursor, qs.model, order) if cursor else (None, False)
    walk = qs.reverse() if backwards else qs
    if key is not None:
        walk = walk.filter(_beyond(order, key, backwards))
    rows = list(walk[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        if not more:  # back at the start: the first page, full
            return keyset_page(qs, size, None)
        rows.reverse()

    def key_of(row: Any) -> list[Any]:
        return [getattr(row, name) for name, _ in order]

    after = more if not backwards else True
    before = key is not None if not backwards else True
    return KeysetPage(
        rows,
        encode_cursor(key_of(rows[-1]), False) if after and rows else None,
        encode_cursor(key_of(rows[0]), True) if before and rows else None,
    )
