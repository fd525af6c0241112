"""The people module's kinds of record for the spreadsheet importer, registered by the app
config.

Positions come from the city's position control list (HR's or the budget office's): the
title is the name, found within its department; the team by name, the governance skill
pool by code or name, the market rate by name, the person filling it as
the estate finds people (by e-mail when the cell holds one, else by name), the position it
reports to by title. Proficiencies come from a skills survey as one row per person and
skill with a level: they have no name, so the person and the skill are the key
(`natural_key`) and reading the file again changes levels instead of adding rows. A skill
is found by its code (OG-WRL-001) or its name. Requisitions come from the applicant
tracking system's report: the title is the name, found within its department; the
position by title, the team by name, the person hired as the estate finds people, each
stage's day in its own column."""

from typing import Any

from django.db import models

from townhall.core import plugins, registry
from townhall.imports import refs
from townhall.imports.values import NotFound

POSITION_FIELDS = (
    "title",
    "grade",
    "team",
    "funded",
    "person",
    "vacant_since",
    "placement",
    "owner_department",
    "reports_to",
    "fte",
    "skill_pool",
    "available_hours",
    "fill_planned",
    "market_rate",
    "external_id",
    "notes",
)
PROFICIENCY_FIELDS = ("person", "skill", "level", "assessed_on", "notes")
REQUISITION_FIELDS = (
    "title",
    "kind",
    "position",
    "team",
    "owner_department",
    "stage",
    "openings",
    "opened_on",
    "approved_on",
    "posted_on",
    "offer_on",
    "filled_on",
    "closed_on",
    "applicants",
    "interviewed",
    "hired",
    "external_id",
    "notes",
)

# How people head the columns of the people module's own fields, in either kind.
COLUMN_SPELLINGS: dict[str, tuple[str, ...]] = {
    "person": ("employee", "employee name", "incumbent", "staff member", "filled by"),
    "team": ("team", "unit", "division", "section", "work unit"),
    "grade": ("grade", "pay grade", "class", "job class", "classification"),
    "funded": ("funded", "budgeted", "is funded"),
    "vacant_since": ("vacant since", "vacancy date", "date vacated", "vacant date"),
    "placement": ("placement", "central or embedded", "it placement"),
    "reports_to": ("reports to", "supervisor position", "reports to position"),
    "fte": ("fte", "full time equivalent", "fte count"),
    "skill_pool": ("skill pool", "resource pool", "staff pool"),
    "available_hours": ("available hours", "annual hours", "hours per year", "work hours"),
    "fill_planned": ("planned fill date", "expected fill date", "expected start", "fill by"),
    "market_rate": ("market rate", "market job", "survey job", "benchmark job"),
    "skill": ("skill", "skill name", "skill code", "competency", "work role", "nice role"),
    "level": ("level", "proficiency", "proficiency level", "skill level", "rating"),
    "assessed_on": ("assessed on", "assessment date", "rated on", "survey date"),
    "stage": ("stage", "requisition status", "hiring stage"),
    "openings": ("openings", "number of openings", "slots", "headcount"),
    "opened_on": ("opened on", "date opened", "open date", "requisition date"),
    "approved_on": ("approved on", "date approved", "approval date"),
    "posted_on": ("posted on", "date posted", "posting date"),
    "offer_on": ("offer made on", "offer date", "date offered"),
    "filled_on": ("filled on", "date filled", "fill date"),
    "closed_on": ("cancelled on", "canceled on", "date cancelled", "date canceled"),
    "applicants": ("applicants", "applications", "number of applicants"),
    "interviewed": ("interviewed", "candidates interviewed", "interviews"),
    "hired": ("hired", "hired person", "new hire", "selected candidate"),
}

KINDS = (
    plugins.ImportKind(
        key="position",
        label="Positions",
        model="people.Position",
        order=300,
        fields=POSITION_FIELDS,
        name_field="title",
        name_spellings=("title", "position", "position title", "job title", "working title"),
    ),
    plugins.ImportKind(
        key="proficiency",
        label="Proficiencies (skill levels)",
        model="people.Proficiency",
        order=310,
        fields=PROFICIENCY_FIELDS,
        natural_key=("person", "skill"),
        indexed=True,
    ),
    plugins.ImportKind(
        key="requisition",
        label="Requisitions",
        model="people.Requisition",
        order=320,
        fields=REQUISITION_FIELDS,
        name_field="title",
        name_spellings=("title", "requisition", "requisition title", "job title", "posting"),
    ),
)


def position(qs: models.QuerySet, text: str, department_id: int | None = None) -> Any:
    """A position by its title (its department's own when several share it)."""
    return refs.by_name(qs, "title", text, department_id)


def skill_pool(qs: models.QuerySet, text: str, department_id: int | None = None) -> Any:
    """A governance skill pool by its code (apps), else by its name (any case)."""
    found = list(qs.filter(code__iexact=text)[:2]) or list(qs.filter(name__iexact=text)[:2])
    if not found:
        raise NotFound(f"No skill pool with the code or name {text!r}: add it in governance")
    return refs.one(qs.model, found, text, None)


def skill(qs: models.QuerySet, text: str, department_id: int | None = None) -> Any:
    """A skill by its code (any case), else by its name (any case)."""
    found = list(qs.filter(code__iexact=text)[:2]) or list(qs.filter(name__iexact=text)[:2])
    if not found:
        raise NotFound(
            f"No skill with the code or name {text!r}: load the NICE core set or add the "
            "skill first, or check the spelling"
        )
    return refs.one(qs.model, found, text, None)


def register() -> None:
    registry.register_column_spellings("people", COLUMN_SPELLINGS)
    for kind in KINDS:
        plugins.register_import_kind(kind)
    plugins.register_import_finder("people.Position", position)
    plugins.register_import_finder("people.Skill", skill)
    plugins.register_import_finder("governance.SkillPool", skill_pool)
