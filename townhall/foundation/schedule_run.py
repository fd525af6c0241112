"""The replacement schedule as the app runs it: the estate read once (`forecast_input`), the
units built, the caps read, `schedule.solve` run, and the answer kept as a `SchedulePlan`
the page shows without solving again. Run by the background job (`tasks.py`)."""

import datetime
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from townhall.audit.models import AuditEntry
from townhall.core import permissions, services
from townhall.foundation import forecast_input, schedule
from townhall.foundation.models import SchedulePlan

JOB_KIND = "foundation_schedule"
TIME_LIMIT = 30.0  # seconds HiGHS may take; the page shows the proven gap it reached
PLANS = (
    ("plan", "Optimized schedule"),
    ("when_due", "Replace when due"),
    ("defer_all", "Defer everything"),
)
# Every record the schedule is worked out from (`forecast_input`): the components, their
# lives and unit costs, the services over them and which are mission-essential, the
# renewals already funded, the departments they are grouped by, the settings and the caps.
INPUTS = (
    "estate.Component",
    "estate.System",
    "estate.RedundancyGroup",
    "estate.Service",
    "estate.Dependency",
    "continuity.ImpactAnalysis",
    "governance.Proposal",
    "org.Department",
    "foundation.ServiceLife",
    "foundation.UnitCost",
    "foundation.ReplacementSettings",
    "foundation.CapitalCap",
    "foundation.Renewal",
)


def _outcome(out: schedule.Outcome, years: list[int]) -> dict[str, Any]:
    return {
        "years": out.years,
        "spend": [round(out.spend[y], 2) for y in years],
        "risk": [out.risk[y] for y in years],
        "total_risk": out.total_risk,
        "over_caps": {str(y): round(v, 2) for y, v in out.over_caps.items()},
    }


def run(user: Any, today: datetime.date) -> SchedulePlan:
    """Solve the schedule of what `user` may see and keep it. Refuses, naming them, the
    years that have no capital cap."""
    if not permissions.is_it_staff(user):
        raise PermissionDenied("Only IT staff work out the replacement schedule.")
    read_at = timezone.now()  # a write after this may be missing from what is read
    result, estate, costs, settings = forecast_input.build(user, today)
    years = [y.year for y in result.years]
    caps, missing = forecast_input.caps(years)
    if missing:
        raise ValidationError(
            "No capital cap for "
            + ", ".join(f"FY{y}" for y in missing)
            + ": add them under Yearly capital caps."
        )
    units, info, dropped = forecast_input.units(result, estate, costs)
    problem = schedule.Problem(units, years, caps, settings.inflation)
    solved = schedule.solve(problem, time_limit=TIME_LIMIT)
    stored = {
        "read_at": read_at.isoformat(),
        "years": years,
        "caps": [caps[y] for y in years],
        "inflation": settings.inflation,
        "status": solved.status,
        "gap": solved.gap,
        "bound": solved.bound,
        "summary": solved.summary,
        "seconds": round(solved.seconds, 2),
        "never_fit": solved.never_fit,
        "beyond_horizon": solved.beyond_horizon,
        "dropped": [list(link) for link in dropped],
        "units": [
            {
                "id": u.id,
                "label": info[u.id].label,
                "cost": round(u.cost, 2),
                "due": u.due,
                "weight": u.weight,
                "items": info[u.id].items,
                "prerequisites": list(u.prerequisites),
            }
            for u in units
        ],
        **{key: _outcome(getattr(solved, key), years) for key, _ in PLANS},
    }
    return services.create(user, SchedulePlan, {"first_year": years[0], "result": stored})


def latest() -> SchedulePlan | None:
    return SchedulePlan.objects.order_by("-pk").first()


def stale(plan: SchedulePlan) -> bool:
    """Whether any input (`INPUTS`) was added, changed or deleted since the estate was read
    for `plan`: every such write leaves an audit entry, so one query answers, deletions
    included. Errs towards "solve again": an edit that moves nothing the schedule uses
    (a service's notes) counts too."""
    read_at = parse_datetime(str(plan.result.get("read_at", ""))) or plan.created_at
    kinds = ContentType.objects.get_for_models(
        *(apps.get_model(label) for label in INPUTS), for_concrete_models=False
    ).values()
    return AuditEntry.objects.filter(content_type__in=list(kinds), at__gt=read_at).exists()
