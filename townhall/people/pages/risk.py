"""Key-person risk: the critical systems that only one person (or nobody) can run, the
services that stop with them and the chain between, the ones that fall below two people
as people become eligible to retire within 1, 3 and 5 years, the mission-essential
services whose weakest link is one person, and the critical systems nobody has said what
skills they need. Computed from what the reader may see (`risk_input`), in a fixed number
of queries; the rules are in `people/risk.py`."""

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from townhall.core import permissions
from townhall.people import panel, risk, risk_input, training_input
from townhall.people.models import TrainingPlan


def _person(found: risk_input.EstateRisk, pk: Any, horizon: datetime.date) -> dict[str, Any]:
    retiring = found.retiring.get(pk)
    return {
        "name": found.people.get(pk, f"Person {pk}"),
        "url": reverse("estate:person_detail", args=[pk]),
        "retiring": retiring,
        "retiring_soon": retiring is not None and retiring <= horizon,
    }


def _row(
    found: risk_input.EstateRisk, flag: risk.Flag, plans: "Plans | None" = None
) -> dict[str, Any]:
    key = flag.system
    last = risk.add_years(found.today, max(risk.HORIZONS))
    own = plans.rows.get(key[1], []) if plans else []
    return {
        "plans": own,
        "plan_url": plans.link(key[1]) if plans else None,
        "name": found.name(key),
        "url": found.url(key),
        "tier": found.result.items[key].criticality,
        "bus_factor": flag.risk.bus_factor,
        "later": [(years, flag.risk.later[years]) for years in risk.HORIZONS],
        "people": [_person(found, pk, last) for pk in flag.risk.people or ()],
        "stops": [
            [{"name": found.name(k), "url": found.url(k)} for k in stop.chain]
            for stop in flag.stops
        ],
    }


class Plans:
    """The open training plans answering the flagged systems, and the link that adds one
    (its system and first linked skill chosen) for those who may add plans. Three queries
    whatever the number of systems and plans."""

    def __init__(self, user: Any, systems: list[Any], today: datetime.date) -> None:
        self.rows: dict[Any, list[dict[str, Any]]] = {}
        for shown in training_input.plans(user, systems=systems, today=today):
            if shown.record.system_id is not None:
                self.rows.setdefault(shown.record.system_id, []).append(panel.plan_row(shown))
        self.may_add = permissions.can_add(user, TrainingPlan)
        self.skills = training_input.linked_skills(user, systems) if self.may_add else {}
        self.user = user

    def link(self, system: Any) -> str | None:
        if not self.may_add:
            return None
        skills = self.skills.get(system) or []
        return panel.plan_url(self.user, "system", system, skills[0].pk if skills else None)


def risk_context(user: Any, today: datetime.date | None = None) -> dict[str, Any]:
    """What the page shows, for what `user` may see."""
    found = risk_input.analyze(user, today)
    result = found.result
    flagged = [flag.system[1] for flag in result.flags]
    flagged += [flag.system[1] for years in risk.HORIZONS for flag in result.coming[years]]
    plans = Plans(user, flagged, found.today)
    coming: list[dict[str, Any]] = [
        {
            "years": years,
            "rows": [_row(found, flag, plans) for flag in result.coming[years]],
            "caption": "Critical systems falling below two people within "
            + (f"{years} years" if years != 1 else "a year"),
            "table_id": f"people-risk-within-{years}-table",
        }
        for years in risk.HORIZONS
    ]
    essential = []
    for key in result.essential_at_risk:
        item_risk = result.risks[key]
        weakest = item_risk.weakest
        essential.append(
            {
                "name": found.name(key),
                "url": found.url(key),
                "bus_factor": item_risk.bus_factor,
                "weakest": found.name(weakest) if weakest else "",
                "weakest_url": found.url(weakest) if weakest else "",
            }
        )
    flags = [_row(found, flag, plans) for flag in result.flags]
    return {
        "today": found.today,
        "flags": flags,
        "unplanned": sum(1 for row in flags if not row["plans"]),
        "coming": coming,
        "coming_count": sum(len(group["rows"]) for group in coming),
        "essential": essential,
        "unknown": [{"name": found.name(k), "url": found.url(k)} for k in result.unknown_critical],
        "horizons": risk.HORIZONS,
        "level": risk.QUALIFIED_LEVEL,
        "sees_retirement": permissions.sees_personnel(user),
    }


@require_safe
def key_person_risk(request: HttpRequest) -> HttpResponse:
    return render(request, "people/risk.html", risk_context(request.user))
