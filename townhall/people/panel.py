"""What the people module shows on others' pages: a person's position, skills,
certifications and cyber functions on their estate page, who can run a system on the
system's page with its training plans, and certification expiries and training plans'
due dates in the calendar feed."""

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from townhall.core import permissions
from townhall.cyber.models import Coverage
from townhall.estate import calendar
from townhall.estate.models import Person, System
from townhall.people import risk, training_input
from townhall.people.models import (
    CapacityApplied,
    Certification,
    Position,
    Proficiency,
    Skill,
    StaffRecord,
    TrainingPlan,
)

SHOWN = 25


def person_panel(request: Any, person: Any) -> dict[str, Any] | None:
    """The person's positions, their skills from the strongest, their certifications and
    the cyber functions they perform (cyber's function coverage names them as contact), of
    what the reader may see, and for administrators and IT managers their staff record
    (pay, retirement, last review); None when there is nothing to show. Five queries, six
    for those who see personnel data."""
    user = request.user
    positions = list(
        Position.objects.restrict(user, "view")
        .filter(person=person)
        .select_related("team", "reports_to__person", "owner_department")
    )
    skills = Proficiency.objects.restrict(user, "view").filter(person=person)
    shown = list(skills.select_related("skill").order_by("-level", "skill__name")[:SHOWN])
    certifications = list(
        Certification.objects.restrict(user, "view").filter(person=person).order_by("expires")
    )
    functions = list(
        Coverage.objects.restrict(user, "view").filter(contact=person).order_by("order", "function")
    )
    record = None
    if permissions.sees_personnel(user):
        record = StaffRecord.objects.restrict(user, "view").filter(person=person).first()
    if not (positions or shown or certifications or functions or record):
        return None
    skill_count = len(shown) if len(shown) < SHOWN else skills.count()
    return {
        "positions": positions,
        "skills": shown,
        "skill_count": skill_count,
        "skills_url": reverse("people:proficiency_list") + f"?person={person.pk}",
        "certifications": certifications,
        "functions": functions,
        "today": timezone.localdate(),
        "staff_record": record,
    }


def cycle_panel(request: Any, cycle: Any) -> dict[str, Any]:
    """On a budget cycle's page: when its staff hours were last set from the people, and
    the page that compares and sets them. One query."""
    last = CapacityApplied.objects.restrict(request.user, "view").filter(cycle=cycle).first()
    return {"last": last, "url": reverse("people:capacity") + f"?cycle={cycle.pk}"}


def certification_events(
    user: Any, start: datetime.date, stop: datetime.date, base_url: str
) -> list[calendar.Event]:
    """One event per certification the user may see that expires between `start` and
    `stop`, for the personal calendar feed."""
    rows = (
        Certification.objects.restrict(user, "view")
        .filter(expires__gte=start, expires__lte=stop)
        .select_related("person")
        .order_by("expires", "pk")
    )
    return [
        calendar.Event(
            uid=f"certification-{c.pk}-expires@townhall",
            day=c.expires,
            summary=f"Certification expires: {c.name} ({c.person})",
            description=(
                f"{c.person}'s {c.name}"
                + (f" from {c.issuer}" if c.issuer else "")
                + " expires on this day. Renew it, then change its expiry date."
            ),
            url=base_url + c.get_absolute_url(),
            stamp=c.updated_at,
            categories=("Certification",),
        )
        for c in rows
        if c.expires is not None
    ]


def system_panel(request: Any, system: Any) -> dict[str, Any]:
    """Who can run a system or component: the skills linked to it, the people at level 3
    or more in every one of them, the bus factor, and how many remain as people become
    eligible to retire within 1, 3 and 5 years, and the open training plans that answer
    it. Five queries, of what the reader may see."""
    user = request.user
    link = "systems" if isinstance(system, System) else "components"
    skills = list(Skill.objects.restrict(user, "view").filter(**{link: system}).order_by("name"))
    levels: dict[Any, dict[Any, int]] = {}
    names: dict[Any, str] = {}
    if skills:
        rows = (
            Proficiency.objects.restrict(user, "view")
            .filter(skill__in=skills, level__gte=risk.QUALIFIED_LEVEL)
            .filter(person__in=Person.objects.restrict(user, "view"))
            .values_list("person_id", "person__name", "skill_id", "level")
        )
        for person, name, skill, level in rows:
            levels.setdefault(skill, {})[person] = level
            names[person] = name
    people = risk.qualified_people([s.pk for s in skills], levels)
    retiring: dict[Any, datetime.date | None] = {}
    if people:
        retiring = dict(
            StaffRecord.objects.restrict(user, "view")
            .filter(person__in=people)
            .values_list("person_id", "retirement_eligible_on")
        )
    today = timezone.localdate()
    count = None if people is None else len(people)
    kind = "system" if link == "systems" else "component"
    shown = (
        training_input.plans(user, systems=[system.pk], today=today)
        if kind == "system"
        else training_input.plans(user, components=[system.pk], today=today)
    )
    later = []
    for years in risk.HORIZONS:
        day = risk.add_years(today, years)
        left = (
            None
            if people is None
            else sum(1 for p in people if not risk.eligible_by(retiring.get(p), day))
        )
        later.append((years, left))
    return {
        "skills": skills,
        "people": [
            {
                "name": names[p],
                "url": reverse("estate:person_detail", args=[p]),
                "retiring": retiring.get(p),
            }
            for p in sorted(people or (), key=lambda p: names[p])
        ],
        "bus_factor": count,
        "at_risk": count is not None and count < risk.ENOUGH,
        "critical": getattr(system, "criticality", None) in risk.CRITICAL_TIERS,
        "kind": kind,
        "later": later,
        "plans": [plan_row(p) for p in shown],
        "plan_url": plan_url(user, kind, system.pk, skills[0].pk if skills else None),
        "level": risk.QUALIFIED_LEVEL,
        "today": today,
        "risk_url": reverse("people:risk"),
        "sees_retirement": permissions.sees_personnel(user),
    }


def plan_row(shown: training_input.Shown) -> dict[str, Any]:
    """One plan as the risk page and the panel show it."""
    record = shown.record
    return {
        "url": shown.url,
        "person": shown.person,
        "person_url": reverse("estate:person_detail", args=[record.person_id]),
        "skill": shown.skill,
        "target": record.target_level,
        "due": record.due,
        "current": shown.progress.current,
        "percent": shown.progress.percent,
        "overdue": shown.progress.overdue,
        "met": shown.progress.met,
    }


def plan_url(user: Any, kind: str, pk: Any, skill: Any) -> str | None:
    """The add form of a training plan answering a system or component, its skill chosen;
    None for a reader who may not add plans."""
    if not permissions.can_add(user, TrainingPlan):
        return None
    url = reverse("people:trainingplan_add") + f"?{kind}={pk}"
    return url + (f"&skill={skill}" if skill is not None else "")


def training_events(
    user: Any, start: datetime.date, stop: datetime.date, base_url: str
) -> list[calendar.Event]:
    """One event per open training plan the user may see that is due between `start` and
    `stop`, for the personal calendar feed."""
    rows = (
        TrainingPlan.objects.restrict(user, "view")
        .filter(status=TrainingPlan.Status.OPEN, due__gte=start, due__lte=stop)
        .select_related("person", "skill")
        .order_by("due", "pk")
    )
    return [
        calendar.Event(
            uid=f"training-plan-{p.pk}-due@townhall",
            day=p.due,
            summary=f"Training due: {p.person} to level {p.target_level} in {p.skill.name}",
            description=(
                f"{p.person} is to reach level {p.target_level} in {p.skill.name} by this "
                "day. Record the level reached; the plan is met when it gets there."
            ),
            url=base_url + p.get_absolute_url(),
            stamp=p.updated_at,
            categories=("Training",),
        )
        for p in rows
    ]
