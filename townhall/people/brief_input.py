"""What the workforce brief reads from the database, for what one person may see: the
key-person risk (`risk_input`), the recruiting records the recruiting figures need
(`recruiting_input.gather`, the recruiting page's own feeder, so the brief and the page
count alike), and
the skills the estate and the funded portfolio need (`skills_feed`). A fixed number of
queries whatever the size of the estate or the organization; the sums are done in pure
Python (`recruiting.py`, `workforce.py`, `risk.py`)."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse

from townhall.core import permissions
from townhall.governance.models import BudgetCycle, Proposal
from townhall.people import recruiting_input, risk_input, workforce
from townhall.people.models import Proficiency, Requisition, Skill

# A project needs the skills of what it replaces, retires or extends.
TOUCHES = (
    ("system", "replaces_systems"),
    ("system", "retires_systems"),
    ("system", "extends_systems"),
    ("component", "replaces_components"),
    ("component", "extends_components"),
)
FUNDED = (Proposal.Status.APPROVED, Proposal.Status.IN_PROGRESS)
OPEN_STAGES = ("requested", "approved", "posted", "interviewing", "offer")


def link(name: str, pk: Any) -> str:
    """The address of a record's page, or "" while the page does not exist."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


@dataclass
class SkillsFeed:
    """What the skills nobody has are worked out from, and the names to show them."""

    uses: dict[Any, list[workforce.Key]]  # skill -> the visible items linked to it
    skills_of: dict[workforce.Key, list[Any]]
    people: dict[Any, int]  # skill -> people at the qualified level or more
    hiring: dict[Any, list[Any]]  # skill -> open requisitions hiring for it
    skills: dict[Any, tuple[str, str]]  # skill -> (code, name)
    requisitions: dict[Any, str]  # open requisition -> title
    cycle: BudgetCycle | None
    proposals: dict[Any, dict[str, Any]]  # funded proposal -> title, status
    touches: dict[Any, list[workforce.Key]] = field(default_factory=dict)


def current_cycle(user: Any) -> BudgetCycle | None:
    """The budget cycle a leader means by "this year's": the newest one not closed, as the
    capacity page chooses."""
    cycles = BudgetCycle.objects.restrict(user, "view")
    return cycles.exclude(status=BudgetCycle.Status.CLOSED).order_by("-first_year", "pk").first()


def skills_feed(user: Any, visible: set[workforce.Key]) -> SkillsFeed:
    """The skills linked to the estate (only the systems and components in `visible`, the
    reader's), everyone's levels of 3 or more, the open requisitions' skills and the
    funded projects of the current budget cycle with what they touch: a fixed number of
    queries."""
    skills = Skill.objects.restrict(user, "view")
    uses: dict[Any, list[workforce.Key]] = {}
    skills_of: dict[workforce.Key, list[Any]] = {}
    for kind, through in (
        ("system", Skill.systems.through),
        ("component", Skill.components.through),
    ):
        rows = through.objects.filter(skill__in=skills).values_list("skill_id", f"{kind}_id")
        for skill, pk in rows:
            if (kind, pk) in visible:
                uses.setdefault(skill, []).append((kind, pk))
                skills_of.setdefault((kind, pk), []).append(skill)
    levels = (
        Proficiency.objects.restrict(user, "view")
        .filter(level__gte=workforce.QUALIFIED_LEVEL, skill__in=skills)
        .values_list("person_id", "skill_id", "level")
    )
    people = workforce.holders(levels)
    requisitions = Requisition.objects.restrict(user, "view").filter(stage__in=OPEN_STAGES)
    hiring: dict[Any, list[Any]] = {}
    for req, skill in Requisition.skills.through.objects.filter(
        requisition__in=requisitions, skill__in=skills
    ).values_list("requisition_id", "skill_id"):
        hiring.setdefault(skill, []).append(req)
    titles = dict(requisitions.values_list("pk", "title"))
    cycle = current_cycle(user)
    proposals: dict[Any, dict[str, Any]] = {}
    touches: dict[Any, list[workforce.Key]] = {}
    if cycle is not None:
        funded = Proposal.objects.restrict(user, "view").filter(cycle=cycle, status__in=FUNDED)
        for pk, title, status in funded.order_by("title", "pk").values_list(
            "pk", "title", "status"
        ):
            proposals[pk] = {"title": title, "status": status}
            touches[pk] = []
        for kind, name in TOUCHES:
            through = getattr(Proposal, name).through
            rows = through.objects.filter(proposal__in=funded).values_list(
                "proposal_id", f"{kind}_id"
            )
            for proposal, pk in rows:
                if (kind, pk) in visible and proposal in touches:
                    touches[proposal].append((kind, pk))
    wanted = set(uses) | {s for ss in skills_of.values() for s in ss} | set(hiring)
    names = {
        pk: (code, name)
        for pk, code, name in skills.filter(pk__in=wanted).values_list("pk", "code", "name")
    }
    return SkillsFeed(
        uses, skills_of, people, hiring, names, titles, cycle, proposals, touches=touches
    )


def sees_retirement(user: Any) -> bool:
    """Retirement dates are personnel data: only administrators and IT managers read them,
    so a brief made for anyone else has no retirement figures and says so."""
    return permissions.sees_personnel(user)


def read(
    user: Any, today: datetime.date
) -> tuple[risk_input.EstateRisk, recruiting_input.Found, Any]:
    """Everything the brief needs, for `user`."""
    found = risk_input.analyze(user, today)
    visible = {k for k in found.names if k[0] in ("system", "component")}
    return found, recruiting_input.gather(user, today), skills_feed(user, visible)
