"""The kinds of record Townhall imports, and the columns each kind reads and writes.

The canonical columns are one list per kind, used three ways: the exact headings the
importer recognises first, the "Download a template" file, and the importable export. So
an export always imports back unchanged.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.text import capfirst

from townhall.core import plugins
from townhall.core.forms import edited_fields, read_only_fields
from townhall.core.models import field_named
from townhall.imports import mapping
from townhall.imports.grid import Grid

# Never imported: set by the platform.
SKIPPED = {"version"}
HEADINGS = {
    "owner_department": "Department",
    "external_id": "External ID",
    "from": "From",
    "to": "To",
}
# Departments are the platform's own kind; each module registers its kinds the same way in
# its app config (`core.plugins.register_import_kind`: estate/imports.py,
# continuity/imports.py). Nothing here names a module.
DEPARTMENT = plugins.ImportKind(
    key="department",
    label="Departments",
    model="org.Department",
    order=0,
    name_spellings=("department", "department name", "dept name", "agency", "division", "office"),
)


def choices() -> list[tuple[str, str]]:
    """(key, plural label) of every kind, in the order a new city loads them; also the
    choices stored with an import run and a saved mapping (a callable, so a new module's
    kinds need no migration here)."""
    return [(k.key, k.label) for k in plugins.import_kinds()]


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    model: type[models.Model]
    fields: tuple[str, ...]
    grid: Grid | None = None  # a JSON grid read from one column per cell
    registered: plugins.ImportKind | None = None

    @property
    def items(self) -> tuple[str, ...]:
        """The fields naming the one estate item a record of this kind describes."""
        return self.registered.items if self.registered else ()

    @property
    def indexed(self) -> bool:
        """Matched from an index of every key in memory, without a query per row."""
        return bool(self.registered and self.registered.indexed)

    @property
    def adds(self) -> dict[str, dict[str, Any]]:
        """Reference fields whose unknown names the import adds (see `ImportKind.adds`)."""
        return self.registered.adds if self.registered else {}

    @property
    def fixed(self) -> dict[str, Any]:
        """Values every row takes whatever the file says (see `ImportKind.fixed`)."""
        return self.registered.fixed if self.registered else {}

    @property
    def links(self) -> bool:
        """A link between two records, each named in a "From" and a "To" column."""
        return bool(self.registered and self.registered.ends)

    @property
    def link_key(self) -> tuple[str, ...]:
        return self.registered.link_key if self.registered else ()

    @property
    def unique_within(self) -> str:
        return self.registered.unique_within if self.registered else ""

    @property
    def other_keys(self) -> tuple[str, ...]:
        return self.registered.other_keys if self.registered else ()

    @property
    def other_keys_within(self) -> tuple[str, ...]:
        return self.registered.other_keys_within if self.registered else ()

    @property
    def alias_field(self) -> str:
        return self.registered.alias_field if self.registered else ""

    @property
    def natural_key(self) -> tuple[str, ...]:
        """The fields that together name one record of a kind without a name; () otherwise."""
        return self.registered.natural_key if self.registered else ()

    @property
    def occurrence(self) -> str:
        """The natural key's field the importer counts identical rows in (see
        `ImportKind.occurrence`); "" for none."""
        return self.registered.occurrence if self.registered else ""

    @property
    def settled_by(self) -> str:
        """The natural key's field a record leaves empty until settled (see
        `ImportKind.settled_by`); "" for none."""
        return self.registered.settled_by if self.registered else ""

    def key_columns(self) -> tuple[str, ...]:
        """The natural key's fields a file must have columns for: not the occurrence, which
        the importer counts, nor those with a default or that may be empty, read as the
        default (or empty) when absent."""
        return tuple(
            name
            for name in self.natural_key
            if name != self.occurrence and not _may_be_absent(field_named(self.model, name))
        )

    def key_defaults(self) -> dict[str, Any]:
        """The natural key's fields with a default or that may be empty, and the default
        (None for an empty one; see `key_columns`)."""
        found = {}
        for name in self.natural_key:
            field = field_named(self.model, name)
            if name != self.occurrence and _may_be_absent(field):
                found[name] = field.get_default()
        return found

    @property
    def name_field(self) -> str:
        """The field people call the record by; "" for a recovery capability, which goes
        by its system or its component (see `items`), and for a kind named by its
        `natural_key`."""
        if self.natural_key:
            return ""
        if self.items:
            return self.items[0] if len(self.items) == 1 else ""
        return self.registered.name_field if self.registered else "name"

    def headings(self) -> dict[str, str]:
        """field -> canonical column heading, in column order."""
        cells = self.grid.headings() if self.grid is not None else {}
        result = {}
        for name in self.fields:
            if name in HEADINGS:
                result[name] = HEADINGS[name]
            elif name in cells:
                result[name] = cells[name]
            else:
                result[name] = capfirst(str(field_named(self.model, name).verbose_name))
        return result

    def spellings(self) -> dict[str, tuple[str, ...]]:
        """How people head the columns: the name's, the other columns' the kind registered,
        and a grid's cells'."""
        said = self.registered.name_spellings if self.registered else ()
        result = {self.name_field: said} if self.name_field else {}
        if self.registered is not None:
            result.update(self.registered.column_spellings)
        if self.grid is not None:
            result.update(self.grid.spellings())
        return result

    def guess(self, headers: Sequence[str]) -> dict[str, str]:
        """{heading: field, or "" to ignore}: the importer's first proposal for a file."""
        return mapping.guess(headers, self.headings(), self.spellings(), self.common_spellings())

    def common_spellings(self) -> dict[str, tuple[str, ...]]:
        """How people head the columns of the fields kinds share: the platform's, then
        those the kind's app registered for its own fields."""
        from townhall.core import registry

        own = registry.column_spellings(self.model._meta.app_label)
        return {**mapping.SYNONYMS, **own}

    def choice_spellings(self, name: str) -> dict[str, tuple[str, ...]]:
        """value -> other words for it, for the choice field `name` (see `spellings`)."""
        from townhall.core import registry

        return registry.choice_spellings(self.model, name)

    def field(self, name: str) -> models.Field | None:
        if name in ("from", "to") or (self.grid is not None and name in self.grid.cells):
            return None
        return field_named(self.model, name)


def _may_be_absent(field: models.Field) -> bool:
    """A key field a file need not give: it has a default, or may be empty (a surveillance
    review is of a pilot or of a system, so one of the two is always empty)."""
    return field.has_default() or field.null


def _registered(key: str) -> plugins.ImportKind:
    for kind in plugins.import_kinds():
        if kind.key == key:
            return kind
    raise KeyError(key)


def _form_fields(registered: plugins.ImportKind, grid: Grid | None) -> tuple[str, ...]:
    if registered.fields:
        return tuple(registered.fields)
    from townhall.core import registry

    model = apps.get_model(registered.model)
    resource = registry.for_model(model)
    if resource is None:  # the department form lives in org; modules register their own
        from townhall.org.forms import DepartmentForm

        names = edited_fields(DepartmentForm)
    else:
        # What the form only shows (set by the app itself) is not read from a file either.
        shown_only = read_only_fields(resource.form)
        names = [n for n in edited_fields(resource.form) if n not in shown_only]
    names = [n for n in names if n not in SKIPPED]
    if grid is not None:  # the grid's field becomes one column per cell, in its place
        at = names.index(grid.field)
        names[at : at + 1] = list(grid.cells)
    if registered.items and "external_id" not in names:  # matched by it, as every kind is
        names.insert(names.index("notes") if "notes" in names else len(names), "external_id")
    return tuple(names)


@cache
def get(key: str) -> Kind:
    """The kind called `key` ("system"); KeyError for an unknown one."""
    registered = _registered(key)
    grid = registered.grid() if registered.grid is not None else None
    return Kind(
        key=key,
        label=registered.label,
        model=apps.get_model(registered.model),
        fields=_form_fields(registered, grid),
        grid=grid,
        registered=registered,
    )


def all_kinds() -> list[Kind]:
    return [get(key) for key, _ in choices()]
