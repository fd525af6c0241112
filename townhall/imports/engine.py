"""Run an import: every row through the write path, in one transaction, as one person.

A preview runs exactly like a commit and then rolls back, so its counts (created, updated,
unchanged, rejected) are what a commit would do, including rows that refer to records
created earlier in the same file.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from townhall.accounts.models import Role
from townhall.core import context, permissions, services
from townhall.imports import keys, parsing
from townhall.imports.convert import Problem, RowReader, shown
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

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in COUNTS}

    def report(self) -> list[dict[str, Any]]:
        return [p.as_dict() for p in self.problems]


class _Rollback(Exception):
    """Leaves the import's transaction without keeping anything."""


def identity_problem(kind: Kind, mapping: dict[str, str]) -> str:
    """Why no row of this file could be matched or named, or "" when a key column is mapped."""
    mapped = {f for f in mapping.values() if f}
    needed = {"dependency": {"from", "to"}}.get(kind.key, {kind.name_field})
    if needed <= mapped or "external_id" in mapped:
        return ""
    headings = kind.headings()
    names = " and ".join(headings[f] for f in sorted(needed))
    return f"No column is mapped to {names}; choose which column holds it."


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
) -> Outcome:
    """Import `sheet` as `user`. Nothing is kept unless `commit`, and then only when no row
    was rejected or `valid_only` says to keep the valid ones."""
    outcome = Outcome()
    importer = _Importer(user, kind, mapping, source)
    with context.acting("import"):
        try:
            with transaction.atomic():
                for done, (number, record) in enumerate(sheet.records(), start=1):
                    importer.row(number, record, outcome)
                    if progress and done % 100 == 0:
                        progress(done)
                keep = commit and (outcome.rejected == 0 or valid_only)
                if not keep:
                    raise _Rollback
                outcome.committed = True
        except _Rollback:
            pass
    return outcome


class _Importer:
    def __init__(self, user: Any, kind: Kind, mapping: dict[str, str], source: str) -> None:
        self.user = user
        self.kind = kind
        self.reader = RowReader(kind, mapping, user)
        self.source = source
        fields = {f.name for f in kind.model._meta.concrete_fields}
        self.has_source = "source" in fields  # a dependency's `source` is its "from" end
        self.owned = "owner_department" in {f.name for f in kind.model._meta.fields} and (
            kind.key != "department"
        )

    def row(self, number: int, record: dict[str, Any], outcome: Outcome) -> None:
        problems = self._write(number, record, outcome)
        if problems:
            outcome.rejected += 1
            outcome.problems.extend(problems)

    def _write(self, number: int, record: dict[str, Any], outcome: Outcome) -> list[Problem]:
        data, problems = self.reader.read(number, record)
        if problems:
            return problems
        if self.owned and "owner_department" not in data and self._liaison():
            data["owner_department"] = self.user.department  # their own, as the add form does
        try:
            current = keys.existing(self.kind, data)
        except ValueProblem as exc:
            return [Problem(number, "", "", str(exc))]
        refusal = self._refusal(current, data)
        if refusal:
            heading = self.reader.heading("owner_department")
            return [Problem(number, heading, shown(record.get(heading)), refusal)]
        try:
            with transaction.atomic():  # a savepoint: a failed row leaves no trace
                if current is None:
                    if self.source and "source" not in data and self.has_source:
                        data["source"] = self.source[:200]
                    services.create(self.user, self.kind.model, data)
                    outcome.created += 1
                else:
                    before = current.version
                    saved = services.update(self.user, current, data, version=None)
                    if saved.version != before:
                        outcome.updated += 1
                    else:
                        outcome.unchanged += 1
        except ValidationError as exc:
            return self._invalid(number, record, exc)
        except PermissionDenied as exc:
            return [Problem(number, "", "", str(exc))]
        except IntegrityError as exc:
            return [Problem(number, "", "", f"Conflicts with a record already saved ({exc}).")]
        return []

    def _liaison(self) -> bool:
        return getattr(self.user, "role", None) == Role.LIAISON and bool(
            getattr(self.user, "department_id", None)
        )

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
        dept = data.get("owner_department", getattr(current, "owner_department", None))
        dept_id = dept.pk if dept is not None else None
        if current is None:
            allowed = permissions.can_add(self.user, model, dept_id)
        else:
            allowed = permissions.can(self.user, "change", current) and (
                not self.owned or permissions.can_add(self.user, model, dept_id)
            )
        if allowed:
            return ""
        if self._liaison() and self.owned:
            where = dept.name if dept is not None else "no department"
            mine = self.user.department.name
            if current is not None and current.owner_department_id != self.user.department_id:
                where = str(current.owner_department or "no department")
            return (
                f"Department liaisons can import only rows for their own department ({mine}); "
                f"this row is for {where}."
            )
        return f"You may not {'add' if current is None else 'change'} {plural}."

    def _invalid(self, number: int, record: dict, exc: ValidationError) -> list[Problem]:
        problems = []
        errors = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc}
        for name, errs in errors.items():
            heading = self.reader.heading(name) if name != NON_FIELD_ERRORS else ""
            messages = ValidationError(errs).messages
            label = ""
            if not heading and name != NON_FIELD_ERRORS:
                field = self.kind.model._meta.get_field(name)
                label = f"{str(field.verbose_name).capitalize()}: "
            for message in messages:
                value = shown(record.get(heading)) if heading else ""
                problems.append(Problem(number, heading, value, label + message))
        return problems
