"""The key-person risk of what one person may see, read from the database: the estate's
items and dependencies as continuity reads them (`continuity.graph_input`), the
systems' criticality, the skills linked to each system and component, everyone's levels
of 3 or more and the retirement-eligible dates — a fixed number of queries whatever the
size of the estate or the organization — then `risk.analyze`."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone

from townhall.continuity import graph_input
from townhall.estate.models import Person, System
from townhall.people import risk
from townhall.people.models import Proficiency, Skill, StaffRecord

PAGES = {"service": "service", "system": "system", "component": "component"}
PAGES["group"] = "redundancygroup"


@dataclass(frozen=True)
class EstateRisk:
    """The analysis, with the names and addresses a page needs to show it."""

    result: risk.KeyPersonRisk
    names: dict[risk.Key, str]
    people: dict[Any, str]  # person id -> name
    retiring: dict[Any, datetime.date | None]
    today: datetime.date

    def name(self, key: risk.Key) -> str:
        return self.names.get(key, f"{key[0]} {key[1]}")

    def url(self, key: risk.Key) -> str:
        return reverse(f"estate:{PAGES[key[0]]}_detail", args=[key[1]])


def _visible(model: Any, user: Any) -> Any:
    qs = model.objects.all()
    return qs if user is None else qs.restrict(user, "view")


def analyze(user: Any, today: datetime.date | None = None) -> EstateRisk:
    """The key-person risk of the estate `user` may see, counting only the people, levels
    and retirement dates they may see (`user` None: everything, for the system)."""
    today = today or timezone.localdate()
    items, edges, names, _hidden = graph_input.items_and_edges(user)
    tiers = dict(_visible(System, user).values_list("pk", "criticality"))
    risk_items = [
        risk.Item(
            item.kind,
            item.id,
            item.name,
            criticality=tiers.get(item.id) if item.kind == "system" else None,
            mission_essential=item.mission_essential,
        )
        for item in items
    ]
    skills = _visible(Skill, user)
    visible = set(names)
    needs: dict[risk.Key, list[Any]] = {}
    for kind, through in (
        ("system", Skill.systems.through),
        ("component", Skill.components.through),
    ):
        rows = through.objects.filter(skill__in=skills).values_list(f"{kind}_id", "skill_id")
        for pk, skill in rows:
            if (kind, pk) in visible:
                needs.setdefault((kind, pk), []).append(skill)
    levels = list(
        _visible(Proficiency, user)
        .filter(level__gte=risk.QUALIFIED_LEVEL, skill__in=skills)
        .values_list("person_id", "skill_id", "level")
    )
    qualified = Proficiency.objects.filter(level__gte=risk.QUALIFIED_LEVEL).values("person_id")
    people = dict(_visible(Person, user).filter(pk__in=qualified).values_list("pk", "name"))
    levels = [row for row in levels if row[0] in people]
    retiring = dict(
        _visible(StaffRecord, user)
        .filter(retirement_eligible_on__isnull=False)
        .values_list("person_id", "retirement_eligible_on")
    )
    result = risk.analyze(risk_items, edges, needs, levels, retiring, today)
    return EstateRisk(result, names, people, retiring, today)
