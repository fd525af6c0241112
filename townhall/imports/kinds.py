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
}
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
}


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    model: type[models.Model]
    fields: tuple[str, ...]

    @property
    def name_field(self) -> str:
        """The field people call the record by."""
        return "title" if self.key == "contract" else "name"

    def headings(self) -> dict[str, str]:
        """field -> canonical column heading, in column order."""
        result = {}
        for name in self.fields:
            if name in HEADINGS:
                result[name] = HEADINGS[name]
            else:
                result[name] = capfirst(str(self.model._meta.get_field(name).verbose_name))
        return result

    def spellings(self) -> dict[str, tuple[str, ...]]:
        return {self.name_field: NAME_SPELLINGS.get(self.key, ())}

    def field(self, name: str) -> models.Field | None:
        if name in ("from", "to"):
            return None
        return self.model._meta.get_field(name)


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
    return tuple(n for n in names if n not in SKIPPED)


@cache
def get(key: str) -> Kind:
    """The kind called `key` ("system"); KeyError for an unknown one."""
    model = apps.get_model(MODELS[key])
    label = dict(CHOICES)[key]
    return Kind(key=key, label=label, model=model, fields=_form_fields(key))


def all_kinds() -> list[Kind]:
    return [get(key) for key, _ in CHOICES]
