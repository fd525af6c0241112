"""What the public site may publish: the kinds of record, the fields of each a government may
choose to publish, and which records of a kind may be public at all. Nothing is public until
an administrator publishes it (`models.Publication`); `publishing.py` is the only reader.

The public site is a module after the others, so it names their models here; they know
nothing of it.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _


def _every(qs: QuerySet) -> QuerySet:
    return qs


@dataclass(frozen=True)
class PublicField:
    """One field a government may publish. `lookup` is the ORM path read with `values()`
    (a related record's name, say); only published lookups are ever read."""

    name: str
    label: Any  # a lazily translated string
    lookup: str = ""
    # Stored value → words shown; None takes the model field's own choices.
    choices: Mapping[str, Any] | None = None
    # Long text, shown as paragraphs and left out of list pages.
    long: bool = False
    # A value worked out from other rows (a cycle's criteria, a project's updates), read for
    # a whole page at once by the reader of this name in `publishing.READERS`; `lookup` is
    # then unused.
    reader: str = ""

    @property
    def path(self) -> str:
        return self.lookup or self.name


@dataclass(frozen=True)
class PublicKind:
    """A kind of record on the public site: its address (`slug`), the field that names each
    record (public whenever the kind is), the fields that may be published, and `eligible`,
    which narrows the records that may be public at all (no drafts, say)."""

    key: str
    slug: str
    label: Any
    singular: Any
    model: str  # "governance.Proposal"
    title: PublicField
    fields: tuple[PublicField, ...]
    intro: Any = ""
    eligible: Callable[[QuerySet], QuerySet] = _every
    order: int = 100
    # A word for the administrator on the choosing page (staff pages are in English).
    choosing_note: str = ""

    def field(self, name: str) -> PublicField | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


def _past_draft(qs: QuerySet) -> QuerySet:
    """A request is public once submitted; a draft is the department's own until then."""
    return qs.exclude(status="draft")


KINDS: tuple[PublicKind, ...] = (
    PublicKind(
        key="proposal",
        slug="investments",
        label=_("Technology investments"),
        singular=_("Technology investment"),
        model="governance.Proposal",
        intro=_(
            "What departments asked to fund, what the board decided and why, and how the "
            "funded projects are going."
        ),
        title=PublicField("title", _("Title")),
        fields=(
            PublicField("owner_department", _("Department"), "owner_department__name"),
            PublicField("cycle", _("Budget year"), "cycle__name"),
            PublicField("kind", _("Kind of investment")),
            PublicField("status", _("Status")),
            PublicField("problem", _("The problem today"), long=True),
            PublicField("outcome", _("What will be better"), long=True),
            PublicField("recurring_operating", _("Yearly running cost")),
            PublicField("decision_rationale", _("Why the board decided so"), long=True),
            PublicField("approved_start", _("Approved to start (fiscal year)")),
            # The board's vote and how the funded project is going.
            PublicField("votes", _("Board vote"), reader="votes"),
            PublicField("updates", _("How the project is going"), long=True, reader="updates"),
        ),
        eligible=_past_draft,
        order=10,
    ),
    PublicKind(
        key="ai_use_case",
        slug="ai-use-cases",
        label=_("Uses of artificial intelligence"),
        singular=_("Use of artificial intelligence"),
        model="registers.AIUseCase",
        intro=_(
            "Where the government uses artificial intelligence, what for, and how it is kept safe."
        ),
        title=PublicField("name", _("Name")),
        fields=(
            PublicField("owner_department", _("Department"), "owner_department__name"),
            PublicField("purpose", _("Purpose and benefits"), long=True),
            PublicField("outputs", _("What it produces"), long=True),
            PublicField("stage", _("Stage")),
            PublicField("high_impact", _("High impact")),
            PublicField("high_impact_reason", _("Why it is high impact"), long=True),
            PublicField("vendor", _("Vendor"), "vendor__name"),
            PublicField("oversight_notes", _("Human oversight"), long=True),
            PublicField("remedy_notes", _("Appeal or remedy"), long=True),
        ),
        order=20,
    ),
)


# --- Budget years: the technology investment portfolio ---
KINDS += (
    PublicKind(
        key="budget_cycle",
        slug="budget-cycles",
        label=_("Budget years"),
        singular=_("Budget year"),
        model="governance.BudgetCycle",
        intro=_(
            "Each year's technology budget: what departments asked for, how the board chose, "
            "and what it funded."
        ),
        title=PublicField("name", _("Name")),
        fields=(
            PublicField("first_year", _("First fiscal year")),
            PublicField("years", _("Years planned")),
            PublicField(
                "status",
                _("Where it stands"),
                choices={
                    "intake": _("Open for requests"),
                    "scoring": _("The board is scoring requests"),
                    "deciding": _("The board is deciding"),
                    "closed": _("Decided"),
                },
            ),
            PublicField("requests", _("What departments asked for"), reader="requests"),
            PublicField("funded", _("What the board funded"), reader="funded"),
            PublicField(
                "criteria", _("How the board scores requests"), long=True, reader="criteria"
            ),
        ),
        order=5,
    ),
)


# --- The registers ---
# The registers residents follow: the data catalog, pilots of new technology, and the
# surveillance-technology reviews with their decisions.

# The fields of a dataset that the Project Open Data 1.1 schema requires (beside the title,
# always public, and the access level, always "public" here). The public data.json and
# data.jsonld are offered only while every one of them is published (`public/catalog.py`).
CATALOG_REQUIRED = (
    "identifier",
    "description",
    "keywords",
    "publisher",
    "contact_email",
    "modified",
)


def _public_datasets(qs: QuerySet) -> QuerySet:
    """Only datasets whose access level is public and whose data is classified public; a
    restricted or internal dataset is never on the public site, whatever is published."""
    return qs.filter(access_level="public", classification="public")


def _past_idea(qs: QuerySet) -> QuerySet:
    """A pilot is public once it runs; an idea is staff's own until then."""
    return qs.exclude(stage="idea")


def _reviews(qs: QuerySet) -> QuerySet:
    """Every review but those of a pilot still an idea; each named by what it reviews (the
    pilot's title or the system's name)."""
    from django.db.models.functions import Coalesce

    return qs.exclude(pilot__stage="idea").annotate(
        reviewed_name=Coalesce("pilot__title", "system__name")
    )


KINDS += (
    PublicKind(
        key="dataset",
        slug="data",
        label=_("Data catalog"),
        singular=_("Dataset"),
        model="registers.Dataset",
        intro=_("The data the government keeps that anyone may have, and where to get it."),
        title=PublicField("title", _("Title")),
        fields=(
            PublicField("identifier", _("Identifier")),
            PublicField("description", _("What the data holds"), long=True),
            PublicField("keywords", _("Keywords")),
            PublicField("themes", _("Themes")),
            PublicField("publisher", _("Department"), "owner_department__name"),
            PublicField("contact_name", _("Contact name")),
            PublicField("contact_email", _("Contact e-mail")),
            PublicField("modified", _("Data last changed"), "data_modified_on"),
            PublicField("accrual_periodicity", _("How often it is updated")),
            PublicField("landing_page", _("Where to get it")),
            PublicField("license", _("License")),
            PublicField("spatial", _("Area covered")),
            PublicField("temporal", _("Period covered")),
            PublicField("issued", _("First published")),
        ),
        eligible=_public_datasets,
        order=30,
        choosing_note=(
            "Only datasets whose access level is public and whose data is classified public "
            "are shown. The catalog files data.json and data.jsonld are offered only while "
            "these fields are all published: identifier, what the data holds, keywords, "
            "department, contact e-mail and data last changed. A dataset without a contact "
            "e-mail of its own is left out of them."
        ),
    ),
    PublicKind(
        key="pilot",
        slug="pilots",
        label=_("Technology pilots"),
        singular=_("Technology pilot"),
        model="registers.Pilot",
        intro=_("New technology the government tries on a small scale, and what came of it."),
        title=PublicField("title", _("Title")),
        fields=(
            PublicField("owner_department", _("Department"), "owner_department__name"),
            PublicField("technology", _("Kind of technology")),
            PublicField("description", _("What it tries"), long=True),
            PublicField("stage", _("Stage")),
            PublicField("pilot_on", _("Pilot started on")),
            PublicField("vendor", _("Vendor"), "vendor__name"),
            PublicField("personal_data", _("Collects personal data")),
            PublicField("data_collected", _("Data collected"), long=True),
            PublicField("evaluation_criteria", _("How it is judged"), long=True),
            PublicField("results", _("What came of it"), long=True),
        ),
        eligible=_past_idea,
        order=40,
    ),
    PublicKind(
        key="surveillance_review",
        slug="surveillance",
        label=_("Surveillance technology reviews"),
        singular=_("Surveillance technology review"),
        model="registers.SurveillanceReview",
        intro=_(
            "Technology that can watch or record people: what it collects, how long it is "
            "kept, who may see it, how residents were heard and what was decided."
        ),
        title=PublicField("reviewed_name", _("Technology reviewed")),
        fields=(
            PublicField("owner_department", _("Department"), "owner_department__name"),
            PublicField("technology", _("Kind of technology"), "pilot__technology"),
            PublicField("collected", _("What is collected"), long=True),
            PublicField("retention", _("How long it is kept"), long=True),
            PublicField("access", _("Who can see it"), long=True),
            PublicField("community_input", _("How residents were heard"), long=True),
            PublicField("community_input_on", _("Residents heard on")),
            PublicField("decision", _("Decision")),
            PublicField("conditions", _("Conditions"), long=True),
            PublicField("decided_on", _("Decided on")),
        ),
        eligible=_reviews,
        order=50,
    ),
)

KINDS += (
    PublicKind(
        key="readiness",
        slug="readiness",
        label=_("Cyber security and continuity"),
        singular=_("Readiness statement"),
        model="public.PublicStatement",
        intro=_(
            "How ready the government is to keep its systems safe and its services running, "
            "in its own words."
        ),
        title=PublicField("heading", _("Statement")),
        fields=(
            PublicField(
                "topic",
                _("Topic"),
                choices={
                    "cyber": _("Cyber security"),
                    "continuity": _("Continuity of operations"),
                },
            ),
            PublicField("text_en", _("In English"), long=True),
            PublicField("text_es", _("In Spanish"), long=True),
            PublicField("last_reviewed_on", _("Last reviewed on")),
        ),
        order=60,
        choosing_note=(
            "Readiness statements are written by IT staff on the page “Readiness statements”."
        ),
    ),
)


def all_kinds() -> tuple[PublicKind, ...]:
    return tuple(sorted(KINDS, key=lambda k: k.order))


def get(key: str) -> PublicKind | None:
    return next((k for k in KINDS if k.key == key), None)


def by_slug(slug: str) -> PublicKind | None:
    return next((k for k in KINDS if k.slug == slug), None)
