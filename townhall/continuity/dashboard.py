"""The continuity module's front page: how ready the government is to come back after a
disaster, in the figures a leader asks for first.

Each figure is counted over what the reader may see and links to the list or page behind
it: impact analyses done, the campaign under way, mission-essential services that cannot
come back in time (from the dependency analysis), restore tests, the plan in force and
exercises with their open follow-ups.
"""

import datetime
from typing import Any

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from townhall.continuity import graph_input, report, stored
from townhall.continuity.models import (
    Campaign,
    CampaignRequest,
    Exercise,
    ExerciseResult,
    FollowUp,
    ImpactAnalysis,
    RecoveryCapability,
    RecoveryPlan,
)
from townhall.core.charts import Item, bar_chart
from townhall.estate.models import Service, System

STALE_DAYS = 365  # a restore test, review or plan approval older than this is out of date
TOP = 5


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _list(name: str, query: str = "") -> str:
    return reverse(f"continuity:{name}_list") + (f"?{query}" if query else "")


def analyses(user: Any, today: datetime.date) -> dict[str, Any]:
    """Impact analyses by status, against the services the reader may see (two queries)."""
    services = Service.objects.restrict(user, "view").count()
    rows = ImpactAnalysis.objects.restrict(user, "view").aggregate(
        total=Count("pk"),
        approved=Count("pk", filter=Q(status=ImpactAnalysis.Status.APPROVED)),
        submitted=Count("pk", filter=Q(status=ImpactAnalysis.Status.SUBMITTED)),
        essential=Count("pk", filter=Q(mission_essential=True)),
        without_rto=Count("pk", filter=Q(rto_hours__isnull=True)),
        stale=Count("pk", filter=Q(reviewed_on__lt=today - datetime.timedelta(days=STALE_DAYS))),
    )
    return {
        **rows,
        "services": services,
        "missing": max(0, services - rows["total"]),
        "approved_percent": _percent(rows["approved"], services),
        "list_url": _list("impactanalysis"),
        "approved_url": _list("impactanalysis", "status=approved"),
        "submitted_url": _list("impactanalysis", "status=submitted"),
        "essential_url": _list("impactanalysis", "mission_essential=true"),
    }


def campaign(user: Any) -> dict[str, Any] | None:
    """The open campaign (else the latest) and how far its departments have got."""
    visible = Campaign.objects.restrict(user, "view")
    current = visible.filter(status=Campaign.Status.OPEN).first() or visible.first()
    if current is None:
        return None
    done = (ImpactAnalysis.Status.SUBMITTED, ImpactAnalysis.Status.APPROVED)
    requests = CampaignRequest.objects.filter(campaign=current)
    if current.status == Campaign.Status.CLOSED:
        finished = Q(final_status__in=done)
    else:
        finished = Q(analysis__status__in=done)
    counts = requests.aggregate(total=Count("pk"), done=Count("pk", filter=finished))
    return {
        "campaign": current,
        "url": current.get_absolute_url(),
        **counts,
        "percent": _percent(counts["done"], counts["total"]),
        "overdue": current.status == Campaign.Status.OPEN
        and current.due_on < timezone.localdate()
        and counts["done"] < counts["total"],
    }


def restore_tests(user: Any, today: datetime.date) -> dict[str, Any]:
    """Systems with a recovery capability recorded, and how recently restores were tested."""
    systems = System.objects.restrict(user, "view").count()
    stale_before = today - datetime.timedelta(days=STALE_DAYS)
    rows = RecoveryCapability.objects.restrict(user, "view").aggregate(
        total=Count("pk"),
        systems=Count("pk", filter=Q(system__isnull=False)),
        never=Count("pk", filter=Q(last_restore_test__isnull=True)),
        stale=Count("pk", filter=Q(last_restore_test__lt=stale_before)),
    )
    return {
        **rows,
        "all_systems": systems,
        "systems_percent": _percent(rows["systems"], systems),
        "list_url": _list("recoverycapability"),
        "never_url": _list("recoverycapability", "tested=false"),
    }


def plan(user: Any, today: datetime.date) -> dict[str, Any]:
    """The approved plan in force, and a draft being prepared, if any."""
    visible = RecoveryPlan.objects.restrict(user, "view")
    approved = visible.filter(status=RecoveryPlan.Status.APPROVED).first()
    draft = visible.filter(status=RecoveryPlan.Status.DRAFT).first()
    stale = bool(
        approved
        and approved.approved_on
        and approved.approved_on < today - datetime.timedelta(days=STALE_DAYS)
    )
    return {"approved": approved, "draft": draft, "stale": stale, "list_url": _list("recoveryplan")}


def exercises(user: Any, today: datetime.date) -> dict[str, Any]:
    """The latest exercise, how tested services fared, and follow-ups still open."""
    latest = Exercise.objects.restrict(user, "view").first()
    results = ExerciseResult.objects.restrict(user, "view").aggregate(
        total=Count("pk"),
        missed=Count("pk", filter=Q(rto_hours__isnull=False, measured_hours__gt=F("rto_hours"))),
    )
    open_states = (FollowUp.Status.OPEN, FollowUp.Status.IN_PROGRESS)
    follow = FollowUp.objects.restrict(user, "view").aggregate(
        open=Count("pk", filter=Q(status__in=open_states)),
        overdue=Count("pk", filter=Q(status__in=open_states, due_on__lt=today)),
    )
    return {
        "latest": latest,
        "stale": bool(latest and latest.held_on < today - datetime.timedelta(days=STALE_DAYS)),
        "results": results["total"],
        "missed": results["missed"],
        **follow,
        "list_url": _list("exercise"),
        "follow_url": _list("followup", "status=open"),
    }


def recovery_figures(
    services: list[dict[str, Any]],
    rto_gaps: list[dict[str, Any]],
    *,
    gap_count: int,
    rpo_gap_count: int,
    inversion_count: int,
    single_points: list[dict[str, Any]],
) -> dict[str, Any]:
    """The readiness figures from the analysis's entries (as `report` gives them): plain
    data, so the stored analysis keeps them and the page only draws the chart."""
    essential = [s for s in services if s["mission_essential"]]
    with_rto = [s for s in essential if s["rto_hours"] is not None]
    missing = [s for s in with_rto if s["recovery_hours"] > s["rto_hours"]]
    gaps = []
    for gap in rto_gaps[:TOP]:
        gaps.append(
            {
                **gap,
                "recovery_text": report.hours_text(gap["recovery_hours"], gap["at_least"]),
                "gap_text": report.hours_text(gap["gap_hours"], gap["at_least"]),
            }
        )
    slowest = sorted(with_rto, key=lambda s: s["recovery_hours"] - s["rto_hours"], reverse=True)
    return {
        "essential": len(essential),
        "essential_with_rto": len(with_rto),
        "essential_missing": len(missing),
        "essential_meeting": len(with_rto) - len(missing),
        "gaps": gaps,
        "gap_count": gap_count,
        "rpo_gap_count": rpo_gap_count,
        "inversion_count": inversion_count,
        "single_points": single_points[:TOP],
        "slowest": [
            {k: s[k] for k in ("name", "recovery_hours", "at_least", "rto_hours")}
            for s in slowest[:10]
        ],
    }


def _with_chart(figures: dict[str, Any]) -> dict[str, Any]:
    chart_items = [
        Item(
            label=s["name"],
            value=s["recovery_hours"],
            text=report.hours_text(s["recovery_hours"], s["at_least"]),
            limit=s["rto_hours"],
            limit_text=f"RTO {report.hours_text(s['rto_hours'])}",
        )
        for s in figures["slowest"]
    ]
    return {
        **figures,
        "chart": bar_chart(chart_items, label_width=190) if chart_items else None,
        "chart_items": chart_items,
    }


def recovery(user: Any) -> dict[str, Any]:
    """From the dependency analysis: mission-essential services that cannot come back within
    their RTO, the largest gaps and the worst single points of failure. Read from the stored
    analysis when everyone sees the same one (`stored.current`), else worked out for `user`."""
    kept = stored.current(user)
    if kept is not None:
        figures = (kept.analysis.summary.get("readiness") if kept.analysis else None) or {}
        if not figures:
            return {"pending": True, "updating": True, "gaps": [], "single_points": []}
        return {**_with_chart(figures), "updating": kept.updating, "computed_at": kept.computed_at}
    estate = graph_input.analyze(user, single_points=TOP)
    data = report.as_data(estate, urls=True, tier_items=0)
    figures = recovery_figures(
        data["services"],
        data["rto_gaps"],
        gap_count=len(data["rto_gaps"]),
        rpo_gap_count=len(data["rpo_gaps"]),
        inversion_count=len(data["rto_inversions"]),
        single_points=data["single_points"],
    )
    return _with_chart(figures)


def summary(user: Any, today: datetime.date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    return {
        "analyses": analyses(user, today),
        "campaign": campaign(user),
        "restore": restore_tests(user, today),
        "plan": plan(user, today),
        "exercises": exercises(user, today),
        "recovery": recovery(user),
        "stale_days": STALE_DAYS,
    }
