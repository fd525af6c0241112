"""The registers' kinds of record for the spreadsheet importer, registered by the app
config (`apps.py` ready())."""

import datetime
from typing import Any

from django.db import models

from townhall.core import plugins
from townhall.imports import refs, values
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
RADIO_KINDS: tuple[plugins.ImportKind, ...] = (
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

# A continuum self-assessment has no name, only its day; people keep it as one row per lane
# rating (assessment, lane, level, evidence). The importer adds a record a row names only
# when that record has a name (`ImportKind.adds`), so the simplest shape it reads well is
# two kinds: the assessments, found by their day, and the lane ratings, found by their
# assessment (named by its day) and lane. One sheet serves both: imported as assessments,
# its five rows of one day make one assessment; imported again as lane ratings, five ratings.
ASSESSMENT_DAY_SPELLINGS = ("assessed on", "assessment date", "date assessed", "assessment")
CONTINUUM_KINDS = (
    plugins.ImportKind(
        key="continuum_assessment",
        label="Continuum self-assessments",
        model="registers.ContinuumAssessment",
        order=410,
        natural_key=("assessed_on",),
        fields=("assessed_on", "owner_department", *REVIEW_SPELLINGS, "external_id", "notes"),
        column_spellings={"assessed_on": (*ASSESSMENT_DAY_SPELLINGS, "date"), **REVIEW_SPELLINGS},
    ),
    plugins.ImportKind(
        key="lane_rating",
        label="Continuum lane ratings",
        model="registers.LaneRating",
        order=412,
        natural_key=("assessment", "lane"),
        # The evidence document is attached on the rating's page: a file names no upload.
        fields=(
            "assessment",
            "lane",
            "level",
            "evidence",
            "external_id",
            "notes",
        ),
        column_spellings={
            "assessment": (*ASSESSMENT_DAY_SPELLINGS, "date"),
            "lane": ("lane", "continuum lane", "element", "area"),
            "level": ("level", "stage", "rating", "score"),
            "evidence": ("evidence", "why", "justification", "comments"),
        },
    ),
)


def continuum_assessment(qs: models.QuerySet, text: str, department_id: int | None = None) -> Any:
    """A continuum self-assessment by its day ("2026-03-01", "3/1/2026", or its title as
    exported: "Continuum self-assessment of 1 March 2026")."""
    prefix = "continuum self-assessment of "
    said = text[len(prefix) :] if text.lower().startswith(prefix) else text
    try:
        day = values.date(said) or _long_date(said)
    except values.ValueProblem:
        day = _long_date(said)
    if day is None:
        raise values.ValueProblem(f"Name the assessment by its day, such as 2026-03-01: {text!r}")
    return refs.one(qs.model, list(qs.filter(assessed_on=day)[:10]), text, department_id)


def _long_date(text: str) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(text.strip(), "%d %B %Y").date()
    except ValueError:
        return None


# An interoperability link joins a partner agency and one of our talkgroups (the model's two
# ends). The importer's `ends` are read from "From" and "To" columns into a dependency's
# from_/to_ fields, and every kind's ends are offered to every link kind; so the link is
# found instead by its natural key: its partner, its talkgroup and how (the part a dependency
# reads from `link_key`: one partner may reach a talkgroup both by gateway and by cache
# radios). A file without a "how" column reads the default, a shared system.
INTEROP_LINK = plugins.ImportKind(
    key="radio_interop_link",
    label="Interoperability links (radio)",
    model="registers.InteropLink",
    order=415,
    natural_key=("partner", "talkgroup", "how"),
    fields=("partner", "talkgroup", "how", "tested_on", "works", "external_id", "notes"),
    column_spellings={
        "partner": ("partner", "partner agency", "agency"),
        "talkgroup": ("talkgroup", "channel", "talkgroup name", "channel name"),
        "how": ("how", "method", "connection", "interoperability method", "how connected"),
        "tested_on": ("last tested", "tested on", "test date", "date tested"),
        "works": ("works", "working", "result", "test result", "status"),
    },
)
RADIO_KINDS = (*RADIO_KINDS, *CONTINUUM_KINDS, INTEROP_LINK)


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

# A distribution is one address of one dataset: found by its download address within its
# dataset, else by its access address (a row may give either), so a list of a dataset's
# files read again updates them; only a row with neither matches on both (and is refused).
DISTRIBUTION = plugins.ImportKind(
    key="distribution",
    label="Distributions (dataset downloads)",
    model="registers.Distribution",
    order=821,
    natural_key=("dataset", "download_url", "access_url"),
    other_keys=("download_url", "access_url"),
    other_keys_within=("dataset",),
    fields=(
        "dataset",
        "title",
        "description",
        "download_url",
        "access_url",
        "media_type",
        "format",
        "external_id",
        "notes",
    ),
    column_spellings={
        "dataset": ("dataset", "dataset name", "dataset title", "dataset id"),
        "title": ("title", "distribution", "distribution title", "file name"),
        "description": ("description",),
        "download_url": ("download url", "download address", "download link", "file url"),
        "access_url": ("access url", "access address", "api url", "service url", "endpoint"),
        "media_type": ("media type", "mime type", "mediatype", "content type"),
        "format": ("format", "file format", "file type"),
    },
)


def dataset(qs: models.QuerySet, text: str, department_id: int | None = None) -> Any:
    """A dataset by its catalog identifier (unique across the government), else its title."""
    found = list(qs.filter(identifier=text)[:2])
    if len(found) == 1:
        return found[0]
    return refs.by_name(qs, "title", text, department_id)


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
# A readiness assessment is its title within its department, like a pilot. Its answers are
# read as the model and the API hold them, one JSON object of question and score
# ({"ai-purpose": 2, "ai-data": 3}), checked against its technology's questionnaire by the
# model; the score is worked out from them, never read.
READINESS_ASSESSMENT = plugins.ImportKind(
    key="readiness_assessment",
    label="Readiness assessments",
    model="registers.ReadinessAssessment",
    order=840,
    name_field="title",
    name_spellings=("title", "assessment", "assessment title", "readiness assessment"),
    fields=(
        "title",
        "technology",
        "assessed_on",
        "pilot",
        "owner_department",
        "answers",
        "review_owner",
        "last_reviewed_on",
        "next_review_on",
        "external_id",
        "notes",
    ),
    column_spellings={
        "technology": ("technology", "kind of technology", "technology type", "tech"),
        "assessed_on": ("assessed on", "assessment date", "date assessed", "date"),
        "pilot": ("pilot", "pilot name", "project"),
        "answers": ("answers", "scores", "question scores", "responses"),
        **REVIEW_SPELLINGS,
    },
)
PILOT_KINDS = (PILOT, SURVEILLANCE_REVIEW, READINESS_ASSESSMENT)


def pilot(qs: models.QuerySet, text: str, department_id: int | None = None) -> Any:
    """A pilot by its title (its department's own when several share it)."""
    return refs.by_name(qs, "title", text, department_id)


def register() -> None:
    plugins.register_import_kind(AI_USE_CASE)
    for kind in RADIO_KINDS:
        plugins.register_import_kind(kind)
    plugins.register_import_kind(SOCIAL_ACCOUNT)
    plugins.register_import_kind(DATASET)
    plugins.register_import_kind(DISTRIBUTION)
    plugins.register_import_finder("registers.Dataset", dataset)
    for kind in PILOT_KINDS:
        plugins.register_import_kind(kind)
    plugins.register_import_finder("registers.Pilot", pilot)
    plugins.register_import_finder("registers.ContinuumAssessment", continuum_assessment)
