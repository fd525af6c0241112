"""Training plans and the levels they are measured against, read from the database for
what one person may see: the plans (with their person, skill, system and component) in
one query, and the people's current levels in the plans' skills in one more — two queries
whatever the number of plans — then `training.assess`."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from townhall.estate.models import Person
from townhall.people import training
from townhall.people.models import Proficiency, Skill, TrainingPlan


@dataclass(frozen=True)
class Shown:
    """One plan's progress, with the names and addresses a page shows."""

    progress: training.Progress
    record: TrainingPlan

    @property
    def person(self) -> str:
        return str(self.record.person)

    @property
    def skill(self) -> str:
        return self.record.skill.name

    @property
    def url(self) -> str:
        return self.record.get_absolute_url()

    @property
    def answers(self) -> tuple[str, Any] | None:
        """The ("system" or "component", id) whose risk the plan answers, if any."""
        if self.record.system_id:
            return ("system", self.record.system_id)
        if self.record.component_id:
            return ("component", self.record.component_id)
        return None


def _visible(model: Any, user: Any) -> Any:
    qs = model.objects.all()
    return qs if user is None else qs.restrict(user, "view")


def _plan(record: TrainingPlan) -> training.Plan:
    return training.Plan(
        record.pk,
        record.person_id,
        record.skill_id,
        record.target_level,
        record.starting_level,
        record.due,
        record.status,
    )


def levels(user: Any, records: Iterable[TrainingPlan]) -> dict[tuple[Any, Any], int]:
    """The current level of each plan's person in its skill (one query; none without plans)."""
    records = list(records)
    if not records:
        return {}
    people = {r.person_id for r in records}
    skills = {r.skill_id for r in records}
    rows = (
        _visible(Proficiency, user)
        .filter(person_id__in=people, skill_id__in=skills)
        .values_list("person_id", "skill_id", "level")
    )
    return {(person, skill): level for person, skill, level in rows}


def plans(
    user: Any,
    *,
    open_only: bool = True,
    systems: Iterable[Any] | None = None,
    components: Iterable[Any] | None = None,
    today: datetime.date | None = None,
) -> list[Shown]:
    """The plans `user` may see (open ones only, unless asked), those answering the given
    systems or components when named, each with its progress today. Two queries."""
    today = today or timezone.localdate()
    qs = _visible(TrainingPlan, user).select_related("person", "skill")
    if user is not None:
        qs = qs.filter(
            person__in=Person.objects.restrict(user, "view"),
            skill__in=Skill.objects.restrict(user, "view"),
        )
    if open_only:
        qs = qs.filter(status=TrainingPlan.Status.OPEN)
    if systems is not None or components is not None:
        qs = qs.filter(Q(system__in=list(systems or ())) | Q(component__in=list(components or ())))
    records = list(qs.order_by("due", "pk"))
    found = levels(user, records)
    assessed = training.assess([_plan(r) for r in records], found, today)
    return [Shown(p, r) for p, r in zip(assessed, records, strict=True)]


def open_plans() -> tuple[list[TrainingPlan], dict[tuple[Any, Any], int]]:
    """Every open plan and its person's level in its skill, for the system (two queries)."""
    records = list(TrainingPlan.objects.filter(status=TrainingPlan.Status.OPEN).order_by("pk"))
    return records, levels(None, records)


def plain(record: TrainingPlan) -> training.Plan:
    """The record as `training` reads it."""
    return _plan(record)


def linked_skills(user: Any, systems: Iterable[Any]) -> dict[Any, list[Skill]]:
    """The skills `user` may see linked to each of `systems`, by name (one query)."""
    systems = list(systems)
    if not systems:
        return {}
    found: dict[Any, list[Skill]] = {}
    rows = (
        Skill.systems.through.objects.filter(system_id__in=systems, skill__in=_visible(Skill, user))
        .select_related("skill")
        .order_by("skill__name", "skill_id")
    )
    for row in rows:
        found.setdefault(row.system_id, []).append(row.skill)
    return found
