"""The registers' kinds of record for the spreadsheet importer, registered by the app
config (`apps.py` ready())."""

from typing import Any

from django.db import models

from townhall.core import plugins
from townhall.imports import refs
from townhall.registers import ai_inventory, pilots

# How people head the review columns every register's records have.
REVIEW_SPELLINGS: dict[str, tuple[str, ...]] = {
    "review_owner": ("review owner", "reviewer", "reviewed by"),
    "last_reviewed_on": ("last reviewed", "last review", "date last reviewed"),
    "next_review_on": ("next review", "next review date", "review due", "next review on"),
}

# --- AI use cases ---
# The federal inventory's headings are the kind's spellings of our fields, so the federal
# file maps without editing (its values' words are in spellings.py).
AI_USE_CASE = plugins.ImportKind(
    key="ai_use_case",
    label="AI use cases",
    model="registers.AIUseCase",
    order=800,
    fields=(
        *ai_inventory.fields(),
        "review_owner",
        "last_reviewed_on",
        "next_review_on",
        "notes",
    ),
    column_spellings=ai_inventory.spellings(),
)


# --- Emergency communications ---
# Talkgroups name the radio system (an estate component) they live on, so they load after
# the estate; partner agencies stand alone.
RADIO_KINDS = (
    plugins.ImportKind(
        key="radio_talkgroup",
        label="Talkgroups and channels",
        model="registers.Talkgroup",
        order=400,
        name_spellings=("talkgroup", "talkgroup name", "channel", "channel name", "alias"),
        column_spellings={
            "radio_system": ("radio system", "system", "trunked system", "radio network"),
            "purpose": ("purpose", "use", "usage type"),
            "encrypted": ("encrypted", "encryption", "secure"),
            "identifier": ("talkgroup id", "tgid", "channel id", "decimal id", "frequency"),
        },
    ),
    plugins.ImportKind(
        key="radio_partner_agency",
        label="Partner agencies (radio)",
        model="registers.PartnerAgency",
        order=405,
        name_spellings=("agency", "agency name", "partner", "partner agency"),
        column_spellings={"kind": ("agency type", "partner type", "type", "kind")},
    ),
)


# --- Social media accounts ---
# An account is the platform and its handle (the database holds one of each pair), so a
# communications office's account list read again finds the accounts it added.
SOCIAL_ACCOUNT = plugins.ImportKind(
    key="social_account",
    label="Social media accounts",
    model="registers.SocialAccount",
    order=810,
    natural_key=("platform", "handle"),
    column_spellings={
        "platform": ("platform", "network", "social network", "social platform", "channel"),
        "handle": (
            "handle",
            "account",
            "account name",
            "username",
            "user name",
            "screen name",
            "page name",
        ),
        "address": ("url", "link", "profile url", "page url", "profile link"),
        "owner": ("account owner", "owned by", "content owner", "responsible person"),
        "administrators": ("administrators", "admins", "page admins", "who has access"),
        "multi_factor": (
            "mfa",
            "2fa",
            "mfa enabled",
            "two factor",
            "multi factor",
            "two step verification",
        ),
        "credentials_kept_in": (
            "credentials",
            "credentials kept in",
            "password kept in",
            "password location",
            "password stored in",
        ),
        "recovery_email": ("recovery email", "recovery e mail", "reset email"),
        "recovery_phone": ("recovery phone", "recovery number", "phone on account"),
        "recovery_phone_government": ("government phone", "city phone", "county phone"),
        "recovery_person": ("recovery contact", "recovery person", "recovery belongs to"),
        **REVIEW_SPELLINGS,
    },
)


# --- Data inventory ---
# The spreadsheet inventory most cities keep beside (or before) a data.json: a dataset is
# found by its catalog identifier, which is unique across the government (the data.json
# import matches on it too), so a dataset moved to another department is found all the same.
DATASET = plugins.ImportKind(
    key="dataset",
    label="Datasets",
    model="registers.Dataset",
    order=820,
    name_field="title",
    name_spellings=("title", "dataset", "dataset name", "dataset title", "name"),
    unique_within="",
    other_keys=("identifier",),
    column_spellings={
        "identifier": ("identifier", "dataset id", "unique identifier", "uid", "catalog id"),
        "description": ("description", "summary", "about the data"),
        "keywords": ("keywords", "keyword", "search terms"),
        "themes": ("themes", "theme", "category", "categories", "topic"),
        "steward": ("steward", "data steward", "data owner", "custodian"),
        "contact_name": ("contact", "contact name", "point of contact"),
        "contact_email": ("contact email", "contact e mail", "mbox"),
        "system": ("system", "system of record", "source system", "application"),
        "classification": ("classification", "data classification", "sensitivity"),
        "personal_data": ("pii", "personal data", "contains pii", "personal information"),
        "sensitive_personal_data": ("sensitive pii", "sensitive personal data", "sensitive"),
        "childrens_data": ("childrens data", "data about children", "minors data"),
        "retention_schedule": ("retention schedule", "records schedule", "retention item"),
        "retention_years": ("retention years", "retention period", "years kept", "retention"),
        "accrual_periodicity": (
            "update frequency",
            "frequency",
            "refresh frequency",
            "accrual periodicity",
        ),
        "access_level": ("access level", "accesslevel", "public access"),
        "rights": ("rights", "access restrictions", "restriction reason"),
        "landing_page": ("landing page", "open data url", "portal link", "url", "link"),
        "license": ("license", "licence"),
        "spatial": ("spatial", "geography", "coverage area"),
        "temporal": ("temporal", "time period", "date range"),
        "issued": ("issued", "published", "publication date", "first published"),
        "data_modified_on": ("modified", "last updated", "last modified", "data updated"),
        **REVIEW_SPELLINGS,
    },
)


# --- Innovation pilots and emerging technology ---
# A pilot is its title within its sponsor department. Its stage is read for a new pilot
# (one already running is recorded at its stage, as the add page allows); for a pilot on
# file the write path refuses any change of stage, which only the move verb makes
# (`pilot_moves.move`), so a file cannot skip a move or its surveillance review.
PILOT = plugins.ImportKind(
    key="pilot",
    label="Innovation pilots",
    model="registers.Pilot",
    order=830,
    name_field="title",
    name_spellings=("title", "pilot", "pilot name", "project", "project name", "initiative"),
    # The add form's fields, and the External ID (not on the form) so that an exported list
    # finds a pilot again after its title changes.
    fields=(
        "title",
        "technology",
        "description",
        "stage",
        *pilots.DAY_FIELD.values(),
        "owner_department",
        "vendor",
        "data_collected",
        "personal_data",
        "evaluation_criteria",
        "results",
        "systems",
        "components",
        "review_owner",
        "last_reviewed_on",
        "next_review_on",
        "external_id",
        "notes",
    ),
    column_spellings={
        "owner_department": ("sponsor", "sponsor department", "sponsoring department"),
        "technology": ("technology", "kind of technology", "technology type", "tech"),
        "description": ("description", "summary", "what it tries", "scope"),
        "stage": ("stage", "status", "phase", "pilot stage"),
        "idea_on": ("idea date", "proposed on", "date proposed", "idea recorded on"),
        "pilot_on": ("pilot start", "pilot started", "start date", "launch date"),
        "evaluation_on": ("evaluation start", "evaluation date", "evaluated on"),
        "scaled_on": ("scaled on", "scale date", "adopted on", "rollout date"),
        "stopped_on": ("stopped on", "date stopped", "ended on", "cancelled on"),
        "vendor": ("vendor", "company", "supplier"),
        "data_collected": ("data collected", "what data"),
        "personal_data": ("personal data", "pii", "collects pii"),
        "evaluation_criteria": ("evaluation criteria", "success criteria", "success measures"),
        "results": ("results", "outcome", "findings", "lessons learned"),
        "systems": ("systems", "applications"),
        "components": ("components", "devices", "sensors", "hardware"),
        **REVIEW_SPELLINGS,
    },
)
# A review is of one pilot or one system, decided on a day: those three are its key (the
# one of pilot and system it is not of is matched empty). A pending review has no day yet:
# a row giving the decision and its day, finding no review decided that day, settles the
# pending review of the same pilot or system (`settled_by`) rather than adding a second.
SURVEILLANCE_REVIEW = plugins.ImportKind(
    key="surveillance_review",
    label="Surveillance reviews",
    model="registers.SurveillanceReview",
    order=835,
    natural_key=("pilot", "system", "decided_on"),
    settled_by="decided_on",
    fields=(
        "pilot",
        "system",
        "owner_department",
        "collected",
        "retention",
        "access",
        "community_input",
        "community_input_on",
        "decision",
        "conditions",
        "decided_on",
        "review_owner",
        "last_reviewed_on",
        "next_review_on",
        "external_id",
        "notes",
    ),
    column_spellings={
        "pilot": ("pilot", "pilot name", "project"),
        "system": ("system", "application", "system name"),
        "collected": ("what is collected", "data collected", "collects"),
        "retention": ("retention", "retention period", "how long kept"),
        "access": ("access", "who can access", "who has access"),
        "community_input": ("community input", "public input", "community engagement"),
        "community_input_on": ("hearing date", "public hearing", "community meeting date"),
        "decision": ("decision", "outcome", "determination"),
        "conditions": ("conditions", "approval conditions"),
        "decided_on": ("decision date", "date decided", "decided", "council date"),
        **REVIEW_SPELLINGS,
    },
)
PILOT_KINDS = (PILOT, SURVEILLANCE_REVIEW)


def pilot(qs: models.QuerySet, text: str, department_id: int | None = None) -> Any:
    """A pilot by its title (its department's own when several share it)."""
    return refs.by_name(qs, "title", text, department_id)


def register() -> None:
    plugins.register_import_kind(AI_USE_CASE)
    for kind in RADIO_KINDS:
        plugins.register_import_kind(kind)
    plugins.register_import_kind(SOCIAL_ACCOUNT)
    plugins.register_import_kind(DATASET)
    for kind in PILOT_KINDS:
        plugins.register_import_kind(kind)
    plugins.register_import_finder("registers.Pilot", pilot)
