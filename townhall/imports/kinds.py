"""The kinds of record Townhall imports, and the columns each kind reads and writes.

The canonical columns are one list per kind, used three ways: the exact headings the
importer recognises first, the "Download a template" file, and the importable export. So
an export always imports back unchanged.
"""

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import models
from django.utils.text import capfirst

from townhall.imports.grid import Grid

# key -> (model, plural label), in the order a new city would load them.
MODELS: dict[str, str] = {
    "department": "org.Department",
    "person": "estate.Person",
    "location": "estate.Location",
    "vendor": "estate.Vendor",
    "contract": "estate.Contract",
    "service": "estate.Service",
    "system": "estate.System",
    "component": "estate.Component",
    "dependency": "estate.Dependency",
    "impact_analysis": "continuity.ImpactAnalysis",
    "recovery_capability": "continuity.RecoveryCapability",
}
# The estate's kinds (also the choices stored with an import run and a saved mapping).
CHOICES = [
    ("department", "Departments"),
    ("person", "People"),
    ("location", "Locations"),
    ("vendor", "Vendors"),
    ("contract", "Contracts"),
    ("service", "Services"),
    ("system", "Systems"),
    ("component", "Components"),
    ("dependency", "Dependencies"),
]
# Continuity records describe estate records, so they load after the estate.
CONTINUITY_CHOICES = [
    ("impact_analysis", "Impact analyses"),
    ("recovery_capability", "Recovery capabilities"),
]
ALL_CHOICES = [*CHOICES, *CONTINUITY_CHOICES]
# Kinds with one record per estate item, found by that item rather than by a name: an
# impact analysis by its service, a recovery capability by its system or its component.
ITEMS: dict[str, tuple[str, ...]] = {
    "impact_analysis": ("service",),
    "recovery_capability": ("system", "component"),
}

# Dependencies name their two ends in one column each: "system:Payroll", or just the name.
DEPENDENCY_FIELDS = ["from", "kind", "to", "owner_department", "external_id", "notes", "tags"]
# Never imported: set by the platform.
SKIPPED = {"version"}
HEADINGS = {
    "owner_department": "Department",
    "external_id": "External ID",
    "from": "From",
    "to": "To",
}
# How people head the column holding each kind's name.
NAME_SPELLINGS: dict[str, tuple[str, ...]] = {
    "department": ("department", "department name", "dept name", "agency", "division", "office"),
    "person": ("full name", "employee", "employee name", "contact", "person", "staff name"),
    "location": ("location", "site", "site name", "building", "facility"),
    "vendor": ("vendor", "vendor name", "supplier", "company", "manufacturer", "publisher"),
    "contract": ("contract", "contract title", "contract name", "agreement"),
    "service": ("service", "service name", "program"),
    "system": ("application name", "application", "app", "app name", "system", "system name"),
    "component": ("asset name", "hostname", "host name", "server", "server name", "device"),
    "dependency": (),
    "impact_analysis": ("service", "service name", "business service", "program"),
}


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    model: type[models.Model]
    fields: tuple[str, ...]
    grid: Grid | None = None  # a JSON grid read from one column per cell

    @property
    def items(self) -> tuple[str, ...]:
        """The fields naming the one estate item a record of this kind describes."""
        return ITEMS.get(self.key, ())

    @property
    def name_field(self) -> str:
        """The field people call the record by; "" for a recovery capability, which goes
        by its system or its component (see `items`)."""
        if self.items:
            return self.items[0] if len(self.items) == 1 else ""
        return "title" if self.key == "contract" else "name"

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
                result[name] = capfirst(str(self.model._meta.get_field(name).verbose_name))
        return result

    def spellings(self) -> dict[str, tuple[str, ...]]:
        result = {self.name_field: NAME_SPELLINGS.get(self.key, ())} if self.name_field else {}
        if self.grid is not None:
            result.update(self.grid.spellings())
        return result

    def choice_spellings(self, name: str) -> dict[str, tuple[str, ...]]:
        """value -> other words for it, for the choice field `name` (see `spellings`)."""
        from townhall.core import registry

        return registry.choice_spellings(self.model, name)

    def field(self, name: str) -> models.Field | None:
        if name in ("from", "to") or (self.grid is not None and name in self.grid.cells):
            return None
        return self.model._meta.get_field(name)


def _grid(key: str) -> Grid | None:
    if key != "impact_analysis":
        return None
    from townhall.continuity.models import CATEGORIES, LEVELS, POINTS

    return Grid("impacts", CATEGORIES, POINTS, LEVELS)


def _form_fields(key: str) -> tuple[str, ...]:
    if key == "dependency":
        return tuple(DEPENDENCY_FIELDS)
    from townhall.core import registry

    model = apps.get_model(MODELS[key])
    resource = registry.for_model(model)
    if resource is None:  # the department form lives in org; estate registers its own
        from townhall.org.forms import DepartmentForm

        names = DepartmentForm._meta.fields
    else:
        names = resource.form._meta.fields
    names = [n for n in names if n not in SKIPPED]
    grid = _grid(key)
    if grid is not None:  # the grid's field becomes one column per cell, in its place
        at = names.index(grid.field)
        names[at : at + 1] = list(grid.cells)
    if key in ITEMS and "external_id" not in names:  # matched by it, as every kind is
        names.insert(names.index("notes") if "notes" in names else len(names), "external_id")
    return tuple(names)


@cache
def get(key: str) -> Kind:
    """The kind called `key` ("system"); KeyError for an unknown one."""
    model = apps.get_model(MODELS[key])
    label = dict(ALL_CHOICES)[key]
    return Kind(key=key, label=label, model=model, fields=_form_fields(key), grid=_grid(key))


def all_kinds() -> list[Kind]:
    return [get(key) for key, _ in ALL_CHOICES]
