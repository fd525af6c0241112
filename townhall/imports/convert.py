"""One file row into field values for the write path, or the reasons it cannot be."""

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from townhall.core import permissions, services
from townhall.core.models import Tag
from townhall.imports import refs, values
from townhall.imports.kinds import Kind
from townhall.imports.values import ValueProblem


@dataclass
class Problem:
    """One reason a row was rejected: as the person sees the row in their file."""

    row: int
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}


def shown(raw: Any) -> str:
    """A cell as the report quotes it."""
    return values.text(raw)[:200]


def _scalar(field: models.Field, raw: Any) -> Any:
    if field.choices:
        return values.choice(raw, [(str(k), str(v)) for k, v in field.flatchoices])
    if isinstance(field, models.BooleanField):
        return values.boolean(raw)
    if isinstance(field, models.DateField):
        return values.date(raw)
    if isinstance(field, models.DecimalField):
        amount = values.money(raw)
        return amount.quantize(Decimal(1).scaleb(-field.decimal_places))
    if isinstance(field, models.IntegerField):
        return values.whole_number(raw)
    if isinstance(field, models.TextField) and field.name == "aliases":
        return "\n".join(values.split_list(raw))
    return values.text(raw)


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
    remembered, because rows earlier in the file may add or rename them."""

    def __init__(self, kind: Kind, mapping: dict[str, str], user: Any) -> None:
        self.kind = kind
        self.mapping = {h: f for h, f in mapping.items() if f}
        self.user = user
        self.column_of = {f: h for h, f in self.mapping.items()}
        self.tags = TagNames(user)
        self._seen: dict[tuple, Any] = {}

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
        return self._lookup(
            ("ref", model, text, department_id),
            lambda: refs.resolve(model, text, self.user, department_id),
            fresh=model is self.kind.model,
        )

    def end(self, text: str, department_id: int | None) -> Any:
        return self._lookup(
            ("end", text, department_id),
            lambda: refs.end(text, self.user, department_id),
            fresh=self.kind.model in refs.ENDS.values(),
        )

    def heading(self, field: str) -> str:
        """The file's column for a field (dependency ends answer for their six fields)."""
        if field.startswith(("from_", "to_")) and self.kind.key == "dependency":
            field = field.split("_", 1)[0]
        return self.column_of.get(field, "")

    def read(self, number: int, record: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
        result: dict[str, Any] = {}
        problems: list[Problem] = []
        department_id = self._department(record, result, problems, number)
        for heading, name in self.mapping.items():
            if name in ("owner_department", "tags"):
                continue
            raw = record.get(heading)
            try:
                self._one(name, raw, department_id, result)
            except ValueProblem as exc:
                problems.append(Problem(number, heading, shown(raw), str(exc)))
        heading = self.column_of.get("tags")
        if heading and not problems:  # only a row that is otherwise good may add tags
            raw = record.get(heading)
            try:
                result["tags"] = self.tags.get(raw)
            except ValueProblem as exc:
                problems.append(Problem(number, heading, shown(raw), str(exc)))
        return result, problems

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

    def _one(self, name: str, raw: Any, department_id: int | None, result: dict) -> None:
        if name in ("from", "to"):
            if values.is_blank(raw):
                raise ValueProblem("Name what depends and what it depends on")
            target = self.end(values.text(raw), department_id)
            for end in refs.ENDS:
                result[f"{name}_{end}"] = target if target._meta.model_name == end else None
            return
        field = self.kind.field(name)
        if values.is_blank(raw):
            use, empty = _blank(field)
            if use:
                result[name] = empty
            elif name == self.kind.name_field or (field.many_to_one and not field.null):
                raise ValueProblem(f"{field.verbose_name.capitalize()} is required")
            return
        if field.many_to_many:
            model = field.related_model
            result[name] = [
                self.resolve(model, text, department_id) for text in values.split_list(raw)
            ]
        elif field.many_to_one:
            result[name] = self.resolve(field.related_model, values.text(raw), department_id)
        elif field.choices and isinstance(raw, str):
            key = ("choice", name, raw)  # a few distinct labels, repeated on every row
            result[name] = self._lookup(key, lambda: _scalar(field, raw))
        else:
            result[name] = _scalar(field, raw)


TAG_SEPARATORS = re.compile(r"[,;\n]")


class TagNames:
    """Tags by name; a name no tag has yet is added through the write path, but only for a
    person who may add tags, so an import never invents a record its author could not."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self._by_name: dict[str, Tag] | None = None

    def get(self, raw: Any) -> list[Tag]:
        names = [n.strip() for n in TAG_SEPARATORS.split(values.text(raw)) if n.strip()]
        found = {tag.pk: tag for tag in map(self._one, names)}
        return sorted(found.values(), key=lambda tag: tag.pk)

    def _one(self, name: str) -> Tag:
        if self._by_name is None:
            self._by_name = {t.name.lower(): t for t in Tag.objects.all()}
        tag = self._by_name.get(name.lower())
        if tag is None:
            if not permissions.can_add(self.user, Tag):
                raise ValueProblem(f"No tag called {name!r}, and you may not add tags")
            try:
                tag = services.create(self.user, Tag, {"name": name})
            except ValidationError as exc:
                raise ValueProblem(f"Tag {name!r}: {' '.join(exc.messages)}") from exc
            self._by_name[name.lower()] = tag
        return tag
