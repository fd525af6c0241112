"""The risk register: heat maps before and after controls, the top risks, what is past due
and which acceptances run out; a risk's own page; and `risk_summary` for the leader brief.

Closed risks are left out of every figure: the register shows what the government carries
now. A risk not yet rated after its controls counts at its inherent rating where a single
current rating is needed (top risks, counts by band), so an unreviewed risk never looks
smaller than it is.
"""

import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from townhall.cyber import heatmap
from townhall.cyber.models import Requirement, Risk
from townhall.estate.models import Service, System

EXPIRY_WARNING_DAYS = 60
TOP = 10


def list_url(**params: Any) -> str:
    return reverse("cyber:risk_list") + "?" + urlencode(params)


def current_risks(user: Any) -> Any:
    """The risks the person may see that are not closed, with what the register shows."""
    return (
        Risk.objects.restrict(user, "view")
        .exclude(status=Risk.Status.CLOSED)
        .select_related("owner_department", "owner", "approver")
        .order_by("title", "pk")
    )


def current_rating(risk: Risk) -> int:
    residual = risk.residual_rating
    return residual if residual is not None else risk.inherent_rating


@dataclass(frozen=True)
class RiskRow:
    risk: Risk
    inherent: int
    inherent_band: heatmap.Band
    residual: int | None
    residual_band: heatmap.Band | None
    days: int | None = None  # past due / to acceptance expiry, as the list needs


def row(risk: Risk, days: int | None = None) -> RiskRow:
    residual = risk.residual_rating
    return RiskRow(
        risk=risk,
        inherent=risk.inherent_rating,
        inherent_band=heatmap.band(risk.inherent_rating),
        residual=residual,
        residual_band=heatmap.band(residual) if residual is not None else None,
        days=days,
    )


def top_risks(risks: list[Risk], n: int = TOP) -> list[Risk]:
    """Highest current rating first (residual, or inherent when not yet re-rated); ties by
    the higher inherent rating, then title."""
    return sorted(risks, key=lambda r: (-current_rating(r), -r.inherent_rating, r.title, r.pk))[:n]


def accepting(risk: Risk) -> bool:
    return risk.treatment == Risk.Treatment.ACCEPT or risk.status == Risk.Status.ACCEPTED


def past_due(risks: list[Risk], today: datetime.date) -> list[RiskRow]:
    """Open or in-treatment risks whose due date has passed, the longest overdue first."""
    work = (Risk.Status.OPEN, Risk.Status.IN_TREATMENT)
    late = [(r, due) for r in risks if r.status in work and (due := r.due_date) and due < today]
    late.sort(key=lambda pair: (pair[1], pair[0].title, pair[0].pk))
    return [row(r, (today - due).days) for r, due in late]


def acceptances(risks: list[Risk], today: datetime.date) -> tuple[list[RiskRow], list[RiskRow]]:
    """Accepted risks whose acceptance has expired, and those expiring within 60 days."""
    horizon = today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    expired, soon = [], []
    for r in sorted(risks, key=lambda r: (r.acceptance_expires or today, r.title, r.pk)):
        if not accepting(r) or r.acceptance_expires is None:
            continue
        if r.acceptance_expires < today:
            expired.append(row(r, (today - r.acceptance_expires).days))
        elif r.acceptance_expires <= horizon:
            soon.append(row(r, (r.acceptance_expires - today).days))
    return expired, soon


def heat_map(grid: heatmap.Grid, which: str) -> dict[str, Any]:
    """The drawing and the table of one heat map; `which` is inherent or residual."""

    def link(likelihood: int, impact: int) -> str:
        return list_url(
            stage="not_closed",
            **{f"{which}_likelihood": likelihood, f"{which}_impact": impact},
        )

    return {
        "which": which,
        "map": heatmap.layout(grid, link=link),
        "grid": grid,
        "bands": [(b, grid.by_band()[b.key]) for b in heatmap.BANDS],
        "total": grid.total,
        "unrated": grid.unrated,
    }


@require_safe
def register(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    risks = list(current_risks(request.user))
    inherent = heatmap.grid((r.inherent_likelihood, r.inherent_impact) for r in risks)
    residual = heatmap.grid((r.residual_likelihood, r.residual_impact) for r in risks)
    current = heatmap.grid(
        (r.residual_likelihood, r.residual_impact)
        if r.residual_rating is not None
        else (r.inherent_likelihood, r.inherent_impact)
        for r in risks
    )
    expired, expiring = acceptances(risks, today)
    bands = current.by_band()
    context = {
        "today": today,
        "count": len(risks),
        "bands": [(b, bands[b.key]) for b in heatmap.BANDS],
        "maps": [heat_map(inherent, "inherent"), heat_map(residual, "residual")],
        "top": [row(r) for r in top_risks(risks)],
        "past_due": past_due(risks, today),
        "expired": expired,
        "expiring": expiring,
        "warning_days": EXPIRY_WARNING_DAYS,
        "likelihood_names": heatmap.LIKELIHOOD,
        "impact_names": heatmap.IMPACT,
        "all_url": list_url(stage="not_closed"),
        "past_due_url": list_url(stage="to_do", due_before=today.isoformat()),
        "accepted_url": list_url(
            stage="accepted",
            acceptance_by=(today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)).isoformat(),
        ),
    }
    return render(request, "cyber/risk_register.html", context)


def risk_context(request: HttpRequest, risk: Risk) -> dict[str, Any]:
    """The risk's page: its rating before and after controls, what it concerns, and its
    acceptance."""
    user = request.user
    today = timezone.localdate()
    before = row(risk)
    change = None
    if before.residual is not None:
        change = before.inherent - before.residual
    acceptance_days = None
    if accepting(risk) and risk.acceptance_expires:
        acceptance_days = (risk.acceptance_expires - today).days
    return {
        "rating": before,
        "rating_change": change,
        "likelihood_names": heatmap.LIKELIHOOD,
        "impact_names": heatmap.IMPACT,
        "accepting": accepting(risk),
        "acceptance_days": acceptance_days,
        "acceptance_days_ago": -acceptance_days if acceptance_days else 0,
        "acceptance_warning": EXPIRY_WARNING_DAYS,
        "linked_systems": list(
            System.objects.restrict(user, "view").filter(cyber_risks=risk).order_by("name")
        ),
        "linked_services": list(
            Service.objects.restrict(user, "view").filter(cyber_risks=risk).order_by("name")
        ),
        "linked_requirements": list(
            Requirement.objects.restrict(user, "view")
            .filter(risks=risk)
            .select_related("framework")
            .order_by("framework__name", "sort_key", "identifier")
        ),
        "past_due_days": (
            (today - risk.due_date).days
            if risk.due_date
            and risk.due_date < today
            and risk.status in (Risk.Status.OPEN, Risk.Status.IN_TREATMENT)
            else None
        ),
    }


# Fields the risk's page shows in its own sections rather than in the field list.
RISK_DETAIL_SKIP = [
    "inherent_likelihood",
    "inherent_impact",
    "residual_likelihood",
    "residual_impact",
    "systems",
    "services",
    "requirements",
    "approver",
    "acceptance_expires",
]


def risk_summary(user: Any) -> dict[str, Any]:
    """The risk register in brief, for the leader brief.

    Returns::

        {
          "open": int,              # risks not closed that the user may see
          "bands": {"low": int, "moderate": int, "high": int, "very_high": int},
                                    # by current rating (residual, else inherent)
          "band_labels": {"low": "Low", ...},
          "top": [                  # the 5 highest by current rating
            {"id": int, "title": str, "department": str, "inherent": int,
             "residual": int | None, "rating": int, "band": str (label), "url": str},
          ],
          "past_due": int,          # open or in treatment with the due date passed
          "acceptances_expired": int,
          "acceptances_expiring": int,  # within 60 days
          "url": str,               # the register page
        }
    """
    today = timezone.localdate()
    risks = list(current_risks(user))
    current = heatmap.grid(
        (r.residual_likelihood, r.residual_impact)
        if r.residual_rating is not None
        else (r.inherent_likelihood, r.inherent_impact)
        for r in risks
    )
    expired, expiring = acceptances(risks, today)
    return {
        "open": len(risks),
        "bands": current.by_band(),
        "band_labels": {b.key: b.label for b in heatmap.BANDS},
        "top": [
            {
                "id": r.pk,
                "title": r.title,
                "department": str(r.owner_department or ""),
                "inherent": r.inherent_rating,
                "residual": r.residual_rating,
                "rating": current_rating(r),
                "band": heatmap.band(current_rating(r)).label,
                "url": r.get_absolute_url(),
            }
            for r in top_risks(risks, 5)
        ],
        "past_due": len(past_due(risks, today)),
        "acceptances_expired": len(expired),
        "acceptances_expiring": len(expiring),
        "url": reverse("cyber:risk_register"),
    }
