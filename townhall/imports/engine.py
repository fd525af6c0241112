"""Run an import: every row checked as the write path checks it, in one transaction, as one
person. New records of the indexed kinds are saved in batches (`bulk`, the documented bulk
`services.Creation`, the machinery of `services.create_many`); every other row, and any
row that matches a record, goes through `services.create` and `services.update`.

A preview runs exactly like a commit and then rolls back, so its counts (created, updated,
unchanged, rejected) are what a commit would do, including rows that refer to records
created earlier in the same file.
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from townhall.core import bulk, context, dbstats, memory, permissions, services
from townhall.core.models import field_named
from townhall.imports import keys, parsing
from townhall.imports.convert import Problem, RowReader, shown
from townhall.imports.grid import Cells
from townhall.imports.kinds import Kind
from townhall.imports.values import ValueProblem

COUNTS = ("created", "updated", "unchanged", "rejected")


@dataclass
class Outcome:
    """What an import did, or (for a preview) would do."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    committed: bool = False
    added: dict[str, list[str]] = field(default_factory=dict)  # plural label -> names

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in COUNTS}

    def notes(self) -> str:
        """What the import adds besides its rows (records they name that nobody had), or ""."""
        return " ".join(
            f"New {plural} the file names, added with the rows that name them: {', '.join(names)}."
            for plural, names in self.added.items()
            if names
        )

    def report(self) -> list[dict[str, Any]]:
        return [p.as_dict() for p in self.problems]


@dataclass
class Queued:
    """A checked new record waiting for its batch, with the row it came from."""

    number: int
    record: dict[str, Any]
    data: dict[str, Any]
    obj: Any
    entry: keys.Entry
    m2m: dict[str, list[Any]] = field(default_factory=dict)


@dataclass
class Change:
    """A row that changes a record, waiting for its batch of `services.update_rows`."""

    number: int
    record: dict[str, Any]
    data: dict[str, Any]
    entry: keys.Entry | None
    current: Any


class _Rollback(Exception):
    """Leaves the import's transaction without keeping anything."""


def identity_problem(kind: Kind, mapping: dict[str, str]) -> str:
    """Why no row of this file could be matched or named, or "" when a key column is mapped."""
    mapped = {f for f in mapping.values() if f}
    headings = kind.headings()
    if kind.items:  # named by the item it describes: any one of them will do
        if mapped & set(kind.items) or "external_id" in mapped:
            return ""
        names = " or ".join(headings[f] for f in kind.items)
        return f"No column is mapped to {names}; choose which column holds it."
    if kind.natural_key:  # every field of the key, in the order the kind gives them
        lacking = [f for f in kind.key_columns() if f not in mapped]
        if not lacking or "external_id" in mapped or mapped & set(kind.other_keys):
            return ""
        names = " and ".join(headings[f] for f in lacking)
        return f"No column is mapped to {names}; choose which column holds it."
    needed = {"from", "to"} if kind.links else {kind.name_field}
    if needed <= mapped or "external_id" in mapped:
        return ""
    names = " and ".join(headings[f] for f in sorted(needed))
    return f"No column is mapped to {names}; choose which column holds it."


BATCH = 1000  # new records saved per bulk insert


class NaturalKeys:
    """Completes a row's natural key as the kind registered it: the fields with a default
    the file has no column for, and the occurrence among the file's rows read so far with
    the same key (see `ImportKind.occurrence`)."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self.defaults = kind.key_defaults() if kind.natural_key else {}
        self.counted = tuple(n for n in kind.natural_key if n != kind.occurrence)
        self.seen: dict[tuple, int] = {}

    def complete(self, data: dict[str, Any]) -> None:
        for name, default in self.defaults.items():
            data.setdefault(name, default)
        occurrence = self.kind.occurrence
        if not occurrence or any(data.get(name) for name in self.kind.other_keys):
            return  # a row with a reference of its own is found by it, never counted
        key = tuple(_key_value(data.get(name)) for name in self.counted)
        data[occurrence] = self.seen[key] = self.seen.get(key, 0) + 1


def _key_value(value: Any) -> Any:
    return value.pk if hasattr(value, "_meta") and value.pk is not None else value


def run(
    user: Any,
    kind: Kind,
    sheet: parsing.Sheet,
    mapping: dict[str, str],
    *,
    commit: bool,
    valid_only: bool = False,
    source: str = "",
    progress: Callable[[int], None] | None = None,
    value_map: dict[str, dict[str, str]] | None = None,
) -> Outcome:
    """Import `sheet` as `user`. Nothing is kept unless `commit`, and then only when no row
    was rejected or `valid_only` says to keep the valid ones. `value_map` holds the choices
    the person gave to values of the file the importer did not know."""
    outcome = Outcome()
    with context.acting("import"), memory.long_lived_set_aside() as set_aside:
        try:
            with transaction.atomic():
                importer = _Importer(user, kind, mapping, source, outcome, value_map)
                records, done = sheet.records(), 0
                while window := list(itertools.islice(records, BATCH)):
                    importer.prefetch(window)
                    for number, record in window:
                        importer.row(number, record)
                        done += 1
                        if progress and done % 100 == 0:
                            progress(done)
                    set_aside()
                importer.flush()
                outcome.problems.sort(key=lambda p: p.row)  # a batch may report late
                outcome.added = importer.reader.new.added()
                keep = commit and (outcome.rejected == 0 or valid_only)
                if not keep:
                    raise _Rollback
                outcome.committed = True
        except _Rollback:
            pass
    if outcome.committed and outcome.created + outcome.updated >= dbstats.IMPORT_ROWS:
        dbstats.refresh_statistics(tables=dbstats.tables_written(kind.model))
    return outcome


@dataclass
class _Batched:
    """What an indexed kind's import keeps, both or neither: the natural keys of every
    record, and the checks and unique values new records pass before their batch."""

    index: keys.Index
    creation: services.Creation


class _Importer:
    """One import's state: the reader, and for indexed kinds the natural keys and unique
    values of every record plus the new records waiting for their batch."""

    def __init__(
        self,
        user: Any,
        kind: Kind,
        mapping: dict[str, str],
        source: str,
        outcome: Outcome,
        value_map: dict[str, dict[str, str]] | None = None,
    ) -> None:
        self.user = user
        self.kind = kind
        self.reader = RowReader(kind, mapping, user, value_map, source)
        self.source = source
        self.outcome = outcome
        fields = {f.name for f in kind.model._meta.concrete_fields}
        self.has_source = "source" in fields  # a dependency's `source` is its "from" end
        self.owned = "owner_department" in {f.name for f in kind.model._meta.fields} and (
            kind.key != "department"
        )
        # A liaison's rows without a department are their department's, as the add form
        # has it; a record describing an item takes the item's department instead.
        self.fill_department = self.owned and not kind.items
        fast = kind.indexed and bulk.eligible(kind.model)
        self.batched = (
            _Batched(keys.index_for(kind), services.Creation(user, kind.model)) if fast else None
        )
        self.queued: list[Queued] = []
        self.changes: dict[Any, Change] = {}  # by the record's pk
        self._departments: dict[int, Any] | None = None
        self.keys = NaturalKeys(kind)
        self.guessed_keys = NaturalKeys(kind)  # the same count, for `prefetch`'s guesses
        self._adds: dict[int | None, bool] = {}
        self.loaded: dict[Any, Any] = {}  # records the next rows match, read ahead by pk
        self.changeable: set[Any] = set()
        # Reading ahead pays only once rows match records: not while a file fills an empty
        # table, until some row names a record an earlier row added.
        self.read_ahead = fast and kind.model._default_manager.exists()
        if fast:  # what the person may change as the import starts, in one query
            changeable = permissions.restrict(kind.model._default_manager.all(), user, "change")
            rows = changeable.values_list("pk")
            self.changeable = {pk for (pk,) in rows.iterator(chunk_size=5000)}

    def prefetch(self, window: list[tuple[int, dict[str, Any]]]) -> None:
        """Read the records the coming rows will probably match in one query, instead of
        one query a row. Only a guess from each row's key columns: a record not read here
        is read when its row comes, and one read here is used once, by the first row that
        matches it, unless a row before saved it (then it is read again)."""
        self.reader.preload(window)
        if self.batched is None or not self.read_ahead:
            return
        wanted = []
        for _number, record in window:
            data = self.reader.key_values(record)
            if data is None:
                continue
            if self.fill_department and "owner_department" not in data and self._liaison():
                data["owner_department"] = self.user.department
            self.guessed_keys.complete(data)
            try:
                entry = self.batched.index.find(data)
            except ValueProblem:
                continue
            if entry is not None and entry.pk is not None and entry.pk not in self.loaded:
                wanted.append(entry.pk)
        if wanted:
            self.loaded.update(self.kind.model._default_manager.in_bulk(wanted))

    def row(self, number: int, record: dict[str, Any]) -> None:
        problems = self._write(number, record)
        if problems:
            self._reject(problems)

    def _reject(self, problems: list[Problem]) -> None:
        self.outcome.rejected += 1
        self.outcome.problems.extend(problems)

    def _write(self, number: int, record: dict[str, Any]) -> list[Problem]:
        data, problems = self.reader.read(number, record)
        if problems:
            return problems
        if self.fill_department and "owner_department" not in data and self._liaison():
            data["owner_department"] = self.user.department  # their own, as the add form does
        self.keys.complete(data)
        try:
            entry, current = self._existing(data)
        except ValueProblem as exc:
            return [Problem(number, "", "", str(exc))]
        grid = self.kind.grid
        if grid is not None and isinstance(data.get(grid.field), Cells):  # into the record's grid
            data[grid.field] = grid.merged(getattr(current, grid.field, None), data[grid.field])
        refusal = self._refusal(current, data)
        if refusal:
            heading = self._refusal_column(data)
            return [Problem(number, heading, shown(record.get(heading)), refusal)]
        batched = self.batched
        if current is not None and batched is not None and self._unchanged(batched, current, data):
            self.outcome.unchanged += 1
            return []
        if current is None and self.source and "source" not in data and self.has_source:
            data["source"] = self.source[:200]
        if batched is not None and self.reader.new.pending(data):
            batched = None  # a row naming a record still to be added is saved on its own
        if current is None and batched is not None:
            queued = self._queue(batched, number, record, data)
            if queued is not None:
                return queued
        if current is not None and batched is not None:
            self.changes[current.pk] = Change(number, record, data, entry, current)
            batched.creation.unique.add(current)  # its new values, for the rows after it
            if len(self.changes) >= BATCH:
                self.flush()
            return []
        self.flush()  # what is saved row by row must see every row before it
        return self._save(number, record, data, entry, current)

    def _existing(self, data: dict[str, Any]) -> tuple[keys.Entry | None, Any]:
        """The index entry (indexed kinds) and the record this row updates, or Nones."""
        if self.batched is None:
            return None, keys.existing(self.kind, data)
        entry = self.batched.index.find(data)
        if entry is None:
            return None, None
        if entry.pk is None or entry.pk in self.changes:
            self.flush()  # a row earlier in the file, still waiting for its batch
        if entry.pk is None:
            return None, None  # that row was refused when its batch was saved
        current = self.loaded.pop(entry.pk, None)
        if current is None:
            current = self.kind.model._default_manager.get(pk=entry.pk)
            self.read_ahead = True
        return entry, current

    def _may_change(self, current: Any) -> bool:
        """permissions.can, answered from the set loaded at the start when it can be."""
        return current.pk in self.changeable or permissions.can(self.user, "change", current)

    def _unchanged(self, batched: _Batched, current: Any, data: dict[str, Any]) -> bool:
        """Whether services.update would find nothing to save, asked without its lock, its
        per-row queries and its audit look-ups; anything else goes to services.update."""
        plain, m2m = services._split(self.kind.model, data)
        if any(self.reader.tags.pending(values) for values in m2m.values()):
            return False  # a tag still to be added cannot be linked already
        before = batched.creation.snapshot(current)
        services._apply(current, plain)
        try:
            batched.creation.maker.validate(current)
        except ValidationError:
            return False  # services.update reports it
        if batched.creation.snapshot(current) != before:
            return False
        return all(
            services._m2m_pks(values) == sorted(getattr(current, name).values_list("pk", flat=True))
            for name, values in m2m.items()
        )

    def _queue(
        self, batched: _Batched, number: int, record: dict, data: dict[str, Any]
    ) -> list[Problem] | None:
        """Validate a new row and hold it for the next batch; None to save it on its own."""
        try:
            item = batched.creation.check(data)  # as services.create checks it
        except ValidationError as exc:
            return self._invalid(number, record, exc)
        except PermissionDenied as exc:
            return [Problem(number, "", "", str(exc))]
        if batched.creation.clashes(item):
            return None  # services.create says what it clashes with
        entry = keys.Entry(pk=None, obj=item.obj)
        batched.index.add(entry, item.obj)
        batched.creation.keep(item)
        self.queued.append(Queued(number, record, data, item.obj, entry, item.m2m))
        if len(self.queued) >= BATCH:
            self.flush()
        return []

    def flush(self) -> None:
        """Save the waiting new records and changes; if the database refuses a batch, row by
        row, so each refused row is reported."""
        self._flush_new()
        self._flush_changes()

    def _flush_changes(self) -> None:
        rows, self.changes = list(self.changes.values()), {}
        if not rows:
            return
        added: list = []
        try:
            with transaction.atomic():
                edits = []
                for row in rows:
                    data = row.data
                    if "tags" in data:  # the row's new tags, now that it is kept
                        data = {**data, "tags": self.reader.tags.saved(data["tags"], added)}
                    edits.append((row.current, data))
                changed = services.update_rows(self.user, edits)
        except (ValidationError, PermissionDenied, IntegrityError, ValueProblem):
            self.reader.tags.forget(added)
            for row in rows:  # each through services.update, to say which and why
                problems = self._save(row.number, row.record, row.data, row.entry, row.current)
                if problems:
                    self._reject(problems)
            return
        self.outcome.updated += changed
        self.outcome.unchanged += len(rows) - changed
        for row in rows:
            self._remember(row.entry, row.current)

    def _flush_new(self) -> None:
        rows, self.queued = self.queued, []
        batched = self.batched
        if not rows or batched is None:  # rows are queued for batched kinds only
            return
        added: list = []
        try:
            with transaction.atomic():
                for row in rows:  # the row's new tags, now that it is kept
                    if "tags" in row.m2m:
                        row.m2m["tags"] = self.reader.tags.saved(row.m2m["tags"], added)
                batched.creation.save(rows)
        except (IntegrityError, ValueProblem):
            self.reader.tags.forget(added)
            for row in rows:
                problems = self._save(row.number, row.record, row.data, row.entry, None)
                if problems:
                    batched.index.remove(row.entry)
                    self._reject(problems)
            return
        for row in rows:
            row.entry.pk, row.entry.obj = row.obj.pk, None
        self.outcome.created += len(rows)

    def _save(
        self, number: int, record: dict, data: dict[str, Any], entry: Any, current: Any
    ) -> list[Problem]:
        """One row through the write path, in a savepoint so a failed row leaves no trace."""
        outcome = self.outcome
        added: list = []
        new: list = []  # records the row names, added in its savepoint
        try:
            with transaction.atomic():
                if "tags" in data:  # the row's new tags, in the row's savepoint
                    data = {**data, "tags": self.reader.tags.saved(data["tags"], added)}
                if self.reader.new.pending(data):
                    data = self.reader.new.saved(data, new)
                if current is None:
                    saved = services.create(self.user, self.kind.model, data)
                    outcome.created += 1
                else:
                    before = current.version
                    saved = services.update(self.user, current, data, version=None)
                    if saved.version != before:
                        outcome.updated += 1
                    else:
                        outcome.unchanged += 1
        except ValidationError as exc:
            self._forget(added, new)
            return self._invalid(number, record, exc)
        except PermissionDenied as exc:
            self._forget(added, new)
            return [Problem(number, "", "", str(exc))]
        except IntegrityError as exc:
            self._forget(added, new)
            return [Problem(number, "", "", f"Conflicts with a record already saved ({exc}).")]
        except ValueProblem as exc:  # a new tag or record the write path refused after all
            self._forget(added, new)
            heading = self.reader.heading(getattr(exc, "field", "tags"))
            return [Problem(number, heading, shown(record.get(heading)), str(exc))]
        self._remember(entry, saved)
        return []

    def _forget(self, tags: list, new: list) -> None:
        """The tags and records a rolled-back row added: no longer there."""
        self.reader.tags.forget(tags)
        self.reader.new.forget(new)

    def _remember(self, entry: keys.Entry | None, saved: Any) -> None:
        """Keep the index and unique values in step with a record saved on its own."""
        if self.batched is None:
            return
        self.loaded.pop(saved.pk, None)  # read ahead before this change
        if entry is None:
            entry = keys.Entry(pk=saved.pk)
        entry.pk, entry.obj = saved.pk, None
        self.batched.index.add(entry, saved)
        self.batched.creation.unique.add(saved)

    def _department_of(self, current: Any) -> Any:
        """A record's owner department without a query per row: departments are few, and
        read all at once the first time one is needed."""
        dept_id = getattr(current, "owner_department_id", None)
        if dept_id is None:
            return None
        if self._departments is None:
            from townhall.org.models import Department

            self._departments = Department.objects.in_bulk()
        return self._departments.get(dept_id) or current.owner_department

    def _may_add(self, dept_id: int | None) -> bool:
        """permissions.can_add for this person and kind, asked once per department (the
        answer depends on who, what and where, none of which a row changes)."""
        allowed = self._adds.get(dept_id)
        if allowed is None:
            allowed = self._adds[dept_id] = permissions.can_add(self.user, self.kind.model, dept_id)
        return allowed

    def _liaison(self) -> bool:
        return permissions.is_liaison(self.user) and bool(getattr(self.user, "department_id", None))

    def _refusal(self, current: Any, data: dict[str, Any]) -> str:
        model = self.kind.model
        plural = model._meta.verbose_name_plural
        if self.kind.key == "department":
            if current is None:
                allowed = permissions.can_add(self.user, model, None)
            else:
                allowed = permissions.can(self.user, "change", current)
            if allowed:
                return ""
            if self._liaison() and current is None:
                return "Department liaisons cannot add departments."
            if self._liaison():
                return "Department liaisons can update only their own department's record."
            return f"You may not {'add' if current is None else 'change'} {plural}."
        item = self._item(current, data)
        if self.kind.items and item is None and current is None:
            if permissions.may_add_any(self.user, model):
                return ""  # a new record describing nothing: its validation says so
        if item is not None:  # the department of the item described decides
            dept = item.owner_department
        elif "owner_department" in data:
            dept = data["owner_department"]
        else:  # the record's own, from the departments read once
            dept = self._department_of(current)
        dept_id = dept.pk if dept is not None else None
        if current is None:
            allowed = self._may_add(dept_id)
        else:
            allowed = self._may_change(current) and (not self.owned or self._may_add(dept_id))
        if allowed:
            return ""
        if self._liaison() and self.owned:
            where = dept.name if dept is not None else "no department"
            mine = self.user.department.name
            if (
                item is None
                and current is not None
                and current.owner_department_id != self.user.department_id
            ):
                where = str(current.owner_department or "no department")
            return (
                f"Department liaisons can import only rows for their own department ({mine}); "
                f"this row is for {where}."
            )
        return f"You may not {'add' if current is None else 'change'} {plural}."

    def _item(self, current: Any, data: dict[str, Any]) -> Any:
        """The service, system or component the row's record describes, if it describes one:
        as the row names it, else the record's own."""
        if not self.kind.items:
            return None
        if any(name in data for name in self.kind.items):
            return next((data[n] for n in self.kind.items if data.get(n) is not None), None)
        return current._parent() if current is not None else None

    def _refusal_column(self, data: dict[str, Any]) -> str:
        """The column a refusal points at: the item's when it decided, else the department."""
        for name in self.kind.items:
            if data.get(name) is not None and self.reader.heading(name):
                return self.reader.heading(name)
        return self.reader.heading("owner_department")

    def _invalid(self, number: int, record: dict, exc: ValidationError) -> list[Problem]:
        problems = []
        errors = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc}
        for name, errs in errors.items():
            heading = self.reader.heading(name) if name != NON_FIELD_ERRORS else ""
            messages = ValidationError(errs).messages
            label = ""
            if not heading and name != NON_FIELD_ERRORS:
                field = field_named(self.kind.model, name)
                label = f"{str(field.verbose_name).capitalize()}: "
            for message in messages:
                value = shown(record.get(heading)) if heading else ""
                problems.append(Problem(number, heading, value, label + message))
        return problems
