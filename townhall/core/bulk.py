"""The machinery behind `services.create_many`: new records of one model built, validated
and saved in batches, with their many-to-many links and one audit entry per record, the same
entry `services.create` writes. This module opens no write-path context of its own: only
`services` calls the writer, from inside the context it has opened.

For volume, a batch is written with a few prepared statements rather than through the ORM's
`bulk_create`. On SQLite: the new ids are counted on from the last one the table handed out
(AUTOINCREMENT's count included, so no id is given twice) and one short INSERT is run for
every row with sqlite3's executemany: with DEBUG on, Django quotes every value of a
multi-row INSERT of thousands of parameters for its log, which cost more than the insert.
On PostgreSQL: the new ids are reserved from the table's sequence in one query and the rows
are sent with COPY, the database's own bulk path (psycopg parses no large statement). Values
are converted for the database by each field's own `get_db_prep_save` (remembered for values
that repeat), except where it would hand them back unchanged: text, yes/no and, on SQLite,
whole numbers.

What runs for every row (a record's field checks, its database values, its snapshot for
history) is written out once per model as a small function of its fields, rather than a loop
over them: the loop's own bookkeeping cost as much as the checks.
"""

import datetime
import enum
import functools
import json
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core import validators
from django.core.exceptions import ValidationError
from django.db import connections, models, router
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import signals
from django.db.models.base import ModelState
from django.db.models.query_utils import DeferredAttribute
from django.utils import timezone

from townhall.audit.models import AuditEntry
from townhall.core import context, services
from townhall.core.models import TrackedModel, field_named, guard


@dataclass
class New:
    """A validated new record waiting for its batch, and its many-to-many values."""

    obj: models.Model
    m2m: dict[str, list[Any]] = field(default_factory=dict)


def eligible(model: type[models.Model]) -> bool:
    """Models whose save() adds nothing to TrackedModel's and whose rows the database can
    insert in batches and hand back their ids; the others are saved one by one."""
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    return (
        issubclass(model, TrackedModel)
        and model.save is TrackedModel.save
        and meta.auto_field is not None
        and meta.pk is meta.auto_field
        and connection.features.can_return_rows_from_bulk_insert
        and all(f.db_default is models.NOT_PROVIDED for f in meta.concrete_fields)
        and not any(getattr(f, "generated", False) for f in meta.concrete_fields)
    )


IMMUTABLE = (str, int, float, Decimal, datetime.date, datetime.time, datetime.timedelta, type(None))


class Maker:
    """New unsaved records of one model, built as `services.create` builds them (`model()`,
    then the row's values applied) and validated as its `full_clean` validates them.

    When no field's default is computed or mutable and nothing listens for the model's init
    signals, a record starts as a copy of one blank record instead of running
    `Model.__init__` (whose per-field defaults dominate the cost of a row); the values are
    the same."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        meta = model._meta
        self.m2m_names = {f.name for f in meta.many_to_many}
        self.system = set(getattr(model, "system_fields", ("id",)))
        self.blank: dict[str, Any] | None = None
        constant_defaults = all(
            not (f.has_default() and callable(f.default)) for f in meta.concrete_fields
        )
        listened = signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model)
        if constant_defaults and not listened:
            blank = {k: v for k, v in model().__dict__.items() if k != "_state"}
            if all(isinstance(v, IMMUTABLE) for v in blank.values()):  # safe to share
                self.blank = blank
        self.plain_setters = {  # fields `services._apply` sets with a plain setattr
            f.name: f.attname
            for f in meta.concrete_fields
            if type(f).descriptor_class is DeferredAttribute  # which sets __dict__ alone
            and f.name not in self.system
            and f.name != "password"
        }
        self.stored_as_named = frozenset(n for n, a in self.plain_setters.items() if n == a)
        # Model.clean_fields' fields, each with whether setattr only sets __dict__ and, for
        # a field whose check depends on the value alone, the values it has accepted.
        self.plan: list[Step] = [
            (
                f,
                f.attname,
                type(f).descriptor_class is DeferredAttribute,
                {} if _pure(f) else None,
                _text_limit(f),
                f.many_to_one or f.one_to_one,
                f.blank,
            )
            for f in meta.fields
            if not getattr(f, "generated", False)
        ]
        self.custom_clean = model.clean is not models.Model.clean
        self._accept = self._acceptor()

    def build(self, data: Mapping[str, Any]) -> tuple[models.Model, dict[str, list[Any]]]:
        """A new unsaved record from the row's values, and its many-to-many values apart."""
        if self.blank is None:
            obj = self.model()
        else:
            obj = self.model.__new__(self.model)
            obj.__dict__.update(self.blank)
            obj._state = ModelState()
        m2m: dict[str, Any] = {}
        rest: dict[str, Any] = {}
        setters, direct = self.plain_setters, obj.__dict__
        if not data.keys() - self.stored_as_named:
            direct.update(data)  # every value a plain field's, stored under its own name
            return obj, m2m
        for name, value in data.items():
            attname = setters.get(name)
            if attname is not None:
                direct[attname] = value  # what setattr does for a plain field
            elif name in self.m2m_names:
                m2m[name] = value
            else:
                rest[name] = value
        if rest:
            services._apply(obj, rest)
        return obj, m2m

    def validate(self, obj: models.Model) -> None:
        """`full_clean` less its per-row queries: references were just looked up among
        records the person may see, and uniqueness is checked against `Unique` instead.

        Field by field as `Model.clean_fields` does it, but a value a field has already
        accepted (a kind, a status, a date that many rows share) is not checked again: built-in
        fields check a value the same way whatever the record."""
        errors: dict[str, Any] = {}
        try:
            self.clean_fields(obj)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if self.custom_clean:
            try:
                obj.clean()
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _acceptor(self) -> Callable[..., None]:
        """`accept(obj, values, errors)`: Model.clean_fields for this model's fields, written
        out field by field with the common cases answered in line (a value clean_fields
        skips; a text `f.clean` hands back unchanged, see `_text_limit`; a value the field
        accepted before) and every other value given to `_check` as the loop did."""
        scope: dict[str, Any] = {
            "M": _MISSING,
            "mk": _memo_key,
            "check": self._check,
            "Decimal": Decimal,
        }
        lines = ["def accept(obj, values, errors):", "    get = values.get"]
        for i, (f, attname, direct, memo, limit, relation, blank) in enumerate(self.plan):
            if relation:  # looked up among the records the person may see
                fast = "raw is not M" if blank else "raw is not None and raw is not M"
            else:
                if limit:
                    length = "" if limit == float("inf") else f" and len(raw) <= {int(limit)}"
                    text = f'(raw{length} and "\\x00" not in raw)'
                    if blank:
                        text = f"not raw or {text}"
                    fast = f"type(raw) is str and ({text})"
                    fast = f"raw is None or ({fast})" if blank else fast
                elif blank:
                    fast = "raw is None or (type(raw) is str and not raw)"
                else:
                    fast = "False"
                digits = _decimal_digits(f)
                if digits is not None:  # an amount: its digits counted in line
                    scope[f"fits{i}"] = functools.partial(_fits, *digits)
                    fast = f"{fast} or (type(raw) is Decimal and fits{i}(raw))"
            lines += [f"    raw = get({attname!r}, M)", f"    if {fast}:", "        pass"]
            if memo is not None and direct:
                scope[f"memo{i}"] = memo
                lines += [
                    f"    elif (c := memo{i}.get(raw if type(raw) is str else mk(raw), M)) "
                    "is not M:",
                    f"        values[{attname!r}] = c",
                ]
            lines += ["    else:", f"        check({i}, obj, raw, errors)"]
        code = "\n".join(lines) + "\n"
        exec(compile(code, f"<clean_fields of {self.model._meta.label}>", "exec"), scope)  # noqa: S102
        return scope["accept"]

    def clean_fields(self, obj: models.Model) -> None:
        errors: dict[str, Any] = {}
        self._accept(obj, obj.__dict__, errors)
        if errors:
            raise ValidationError(errors)

    def _check(self, i: int, obj: models.Model, raw: Any, errors: dict[str, Any]) -> None:
        """One field's value as Model.clean_fields checks it, its clean value remembered
        when the field's check depends on the value alone."""
        f, attname, direct, memo, _limit, relation, blank = self.plan[i]
        values = obj.__dict__
        if raw is _MISSING:
            raw = getattr(obj, attname)  # a deferred field, or one set by a descriptor
        if (relation and raw is not None) or (blank and raw in f.empty_values):
            return  # what Model.clean_fields skips
        if memo is None:
            key = None
        elif type(raw) is str:
            key = raw  # the common case; other types are keyed by a tuple
        else:
            key = _memo_key(raw)
        if memo is not None and key is not None and key in memo:
            values[attname] = memo[key]
            return
        try:
            cleaned = f.clean(raw, obj)
        except ValidationError as exc:
            errors[f.name] = exc.error_list
            return
        if direct:
            values[attname] = cleaned
        else:
            setattr(obj, attname, cleaned)
        if memo is not None and key is not None:
            if len(memo) >= MEMO_SIZE:
                memo.clear()  # a column of all-different values: keep memory bounded
            memo[key] = cleaned


MEMO_SIZE = 5000  # values remembered per field


def _through(f: models.ManyToManyField) -> type[models.Model]:
    """The table of a many-to-many's links (Django makes one when none is named)."""
    through = f.remote_field.through
    if not isinstance(through, type):
        raise TypeError(f"{f} has no link table yet: the models are not loaded.")
    return through


# One field's part in clean_fields: the field, its attname, whether setattr only sets
# __dict__, the clean values it accepted (None: its check depends on more than the value),
# its text limit (`_text_limit`), whether it is a reference, and whether it may be blank.
Step = tuple[models.Field, str, bool, dict[Any, Any] | None, float, bool | None, bool]


def _pure(f: models.Field) -> bool:
    """Whether `f.clean(value, record)` depends on the value alone: Django's own fields
    (not relations, whose check looks the value up) with Django's own validators."""
    return (
        not f.is_relation
        and type(f).descriptor_class is DeferredAttribute
        and type(f).__module__.startswith("django.db.models.fields")
        and all(type(v).__module__ == "django.core.validators" for v in f.validators)
    )


def _text_limit(f: models.Field) -> float:
    """For Django's own CharField and TextField without choices and with no validators but
    their own, the longest text `f.clean` hands back unchanged (any text of at most that
    length, not empty, holding no NUL character); 0 for every other field, which
    `f.clean` checks. Names and asset tags differ on every row: this spares them the full
    check, which costs more than the rest of a row's fields together."""
    if type(f) not in (models.CharField, models.TextField) or f.choices is not None:
        return 0
    limit: float = f.max_length if f.max_length is not None else float("inf")
    for v in f.validators:
        if type(v) is validators.ProhibitNullCharactersValidator:
            continue
        if type(v) is validators.MaxLengthValidator and v.limit_value == f.max_length:
            continue
        return 0
    return limit


def _decimal_digits(f: models.Field) -> tuple[int, int] | None:
    """(max_digits, decimal_places) of Django's own DecimalField without choices and with no
    validator but its own DecimalValidator, whose check of a Decimal `_fits` repeats; None
    for every other field."""
    if type(f) is not models.DecimalField or f.choices is not None:
        return None
    if f.max_digits is None or f.decimal_places is None:
        return None
    checks = f.validators
    if len(checks) != 1 or type(checks[0]) is not validators.DecimalValidator:
        return None
    return f.max_digits, f.decimal_places


def _fits(max_digits: int, places: int, value: Decimal) -> bool:
    """Whether DecimalField.clean accepts `value` as it is: a finite amount within the
    field's digits, counted as DecimalValidator counts them (to_python hands it back equal)."""
    if not value.is_finite():
        return False
    _, digit_tuple, exponent = value.as_tuple()
    if not isinstance(exponent, int):  # pragma: no cover - finite amounts have one
        return False
    if exponent >= 0:
        digits = len(digit_tuple) + (exponent if digit_tuple != (0,) else 0)
        decimals = 0
    elif -exponent > len(digit_tuple):
        digits = decimals = -exponent
    else:
        digits, decimals = len(digit_tuple), -exponent
    return digits <= max_digits and decimals <= places and digits - decimals <= max_digits - places


def _memo_key(value: Any) -> Any:
    """A key under which equal values are also the same value; None for the others."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or kind is datetime.date:
        return (kind, value)
    if kind is Decimal:
        return (kind, str(value))  # 1.0 == 1.00, but not to a field with two decimals
    if kind is datetime.datetime:
        return (kind, value.isoformat())  # equal instants in two zones are two values
    if isinstance(value, enum.Enum) and isinstance(value, str | int):
        return (kind, value)  # a choice's member (a default such as Status.ACTIVE): one each
    return None


def plain_snapshot(obj: models.Model) -> dict[str, Any]:
    """services.snapshot of the concrete fields alone (no query for many-to-many values)."""
    pk = obj.pk
    obj.pk = None
    try:
        return services.snapshot(obj)
    finally:
        obj.pk = pk


JSON_AS_IS = frozenset([type(None), str, int, bool])


def _json(value: Any) -> Any:
    """services._jsonable, for the common types without a JSON round trip (the encoder
    writes dates as isoformat and decimals as str, so the result is the same)."""
    kind = type(value)
    if value is None or kind is str or kind is int or kind is bool:
        return value
    if kind is datetime.date:
        return value.isoformat()
    if kind is Decimal:
        return str(value)
    return services._jsonable(value)


class Snapshots:
    """services.snapshot of a record's concrete fields (for a new record: all of it but the
    many-to-many values, which it has none of yet), reading each value as `value_from_object`
    does, without its per-field look-ups."""

    def __init__(self, model: type[models.Model]) -> None:
        self.fields = [
            (f.name, f.attname, f)
            for f in model._meta.concrete_fields
            if f.name not in services.UNTRACKED_FIELDS
        ]
        self.plain = all(
            type(f).value_from_object is models.Field.value_from_object for *_, f in self.fields
        )
        # One dictionary display for the model's fields, run for every record: a
        # comprehension over the fields cost half as much again.
        items = ", ".join(
            f"{name!r}: v if type(v := s[{attname!r}]) in plain else json(v)"
            for name, attname, _ in self.fields
        )
        scope: dict[str, Any] = {"plain": JSON_AS_IS, "json": _json}
        code = f"def values(s):\n    return {{{items}}}\n"
        exec(compile(code, f"<snapshot of {model._meta.label}>", "exec"), scope)  # noqa: S102
        self._values: Callable[[dict[str, Any]], dict[str, Any]] = scope["values"]

    def __call__(self, obj: models.Model) -> dict[str, Any]:
        if not self.plain:
            return plain_snapshot(obj)
        try:
            return self._values(obj.__dict__)
        except KeyError:  # a deferred field: read it as services.snapshot would
            return plain_snapshot(obj)


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
    found: list[tuple[str, ...]] = [
        (f.attname,) for f in meta.concrete_fields if f.unique and not f.primary_key
    ]
    groups = [c.fields for c in meta.total_unique_constraints if c.fields]
    groups += [tuple(g) for g in meta.unique_together]
    found += [tuple(field_named(model, n).attname for n in g) for g in groups]
    return found


# Values of these types go to the database as they are for these fields: their
# get_db_prep_save hands them back unchanged (whole numbers only where the backend does not
# adapt them; PostgreSQL's psycopg 3 wraps each in its integer type).
TEXT_FIELDS = {"CharField", "TextField", "EmailField", "URLField", "SlugField"}
INTEGER_FIELDS = {
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "PositiveBigIntegerField",
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
}


# Fields whose database value depends on the value alone and is remembered per value: the
# same dates, amounts and the batch's one timestamp come round again and again.
REMEMBERED = {"DateField", "DateTimeField", "DecimalField", *INTEGER_FIELDS}
_MISSING = object()


class Table:
    """Prepared INSERTs into one model's table (one row's on SQLite, multi-row or COPY on
    PostgreSQL): every concrete field but the automatic primary key, whose new values it
    returns when asked to."""

    def __init__(self, model: type[models.Model], connection: Any, *, returning: bool) -> None:
        meta = model._meta
        self.connection = connection
        self.fields = [f for f in meta.concrete_fields if f is not meta.auto_field]
        self.attnames = [f.attname for f in self.fields]
        qn = connection.ops.quote_name
        columns = ", ".join(qn(f.column) for f in self.fields)
        # Names from the model's own metadata, quoted; values always go as parameters.
        self.head = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES "  # noqa: S608
        self.tail = f" RETURNING {qn(meta.pk.column)}" if returning else ""
        self.row = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        self.per_statement = max(1, _max_params(connection) // len(self.fields))
        # Per field: the value types stored as they are, and the conversion for the others.
        self.plan = [
            (f.attname, _passthrough(f, connection), self._converter(f)) for f in self.fields
        ]
        self.values: Callable[[dict[str, Any]], list[Any]] = self._row_builder()
        self._sql: dict[int, str] = {}
        self.copy: str | None = None  # COPY … FROM STDIN, on PostgreSQL
        self.many: str | None = None  # one row's INSERT, sent for every row on SQLite
        self.db_table = meta.db_table
        self.next_ids = ""
        self.returning = returning
        if connection.vendor == "sqlite":
            pk, table = qn(meta.pk.column), qn(meta.db_table)
            first = f"{pk}, " if returning else ""
            marks = ", ".join(["%s"] * (len(self.fields) + bool(returning)))
            self.many = f"INSERT INTO {table} ({first}{columns}) VALUES ({marks})"  # noqa: S608
            # The last id the table handed out, as AUTOINCREMENT counts it (never reused).
            self.next_ids = (
                f"SELECT max(coalesce((SELECT max({pk}) FROM {table}), 0), "  # noqa: S608
                "coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))"
            )
        if connection.vendor == "postgresql":
            pk = qn(meta.pk.column)
            first = f"{pk}, " if returning else ""
            self.copy = f"COPY {qn(meta.db_table)} ({first}{columns}) FROM STDIN"
            # The table's own sequence hands out the ids, as the INSERTs would take them.
            self.next_ids = (
                f"SELECT nextval(pg_get_serial_sequence('{qn(meta.db_table)}', "  # noqa: S608
                f"'{meta.pk.column}')) FROM generate_series(1, %s)"
            )

    def _converter(self, f: models.Field) -> Any:
        prep, connection = f.get_db_prep_save, self.connection
        stock = type(f).get_db_prep_save is models.Field.get_db_prep_save
        internal = f.get_internal_type()
        if (
            isinstance(f, models.ForeignKey)
            and f.many_to_one
            and type(f).get_db_prep_save is models.ForeignKey.get_db_prep_save
        ):
            stock = type(f.target_field).get_db_prep_save is models.Field.get_db_prep_save
            internal = f.target_field.get_internal_type()  # stored as the key it points at
        if not stock or internal not in REMEMBERED:
            return lambda value: prep(value, connection)
        memo: dict[Any, Any] = {}
        last: list[Any] = [_MISSING, None]  # the value before, by identity (a batch's moment)

        def remembered(value: Any) -> Any:
            if value is last[0]:
                return last[1]
            key = _memo_key(value)
            if key is None:
                return prep(value, connection)
            found = memo.get(key, _MISSING)
            if found is _MISSING:
                if len(memo) >= MEMO_SIZE:
                    memo.clear()
                found = memo[key] = prep(value, connection)
            last[0], last[1] = value, found
            return found

        return remembered

    def _row_builder(self) -> Any:
        """`values(source)`: one row's database values from {attname: value} (a record's
        __dict__ will do). Written out as one expression per field for this table, since it
        runs for every row and every audit entry: a loop over the plan cost twice as much."""
        scope: dict[str, Any] = {}
        parts = []
        for i, (attname, passthrough, convert) in enumerate(self.plan):
            scope[f"p{i}"], scope[f"c{i}"] = passthrough, convert
            parts.append(f"v if type(v := s[{attname!r}]) in p{i} else c{i}(v)")
        code = "def values(s):\n    return [" + ", ".join(parts) + "]\n"
        exec(compile(code, f"<row of {self.head[:60]}>", "exec"), scope)  # noqa: S102
        return scope["values"]

    def insert(self, cursor: Any, rows: list[list[Any]]) -> list[Any]:
        """Insert rows of database values; their new primary keys, in order, if returning."""
        if self.many is not None:
            return self._many(cursor, rows)
        if self.copy is not None and len(rows) >= COPY_FROM:
            return self._copy(cursor, rows)
        ids: list[Any] = []
        step = self.per_statement
        for start in range(0, len(rows), step):
            chunk = rows[start : start + step]
            sql = self._sql.get(len(chunk))
            if sql is None:
                sql = self.head + ", ".join([self.row] * len(chunk)) + self.tail
                self._sql[len(chunk)] = sql
            cursor.execute(sql, [value for row in chunk for value in row])
            if self.tail:
                ids.extend(pk for (pk,) in cursor.fetchall())
        if self.tail and len(ids) != len(rows):  # pragma: no cover - a database fault
            raise RuntimeError(f"{len(rows)} rows inserted but {len(ids)} ids returned")
        return ids

    def _many(self, cursor: Any, rows: list[list[Any]]) -> list[Any]:
        """One short INSERT run for every row (sqlite3's executemany) rather than statements
        of thousands of parameters, which Django rewrites for sqlite3 and, with DEBUG on,
        quotes value by value for its log. For a table whose ids are wanted, the ids are
        given, counted on from the last one the table handed out: the write transaction
        (`BEGIN IMMEDIATE`) keeps every other writer out until it ends, and a clash would
        be refused by the primary key, never overwrite."""
        if not rows:
            return []
        if not self.returning:
            cursor.executemany(self.many, rows)
            return []
        cursor.execute(self.next_ids, [self.db_table])
        (last,) = cursor.fetchone()
        ids = list(range(last + 1, last + 1 + len(rows)))
        cursor.executemany(self.many, [[pk, *row] for pk, row in zip(ids, rows, strict=True)])
        return ids

    def _copy(self, cursor: Any, rows: list[list[Any]]) -> list[Any]:
        """Send rows with COPY, the database's bulk path; for a table whose ids are wanted,
        reserve them from its sequence first (in order: they are the rows' ids)."""
        ids: list[Any] = []
        if self.returning:
            cursor.execute(self.next_ids, [len(rows)])
            ids = [pk for (pk,) in cursor.fetchall()]
        with cursor.cursor.copy(self.copy) as copy:
            write = copy.write_row
            if self.returning:
                for pk, row in zip(ids, rows, strict=True):
                    write([pk, *row])
            else:
                for row in rows:
                    write(row)
        return ids


COPY_FROM = 50  # rows from which COPY beats one INSERT statement on PostgreSQL


def _passthrough(f: models.Field, connection: Any) -> frozenset[type]:
    """The value types `f.get_db_prep_save` hands back unchanged on this database."""
    internal = f.get_internal_type()
    if (
        isinstance(f, models.ForeignKey)
        and f.many_to_one
        and type(f).get_db_prep_save is models.ForeignKey.get_db_prep_save
    ):
        target = f.target_field  # a reference is stored as the key it points at
        if type(target).get_db_prep_save is not models.Field.get_db_prep_save:
            return frozenset([type(None)])  # what ForeignKey.get_db_prep_save does for None
        internal = target.get_internal_type()
    elif isinstance(f, models.JSONField):
        return frozenset([type(None)])  # SQL NULL, as JSONField.get_db_prep_save has it
    elif type(f).get_db_prep_save is not models.Field.get_db_prep_save:
        return frozenset()
    plain: list[type] = []
    if internal in TEXT_FIELDS:
        plain = [str]
    elif internal == "BooleanField":
        plain = [bool]
    elif internal in INTEGER_FIELDS and _integers_as_they_are(connection):
        plain = [int]
    elif internal == "DateField" and _dates_as_they_are(f, connection):
        plain = [datetime.date]
    elif internal == "DecimalField" and _decimals_as_they_are(f, connection):
        plain = [Decimal]
    # None is NULL for a nullable field, for text and for numbers; a required yes/no field
    # or date is left to its own conversion (validation has refused such a row already).
    if f.null or internal in TEXT_FIELDS or internal in INTEGER_FIELDS:
        plain.append(type(None))
    return frozenset(plain)


def _integers_as_they_are(connection: Any) -> bool:
    adapt = type(connection.ops).adapt_integerfield_value
    return adapt is BaseDatabaseOperations.adapt_integerfield_value


def _dates_as_they_are(f: models.Field, connection: Any) -> bool:
    """Whether a date goes to this database as it is: DateField hands a date to the
    backend's adapt_datefield_value, which on PostgreSQL hands it back (psycopg sends it as
    a date) and on SQLite makes it `str(value)`, the same text as the adapter Django
    registers with sqlite3 for dates (`isoformat()`)."""
    if type(f).get_db_prep_value is not models.DateField.get_db_prep_value:
        return False
    adapt = type(connection.ops).adapt_datefield_value
    if connection.vendor == "sqlite":
        return adapt is BaseDatabaseOperations.adapt_datefield_value
    if connection.vendor == "postgresql":
        from django.db.backends.postgresql.operations import DatabaseOperations

        return adapt is DatabaseOperations.adapt_datefield_value
    return False


def _decimals_as_they_are(f: models.Field, connection: Any) -> bool:
    """Whether an amount goes to this database as it is: DecimalField makes it
    `Decimal(value)` (equal, same digits) and hands it to adapt_decimalfield_value, which
    hands it back unless the backend says otherwise (sqlite3 then stores `str(value)`, by
    the adapter Django registers; psycopg sends it as a numeric)."""
    adapt = type(connection.ops).adapt_decimalfield_value
    return (
        type(f).get_db_prep_value is models.DecimalField.get_db_prep_value
        and type(f).get_prep_value is models.DecimalField.get_prep_value
        and adapt is BaseDatabaseOperations.adapt_decimalfield_value
        and connection.vendor in ("sqlite", "postgresql")
    )


def _max_params(connection: Any) -> int:
    """How many parameters one statement may carry on this database."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        getlimit = getattr(connection.connection, "getlimit", None)  # Python 3.11+
        if getlimit is not None:
            return min(getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER), 32766)
    if connection.vendor == "postgresql":
        return 65535
    return connection.features.max_query_params or 999


class Writer:
    """Saves batches of one model's new records, their many-to-many links and one audit
    entry per record, each in as few statements as the database allows."""

    def __init__(self, model: type[models.Model]) -> None:
        meta = model._meta
        self.model = model
        self.connection = connections[router.db_for_write(model)]
        self.table = Table(model, self.connection, returning=True)
        self.audit = Table(AuditEntry, self.connection, returning=False)
        self.links = [
            (f, Table(_through(f), self.connection, returning=False)) for f in meta.many_to_many
        ]
        self.snapshot = Snapshots(model)
        self.content_type_id = ContentType.objects.get_for_model(model, for_concrete_model=False).pk
        auto = [
            f
            for f in self.table.fields
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        ordinary = (models.Field.pre_save, models.DateField.pre_save, models.DateTimeField.pre_save)
        self.auto = auto
        self.pre_save = [
            f for f in self.table.fields if f not in auto and type(f).pre_save not in ordinary
        ]

    def save(self, user: Any, rows: list[New]) -> None:
        """Insert the batch; afterwards each record has its primary key, as after save().
        Called by `services` from inside the write path's context and a transaction (it
        opens neither); `guard` refuses it outside them, as every other save is refused,
        since its raw statements pass no model guard."""
        guard(self.model)  # refuses outside the write path, and reports the change
        objs = [row.obj for row in rows]
        for f in self.auto:  # one moment for the batch
            moment = f.pre_save(objs[0], True)
            for obj in objs:
                obj.__dict__[f.attname] = moment
        for f in self.pre_save:
            for obj in objs:
                f.pre_save(obj, True)
        alias = self.connection.alias
        with self.connection.cursor() as cursor:
            ids = self.table.insert(cursor, [self.table.values(obj.__dict__) for obj in objs])
            for obj, pk in zip(objs, ids, strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = alias
            for f, table in self.links:
                src, dst = (
                    field_named(_through(f), name).attname
                    for name in (f.m2m_field_name(), f.m2m_reverse_field_name())
                )
                links = [
                    table.values({src: row.obj.pk, dst: target.pk})
                    for row in rows
                    for target in row.m2m.get(f.name, [])
                ]
                if links:
                    table.insert(cursor, links)
            self.audit.insert(cursor, self.entries(user, rows))

    def entries(self, user: Any, rows: list[New]) -> list[list[Any]]:
        """The audit table's rows for `entry` of each record, in database values: what every
        entry of the batch shares converted once, the JSON of `after` written by json.dumps
        as the field would write it (but for PostgreSQL's few-row INSERT, which is left to
        the field)."""
        if not rows:
            return []
        when = timezone.now()  # what AuditEntry.at's auto_now_add would set
        first = self.audit.values(self.entry(user, rows[0], when))
        attnames = self.audit.attnames
        at = {name: attnames.index(name) for name in ("object_id", "object_repr", "after")}
        i_id, i_repr, i_after = at["object_id"], at["object_repr"], at["after"]
        as_text = self.connection.vendor == "sqlite" or (
            self.audit.copy is not None and len(rows) >= COPY_FROM
        )
        json_field = AuditEntry._meta.get_field("after")
        plain_json = as_text and json_field.encoder is None
        version = attnames.index("object_version")
        version_plain = self.audit.plan[version][1]
        version_convert = self.audit.plan[version][2]
        result = []
        for row in rows:
            obj = row.obj
            after = self.after(row)
            values = first.copy()
            values[i_id] = str(obj.pk)
            values[i_repr] = str(obj)[:300]
            number = getattr(obj, "version", None)
            values[version] = number if type(number) in version_plain else version_convert(number)
            if plain_json:
                values[i_after] = json.dumps(after)
            else:
                values[i_after] = json_field.get_db_prep_save(after, self.connection)
            result.append(values)
        return result

    def after(self, row: New) -> dict[str, Any]:
        """The record as its audit entry's `after` holds it: the snapshot, the new id and
        the names of what it links to."""
        after = self.snapshot(row.obj)
        after["id"] = row.obj.pk
        for f in self.model._meta.many_to_many:
            linked = sorted(row.m2m.get(f.name, []), key=lambda o: o.pk)
            after[f.name] = [str(o) for o in linked]
        return after

    def entry(self, user: Any, row: New, when: Any) -> dict[str, Any]:
        """What services._record writes for a create, by attname: the snapshot as it reads
        after saving."""
        obj = row.obj
        after = self.after(row)
        actor = context.current()
        return {
            "at": when,
            "actor_id": user.pk if getattr(user, "pk", None) else None,
            "actor_name": getattr(user, "username", "") or "system",
            "request_id": actor.request_id,
            "via": actor.via,
            "action": AuditEntry.Action.CREATE.value,
            "content_type_id": self.content_type_id,
            "object_id": str(obj.pk),
            "object_repr": str(obj)[:300],
            "object_version": getattr(obj, "version", None),
            "before": None,
            "after": after,
        }
