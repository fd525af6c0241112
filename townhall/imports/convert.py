"""One file row into field values for the write path, or the reasons it cannot be."""

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from townhall.core import permissions, services
from townhall.core.models import Tag, field_named, related_model
from townhall.imports import grid, refs, values
from townhall.imports.kinds import Kind
from townhall.imports.values import ValueProblem


@dataclass
class Problem:
    """One reason a row was rejected: as the person sees the row in their file."""

    row: int
    column: str
    value: str
    reason: str
    choice_of: str = ""  # the choice field the value is none of, to offer mapping it

    def as_dict(self) -> dict[str, Any]:
        found = {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}
        if self.choice_of:
            found["choice_of"] = self.choice_of
        return found


def shown(raw: Any) -> str:
    """A cell as the report quotes it."""
    return values.text(raw)[:200]


def _scalar(field: models.Field, raw: Any) -> Any:
    if isinstance(field, models.JSONField):
        return _json(raw)
    if field.choices:
        return values.choice(raw, [(str(k), str(v)) for k, v in field.flatchoices])
    if isinstance(field, models.BooleanField):
        return values.boolean(raw)
    if isinstance(field, models.DateField):
        return values.date(raw)
    if isinstance(field, models.DecimalField):
        amount = values.money(raw)  # None only for a blank cell, which is never read here
        return None if amount is None else amount.quantize(Decimal(1).scaleb(-field.decimal_places))
    if isinstance(field, models.IntegerField):
        return values.whole_number(raw)
    if isinstance(field, models.TextField) and field.name == "aliases":
        return "\n".join(values.split_list(raw))
    return values.text(raw)


def _json(raw: Any) -> Any:
    """A JSON field's cell, written as the API and the export write it (`{"key": 2}`): the
    model's own checks then say what is wrong with the value, as they do for the API."""
    try:
        return json.loads(values.text(raw))
    except ValueError:
        raise ValueProblem('Write it as JSON, such as {"key": 2}') from None


def _blank(field: models.Field) -> tuple[bool, Any]:
    """(use it, value) for an empty cell: empty where allowed, else left as it is."""
    if field.many_to_many:
        return True, []
    if field.null:
        return True, None
    if field.blank and not field.has_default():
        return True, ""
    if field.blank and field.get_default() == "":
        return True, ""
    return False, None


class RowReader:
    """Turns rows of one file into field values, as one person sees the records.

    References are looked up once per distinct name: a file of 100,000 rows names the same
    few departments and vendors over and over. Records of the kind being imported are never
    remembered, because rows earlier in the file may add or rename them. The service, system
    or component an impact analysis or recovery capability describes is different on every
    row: those are found by name in memory (`refs.Names`) and read a window of rows at a
    time (`preload`)."""

    def __init__(
        self,
        kind: Kind,
        mapping: dict[str, str],
        user: Any,
        value_map: dict[str, dict[str, str]] | None = None,
        source: str = "",
    ) -> None:
        self.kind = kind
        self.new = NewReferences(user, kind.adds, source)
        self.mapping = {h: f for h, f in mapping.items() if f}
        # field -> {squashed value in the file: stored choice}, as the person mapped them
        self.value_map = {
            name: {values.squash(word): stored for word, stored in words.items()}
            for name, words in (value_map or {}).items()
        }
        self._choices: dict[str, values.Choices] = {}
        self.user = user
        self.column_of = {f: h for h, f in self.mapping.items()}
        self.tags = TagNames(user)
        self._seen: dict[tuple, Any] = {}
        self._scalars: dict[tuple, Any] = {}
        self.item_models = {related_model(field_named(kind.model, name)) for name in kind.items}
        self._names: dict[type[models.Model], refs.Names] = {}
        self._items: dict[tuple[type[models.Model], int], Any] = {}  # read by `preload`
        # (heading, field name, field, how) of the columns read by `_one`, in the mapping's
        # order; `how` says which cells are read as plain text or remembered.
        self.columns = [
            (heading, name, field, _how(field))
            for heading, name in self.mapping.items()
            if name not in ("owner_department", "tags")
            for field in (kind.field(name),)
        ]

    def _lookup(self, key: tuple, find: Any, *, fresh: bool = False) -> Any:
        """`find()`, remembered under `key` (a ValueProblem is remembered too) unless `fresh`."""
        if fresh:
            return find()
        if key not in self._seen:
            try:
                self._seen[key] = find()
            except ValueProblem as exc:
                self._seen[key] = exc
        found = self._seen[key]
        if isinstance(found, ValueProblem):
            raise found
        return found

    def resolve(self, model: type[models.Model], text: str, department_id: int | None) -> Any:
        if model in self.item_models:
            return self.item(model, text, department_id)
        return self._lookup(
            ("ref", model, text, department_id),
            lambda: refs.resolve(model, text, self.user, department_id),
            fresh=model is self.kind.model,
        )

    def names(self, model: type[models.Model]) -> refs.Names:
        if model not in self._names:
            self._names[model] = refs.Names(model, self.user)
        return self._names[model]

    def item(self, model: type[models.Model], text: str, department_id: int | None) -> Any:
        """The service (system, component) a row describes, with its department: read by
        `preload` with the rows around it, else on its own."""
        pk = self.names(model).find(text, department_id)
        found = self._items.get((model, pk))
        if found is None:
            found = model._default_manager.select_related("owner_department").get(pk=pk)
        return found

    def preload(self, window: list[tuple[int, dict[str, Any]]]) -> None:
        """Read the items the coming rows describe in one query per model (none for kinds
        that describe no item); what the rows before needed is let go."""
        self._items = {}
        wanted: dict[type[models.Model], set[int]] = {}
        if self.kind.links:
            self._preload_ends(window, wanted)
        for name in self.kind.items:
            heading = self.column_of.get(name)
            if not heading:
                continue
            model = related_model(field_named(self.kind.model, name))
            for _number, record in window:
                raw = record.get(heading)
                if values.is_blank(raw):
                    continue
                department_id = self._department(record, {}, [], 0)
                try:
                    pk = self.names(model).find(values.text(raw), department_id)
                except ValueProblem:
                    continue
                wanted.setdefault(model, set()).add(pk)
        for model, pks in wanted.items():
            found = model._default_manager.select_related("owner_department").in_bulk(pks)
            self._items.update(((model, pk), obj) for pk, obj in found.items())

    def _preload_ends(
        self, window: list[tuple[int, dict[str, Any]]], wanted: dict[type[models.Model], set[int]]
    ) -> None:
        """The records the coming rows of links (dependencies) name as their ends."""
        for name in ("from", "to"):
            heading = self.column_of.get(name)
            if not heading:
                continue
            for _number, record in window:
                raw = record.get(heading)
                if values.is_blank(raw):
                    continue
                department_id = self._department(record, {}, [], 0)
                try:
                    model, pk = self._end_key(values.text(raw), department_id, name)
                except ValueProblem:
                    continue
                wanted.setdefault(model, set()).add(pk)

    def end(self, text: str, department_id: int | None, side: str = "to") -> Any:
        """A dependency end: found by name in memory (`refs.Names`, one query per kind of
        end for the whole file) and read with the rows around it (`preload`)."""
        if self.kind.model in refs.ends().values():  # never remembered: the file may add it
            return refs.end(text, self.user, department_id, side)
        model, pk = self._end_key(text, department_id, side)
        found = self._items.get((model, pk))
        if found is None:
            found = model._default_manager.get(pk=pk)
        return found

    def _end_key(
        self, text: str, department_id: int | None, side: str = "to"
    ) -> tuple[type[models.Model], int]:
        return self._lookup(
            ("end", text, department_id, side),
            lambda: refs.end_key(text, department_id, self.names, side),
        )

    def heading(self, field: str) -> str:
        """The file's column for a field (dependency ends answer for their six fields)."""
        if field.startswith(("from_", "to_")) and self.kind.links:
            field = field.split("_", 1)[0]
        return self.column_of.get(field, "")

    def read(self, number: int, record: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
        result: dict[str, Any] = {}
        problems: list[Problem] = []
        department_id = self._department(record, result, problems, number)
        seen = self._seen
        for heading, name, field, how in self.columns:
            raw = record.get(heading)
            try:
                if how is TEXT and type(raw) is str and raw.strip():
                    text = raw.strip()  # `values.text`, unless an apostrophe needs it
                    result[name] = values.text(raw) if text[0] == "'" else text
                elif how is REMEMBER and field is not None and type(raw) is str and raw.strip():
                    result[name] = self._scalar(name, field, raw)
                elif how is CHOICE and type(found := seen.get(("choice", name, raw))) is str:
                    result[name] = found  # a label read before (`_one` remembers them)
                else:
                    self._one(name, field, raw, department_id, result)
            except ValueProblem as exc:
                choice_of = name if isinstance(exc, values.UnknownChoice) else ""
                problems.append(Problem(number, heading, shown(raw), str(exc), choice_of))
        tags_heading = self.column_of.get("tags")
        if tags_heading and not problems:  # only a row that is otherwise good may add tags
            raw = record.get(tags_heading)
            try:
                result["tags"] = self.tags.get(raw)
            except ValueProblem as exc:
                problems.append(Problem(number, tags_heading, shown(raw), str(exc)))
        result.update(self.kind.fixed)
        return result, problems

    def key_values(self, record: dict[str, Any]) -> dict[str, Any] | None:
        """The row's department, external ID and name as `read` gives them, or None if one
        of them cannot be read: enough to guess which record the row is about."""
        result: dict[str, Any] = {}
        problems: list[Problem] = []
        department_id = self._department(record, result, problems, 0)
        if problems:
            return None
        keys: tuple[str, ...] = ("external_id", "name")
        if self.kind.links:
            keys += ("from", "to", *self.kind.link_key)
        keys += self.kind.natural_key + self.kind.other_keys + self.kind.other_keys_within
        for heading, name, field, _how in self.columns:
            if name in keys or name in self.kind.items:
                try:
                    self._one(name, field, record.get(heading), department_id, result)
                except ValueProblem:
                    return None
        result.update(self.kind.fixed)
        return result

    def _department(
        self, record: dict[str, Any], result: dict, problems: list[Problem], number: int
    ) -> int | None:
        heading = self.column_of.get("owner_department")
        if not heading:
            return None
        raw = record.get(heading)
        if values.is_blank(raw):
            result["owner_department"] = None
            return None
        from townhall.org.models import Department

        try:
            dept = self.resolve(Department, values.text(raw), None)
        except ValueProblem as exc:
            problems.append(Problem(number, heading, shown(raw), str(exc)))
            return None
        result["owner_department"] = dept
        return dept.pk

    def _one(
        self,
        name: str,
        field: models.Field | None,
        raw: Any,
        department_id: int | None,
        result: dict,
    ) -> None:
        if field is None and self.kind.grid is not None:  # one cell of a grid
            cell = self.kind.grid.cells[name]
            result.setdefault(self.kind.grid.field, grid.Cells())[cell] = self.kind.grid.rating(raw)
            return
        if field is None:  # a dependency's "from" or "to"
            if values.is_blank(raw):
                raise ValueProblem("Name what depends and what it depends on")
            target = self.end(values.text(raw), department_id, name)
            for end, model in refs.ends(name).items():
                result[f"{name}_{end}"] = target if type(target) is model else None
            return
        if values.is_blank(raw):
            use, empty = _blank(field)
            if use:
                result[name] = empty
            elif name == self.kind.name_field or (field.many_to_one and not field.null):
                raise ValueProblem(f"{field.verbose_name.capitalize()} is required")
            return
        if field.many_to_many:
            model = related_model(field)
            result[name] = [
                self.resolve(model, text, department_id) for text in values.split_list(raw)
            ]
        elif field.many_to_one or field.one_to_one:
            text = values.text(raw)
            try:
                result[name] = self.resolve(related_model(field), text, department_id)
            except values.NotFound:
                if name not in self.kind.adds:
                    raise
                result[name] = self.new.stand_in(name, related_model(field), text)
        elif field.choices:
            key = ("choice", name, raw)  # a few distinct labels, repeated on every row
            result[name] = self._lookup(key, lambda: self.choice(name, field, raw))
        elif _how(field) is REMEMBER and isinstance(raw, str):
            result[name] = self._scalar(name, field, raw)
        else:
            result[name] = _scalar(field, raw)

    def choice(self, name: str, field: models.Field, raw: Any) -> Any:
        """A choice cell: its value, label, another spelling, or as the person mapped it."""
        if name not in self._choices:
            pairs = [(str(k), str(v)) for k, v in field.flatchoices]
            self._choices[name] = values.Choices(pairs, self.kind.choice_spellings(name))
        found = values.choice(raw, self._choices[name], self.value_map.get(name))
        if found is not None and isinstance(field, models.IntegerField):
            return int(found)
        return found

    def _scalar(self, name: str, field: models.Field, raw: str) -> Any:
        """`_scalar`, remembered for the last few thousand cells (dates, amounts and counts
        repeat down a column); a ValueProblem is remembered too."""
        key = (name, raw)
        found = self._scalars.get(key, _MISSING)
        if found is _MISSING:
            try:
                found = _scalar(field, raw)
            except ValueProblem as exc:
                found = exc
            if len(self._scalars) >= SCALARS_REMEMBERED:
                self._scalars.clear()
            self._scalars[key] = found
        if isinstance(found, ValueProblem):
            raise ValueProblem(*found.args)
        return found


SCALARS_REMEMBERED = 20000
_MISSING = object()


TEXT, REMEMBER, CHOICE, OTHER = "text", "remember", "choice", "other"


def _how(field: models.Field | None) -> str:
    """How `_one` reads a filled cell of `field`: as plain text (`_scalar`'s last case),
    through `_scalar` with the result remembered (dates, amounts, counts, yes/no, which repeat
    down a column and cost more to read), or otherwise (references, choices, lists)."""
    if field is not None and field.choices and not field.is_relation:
        return CHOICE if not isinstance(field, models.IntegerField) else OTHER
    if field is None or field.is_relation or field.choices:
        return OTHER
    if isinstance(field, models.TextField) and field.name == "aliases":
        return OTHER
    if isinstance(field, models.JSONField):
        return OTHER
    special = (models.BooleanField, models.DateField, models.DecimalField, models.IntegerField)
    return REMEMBER if isinstance(field, special) else TEXT


class NewReferenceProblem(ValueProblem):
    """A record the row names could not be added after all; `field` is the row's field."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


class NewReferences:
    """Records a row names that nobody has yet, for the fields its kind may add them for
    (`ImportKind.adds`: the course a completions file names). As with tags, a new name is
    checked as the row is read (so the row is refused in the same words), and added
    through the write path only as the row is saved, in its savepoint: a refused row
    leaves nothing behind, and the rows after it naming the same record use the one
    added. Until then the row holds an unsaved record standing for it."""

    def __init__(self, user: Any, adds: dict[str, dict[str, Any]], source: str = "") -> None:
        self.user = user
        self.adds = adds
        self.source = source
        self._saved: dict[tuple[str, str], Any] = {}  # (field, name in lower case) -> record
        self._checked: set[tuple[str, str]] = set()

    def _values(self, name: str, model: type[models.Model], text: str) -> dict[str, Any]:
        found = {"name": text, **self.adds[name]}
        if self.source and any(f.name == "source" for f in model._meta.concrete_fields):
            found["source"] = self.source[:200]
        return found

    def stand_in(self, name: str, model: type[models.Model], text: str) -> Any:
        """The record added for `text` already, else an unsaved one standing for it;
        ValueProblem when the person may not add it or it would be refused."""
        key = (name, text.lower())
        if key in self._saved:
            return self._saved[key]
        label = model._meta.verbose_name
        if key not in self._checked:
            if not permissions.can_add(self.user, model):
                raise ValueProblem(f"No {label} called {text!r}, and you may not add one")
            try:
                model(**self._values(name, model, text)).full_clean()  # as create checks it
            except ValidationError as exc:
                raise ValueProblem(f"New {label} {text!r}: {' '.join(exc.messages)}") from exc
            self._checked.add(key)
        return model(**self._values(name, model, text))

    def pending(self, data: dict[str, Any]) -> bool:
        """Whether the row names a record still to be added."""
        return any(_unsaved(data.get(name)) for name in self.adds)

    def saved(self, data: dict[str, Any], added: list[tuple[str, str]]) -> dict[str, Any]:
        """`data` with the records it names added through the write path (each noted in
        `added`, so `forget` can drop them if the row's savepoint rolls back)."""
        result = dict(data)
        for name in self.adds:
            obj = data.get(name)
            if not isinstance(obj, models.Model) or not _unsaved(obj):
                continue
            model, text = type(obj), str(getattr(obj, "name", ""))
            key = (name, text.lower())
            if key not in self._saved:
                try:
                    record = services.create(self.user, model, self._values(name, model, text))
                except ValidationError as exc:
                    label = model._meta.verbose_name
                    message = f"New {label} {text!r}: {' '.join(exc.messages)}"
                    raise NewReferenceProblem(message, name) from exc
                self._saved[key] = record
                added.append(key)
            result[name] = self._saved[key]
        return result

    def forget(self, added: list[tuple[str, str]]) -> None:
        """Records added in a savepoint that was rolled back: no longer there."""
        for key in added:
            self._saved.pop(key, None)
        added.clear()

    def added(self) -> dict[str, list[str]]:
        """The names of the records added so far, by plural label, in the order added."""
        found: dict[str, list[str]] = {}
        for record in self._saved.values():
            plural = str(record._meta.verbose_name_plural)
            found.setdefault(plural, []).append(record.name)
        return found


def _unsaved(value: Any) -> bool:
    return isinstance(value, models.Model) and value.pk is None


TAG_SEPARATORS = re.compile(r"[,;\n]")


class TagNames:
    """Tags by name; a name no tag has yet is added through the write path, but only for a
    person who may add tags, so an import never invents a record its author could not.

    A new name is checked as the row is read (so the row is refused in the same words), but
    the tag is added only by `saved()`, as the row itself is saved: a row refused later
    leaves no tag behind. Until then the row holds an unsaved Tag standing for it."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self._by_name: dict[str, Tag] | None = None
        self._checked: set[str] = set()  # new names found fit to add (lower case)

    def get(self, raw: Any) -> list[Tag]:
        names = [n.strip() for n in TAG_SEPARATORS.split(values.text(raw)) if n.strip()]
        found: dict[Any, Tag] = {}
        for tag in map(self._one, names):
            found.setdefault(tag.pk if tag.pk is not None else ("new", tag.name.lower()), tag)
        return sorted(found.values(), key=_tag_order)

    def _known(self) -> dict[str, Tag]:
        if self._by_name is None:
            self._by_name = {t.name.lower(): t for t in Tag.objects.all()}
        return self._by_name

    def _one(self, name: str) -> Tag:
        key = name.lower()
        tag = self._known().get(key)
        if tag is not None:
            return tag
        if key not in self._checked:
            if not permissions.can_add(self.user, Tag):
                raise ValueProblem(f"No tag called {name!r}, and you may not add tags")
            try:
                Tag(name=name).full_clean()  # what services.create will check
            except ValidationError as exc:
                raise ValueProblem(f"Tag {name!r}: {' '.join(exc.messages)}") from exc
            self._checked.add(key)
        return Tag(name=name)  # as this row spells it: the first row kept names the tag

    def pending(self, tags: list[Tag]) -> bool:
        """Whether some of `tags` are still to be added."""
        return any(tag.pk is None for tag in tags)

    def saved(self, tags: list[Tag], added: list[Tag]) -> list[Tag]:
        """`tags` with the new ones added through the write path (each noted in `added`, so
        `forget` can drop them again if the caller's savepoint rolls back)."""
        if not self.pending(tags):
            return tags
        known = self._known()
        result = []
        for tag in tags:
            if tag.pk is None:
                key = tag.name.lower()
                if key not in known:
                    try:
                        known[key] = services.create(self.user, Tag, {"name": tag.name})
                    except ValidationError as exc:
                        raise ValueProblem(f"Tag {tag.name!r}: {' '.join(exc.messages)}") from exc
                    added.append(known[key])
                tag = known[key]
            result.append(tag)
        unique = {tag.pk: tag for tag in result}
        return sorted(unique.values(), key=_tag_order)

    def forget(self, added: list[Tag]) -> None:
        """Tags added in a savepoint that was rolled back: no longer there."""
        known = self._known()
        for tag in added:
            key = tag.name.lower()
            if known.get(key) is tag:
                del known[key]  # still in `_checked`: fit to add when a row is kept
        added.clear()


def _tag_order(tag: Tag) -> tuple[bool, Any]:
    """Saved tags by id, then new ones as the cell names them (the order they are added)."""
    return (tag.pk is None, tag.pk or 0)
