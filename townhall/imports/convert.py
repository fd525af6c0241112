"""One file row into field values for the write path, or the reasons it cannot be."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models

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
    """Turns rows of one file into field values, as one person sees the records."""

    def __init__(self, kind: Kind, mapping: dict[str, str], user: Any) -> None:
        self.kind = kind
        self.mapping = {h: f for h, f in mapping.items() if f}
        self.user = user
        self.column_of = {f: h for h, f in self.mapping.items()}

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
            if name == "owner_department":
                continue
            raw = record.get(heading)
            try:
                self._one(name, raw, department_id, result)
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
            dept = refs.resolve(Department, values.text(raw), self.user)
        except ValueProblem as exc:
            problems.append(Problem(number, heading, shown(raw), str(exc)))
            return None
        result["owner_department"] = dept
        return dept.pk

    def _one(self, name: str, raw: Any, department_id: int | None, result: dict) -> None:
        if name in ("from", "to"):
            if values.is_blank(raw):
                raise ValueProblem("Name what depends and what it depends on")
            target = refs.end(values.text(raw), self.user, department_id)
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
                refs.resolve(model, text, self.user, department_id)
                for text in values.split_list(raw)
            ]
        elif field.many_to_one:
            result[name] = refs.resolve(
                field.related_model, values.text(raw), self.user, department_id
            )
        else:
            result[name] = _scalar(field, raw)
