"""The estate's kinds of record for the spreadsheet importer, and how it finds them.

Registered by the app config (`register`) with the platform's registry, which the importer
reads (`core.plugins`): the kinds in the order a new city loads them, the headings people
give the column with a record's name, the two ends of a dependency, and the finders for
records not found by name alone (a vendor by any of its spellings, a person by e-mail).
"""

from typing import Any

from django.db import models

from townhall.core import plugins, registry
from townhall.imports import refs

# Dependencies name their two ends in one column each: "system:Payroll", or just the name.
DEPENDENCY_FIELDS = ("from", "kind", "to", "owner_department", "external_id", "notes", "tags")

# How people head the columns of the estate's own fields, in any of its kinds; the
# importer tries them after the platform's spellings of the fields every kind has.
COLUMN_SPELLINGS: dict[str, tuple[str, ...]] = {
    "vendor": ("vendor", "vendor name", "supplier", "company", "manufacturer", "publisher"),
    "manufacturer": ("manufacturer", "make", "mfr", "brand", "oem"),
    "end_of_support": (
        "eos",
        "end of support",
        "end of life",
        "eol",
        "support ends",
        "end of support date",
        "eos date",
        "eol date",
    ),
    "support_state": ("support status", "support state", "support", "vendor support"),
    "end_of_sale": ("eosl", "end of sale", "end of sale date"),
    "end_of_security_fixes": ("end of security fixes", "security support ends"),
    "general_availability": ("ga", "general availability", "release date"),
    "asset_tag": ("asset tag", "asset", "serial", "serial number", "serial no", "tag", "s n"),
    "model_number": ("model", "model number", "model no", "model #"),
    "product_version": ("version", "product version", "release"),
    "number": ("contract number", "contract no", "contract #", "number", "po", "po number"),
    "title": ("contract title", "title", "contract", "description", "job title", "position"),
    "start": ("start", "start date", "begins", "effective date", "term start"),
    "end": ("end", "end date", "expires", "expiration", "expiration date", "term end"),
    "annual_cost": ("annual cost", "cost per year", "yearly cost", "annual amount"),
    "total_value": ("total value", "contract value", "total", "amount"),
    "auto_renew": ("auto renew", "auto renews", "automatic renewal", "renews"),
    "install_date": ("install date", "installed", "in service date", "purchase date"),
    "location": ("location", "site", "building", "data center"),
    "quantity": ("quantity", "qty", "count", "units"),
    "replacement_cost": ("replacement cost", "cost to replace"),
    "business_owner": ("business owner", "owner name", "product owner"),
    "technical_owner": ("technical owner", "tech owner", "it owner", "admin"),
    "hosting": ("hosting", "hosted", "deployment", "hosting model"),
    "lifecycle": ("lifecycle", "status", "life cycle", "stage"),
    "criticality": ("criticality", "tier", "criticality tier", "priority"),
    "users": ("users", "user count", "number of users", "seats"),
    "go_live": ("go live", "go live date", "implemented", "implementation date"),
    "holds_cjis": ("cjis",),
    "holds_hipaa": ("hipaa", "phi"),
    "holds_pci": ("pci", "card data"),
    "holds_pii": ("pii", "personal data"),
    "purpose": ("purpose", "description", "what it does"),
    "cost_license": ("license cost", "licence cost", "annual license", "licensing"),
    "cost_support": ("support cost", "maintenance cost", "annual maintenance"),
    "cost_hosting": ("hosting cost",),
    "cost_staff": ("staff cost",),
    "is_it_staff": ("it staff", "is it staff", "it"),
    "aliases": ("aliases", "alias", "also known as", "aka", "other names"),
    "website": ("website", "web site", "url", "web"),
    "address": ("address", "street address"),
    "from": ("from", "what depends", "source", "depends", "dependent"),
    "to": ("to", "on what", "depends on", "target", "requires"),
}

KINDS = (
    plugins.ImportKind(
        key="person",
        label="People",
        model="estate.Person",
        order=10,
        name_spellings=(
            "full name",
            "employee",
            "employee name",
            "contact",
            "person",
            "staff name",
        ),
        indexed=True,
    ),
    plugins.ImportKind(
        key="location",
        label="Locations",
        model="estate.Location",
        order=20,
        name_spellings=("location", "site", "site name", "building", "facility"),
        unique_within="",
        indexed=True,
    ),
    plugins.ImportKind(
        key="vendor",
        label="Vendors",
        model="estate.Vendor",
        order=30,
        name_spellings=(
            "vendor",
            "vendor name",
            "supplier",
            "company",
            "manufacturer",
            "publisher",
        ),
        unique_within="",
        alias_field="aliases",
        indexed=True,
    ),
    plugins.ImportKind(
        key="contract",
        label="Contracts",
        model="estate.Contract",
        order=40,
        name_field="title",
        name_spellings=("contract", "contract title", "contract name", "agreement"),
        unique_within="vendor",
        other_keys=("number",),
    ),
    plugins.ImportKind(
        key="service",
        label="Services",
        model="estate.Service",
        order=50,
        name_spellings=("service", "service name", "program"),
        indexed=True,
    ),
    plugins.ImportKind(
        key="system",
        label="Systems",
        model="estate.System",
        order=60,
        name_spellings=(
            "application name",
            "application",
            "app",
            "app name",
            "system",
            "system name",
        ),
        indexed=True,
    ),
    plugins.ImportKind(
        key="component",
        label="Components",
        model="estate.Component",
        order=70,
        name_spellings=("asset name", "hostname", "host name", "server", "server name", "device"),
        indexed=True,
    ),
    plugins.ImportKind(
        key="redundancy_group",
        label="Redundancy groups",
        model="estate.RedundancyGroup",
        order=75,
        fields=(
            "name",
            "description",
            "systems",
            "components",
            "owner_department",
            "external_id",
            "notes",
            "tags",
        ),
        name_spellings=("group", "group name", "redundancy group", "cluster", "pool"),
        column_spellings={
            "systems": ("systems", "member systems", "applications"),
            "components": ("components", "members", "member components", "servers", "devices"),
        },
        indexed=True,
    ),
    plugins.ImportKind(
        key="dependency",
        label="Dependencies",
        model="estate.Dependency",
        order=80,
        fields=DEPENDENCY_FIELDS,
        ends={
            "service": "estate.Service",
            "system": "estate.System",
            "component": "estate.Component",
        },
        target_ends={"group": "estate.RedundancyGroup"},
        link_key=("kind",),
        indexed=True,
    ),
)


def vendor(qs: models.QuerySet, text: str, department_id: int | None = None) -> Any:
    """A vendor by its name or any of its other spellings."""
    found = list(qs.filter(name__iexact=text)[:2])
    if not found:
        wanted = text.lower()
        found = [
            v
            for v in qs.filter(aliases__icontains=text)
            if wanted in (a.lower() for a in v.alias_list())
        ]
    return refs.one(qs.model, found, text, None)


def person(qs: models.QuerySet, text: str, department_id: int | None) -> Any:
    """A person by e-mail, else by name (their department's own when several share it)."""
    if "@" in text:
        return refs.one(qs.model, list(qs.filter(email__iexact=text)[:10]), text, department_id)
    return refs.by_name(qs, "name", text, department_id)


def register() -> None:
    registry.register_column_spellings("estate", COLUMN_SPELLINGS)
    for kind in KINDS:
        plugins.register_import_kind(kind)
    plugins.register_import_finder("estate.Vendor", vendor)
    plugins.register_import_finder("estate.Person", person)
