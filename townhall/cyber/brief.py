"""The cyber health of the government on one page, for a council or board, and the module's
front page built from the same figures.

Every figure comes from a summary that the page behind it also uses (the assessment
roll-up, the risk register, exposure, training coverage, the plan of action, who performs
each function, the insurer's questions), counted only over what the reader may see, so a
number in the brief can be followed to its records. The PDF is drawn by WeasyPrint from
`cyber/brief.html`; `?format=html` answers the same page as HTML.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from townhall.core import permissions
from townhall.core.charts import Item, bar_chart
from townhall.core.pdf import html_page, pdf
from townhall.cyber import asks, coverage, exposure, insurance, plan, services, training
from townhall.cyber.models import Assessment, Evidence
from townhall.cyber.pages.incident import incident_summary
from townhall.cyber.pages.risk import risk_summary

TEMPLATE = "cyber/brief.html"


def latest_assessment(user: Any) -> Assessment | None:
    """The assessment a leader should hear about: this year's if it has scores, else the
    newest with any score, else the newest."""
    visible = Assessment.objects.restrict(user, "view").select_related("framework", "previous")
    newest = list(visible.order_by("-year", "-pk")[:5])
    for assessment in newest:
        if assessment.scores.filter(level__isnull=False).exists():
            return assessment
    return newest[0] if newest else None


def function_chart(summary: dict[str, Any]) -> Any:
    """Each function's mean against the target, as bars; unscored functions are left out."""
    target = summary["target"]
    items = [
        Item(
            label=f"{f['title']} ({f['identifier']})",
            value=float(f["mean"]),
            text=f"{f['mean']:.1f}",
            limit=target,
            limit_text=f"target {target}",
            target=True,
        )
        for f in summary["functions"]
        if f["mean"] is not None
    ]
    return bar_chart(items, label_width=170, value_room=70) if items else None


def facts(user: Any, today: datetime.date | None = None) -> dict[str, Any]:
    """Everything the brief and the front page show, for this reader."""
    today = today or timezone.localdate()
    assessment = latest_assessment(user)
    summary = services.assessment_summary(assessment) if assessment else None
    risks = risk_summary(user)
    exposed = exposure.exposure_summary(user, today)
    trained = training.training_summary(user, today)
    planned = plan.plan_summary(user, today)
    covered = coverage.coverage_summary(user)
    insured = insurance.insurance_summary(user, today, trained, exposed)
    incidents = incident_summary(user, today.year)
    target = summary["target"] if summary else 5
    overall = summary["overall"]["mean"] if summary else None
    previous = summary["overall"]["previous_mean"] if summary else None
    departments = sorted(
        (d for d in trained["departments"] if d["percent"] is not None and d["people"] >= 3),
        key=lambda d: d["percent"],
    )
    figures = asks.Figures(
        areas_below_target=[f["title"] for f in summary["functions"] if f["below"]]
        if summary
        else [],
        target=target,
        plan_cost=planned["cost_open"] or None,
        plan_open=planned["open"],
        ransomware_exposures=exposed["ransomware"],
        overdue_exposures=exposed["overdue"],
        end_of_life_items=exposed["eol_ended"],
        uncovered_functions=covered["uncovered"],
        training_percent=trained["percent"],
        lowest_departments=[d["name"] for d in departments[:3]],
        acceptances_ending=risks["acceptances_expired"] + risks["acceptances_expiring"],
        insurance_gaps=insured["no"] + insured["partly"] + insured["unknown"],
    )
    return {
        "today": today,
        "assessment": assessment,
        "summary": summary,
        "chart": function_chart(summary) if summary else None,
        "headline": asks.headline(
            float(overall) if overall is not None else None,
            target,
            float(previous) if previous is not None else None,
            summary["counts"]["answered"] if summary else None,
            summary["counts"]["total"] if summary else None,
        ),
        "risks": risks,
        "exposure": exposed,
        "training": trained,
        "training_goal": asks.TRAINING_GOAL,
        "plan": planned,
        "coverage": covered,
        "insurance": insured,
        "incidents": incidents,
        "asks": asks.asks(figures),
        "evidence_due": _evidence_due(user, today),
    }


def _evidence_due(user: Any, today: datetime.date) -> int:
    soon = today + datetime.timedelta(days=60)
    return Evidence.objects.restrict(user, "view").filter(expires__lte=soon).count()


def _may_read(user: Any) -> None:
    # Liaisons see only their own department's risks and incidents: a government-wide
    # brief built from that would mislead, so it is for IT, the board and viewers.
    if permissions.is_liaison(user):
        raise PermissionDenied("The cyber brief is for IT staff, the board and viewers.")


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    context = facts(request.user) if not permissions.is_liaison(request.user) else None
    if context is None:
        context = {
            "liaison": True,
            "risks": risk_summary(request.user),
            "incidents": incident_summary(request.user),
            "training": training.training_summary(request.user),
        }
    return render(request, "cyber/dashboard.html", context)


@require_safe
@never_cache
def brief_pdf(request: HttpRequest) -> HttpResponse:
    _may_read(request.user)
    site = request.build_absolute_uri("/").rstrip("/")
    context = {**facts(request.user), "site": site, "generated": timezone.now()}
    html = render_to_string(TEMPLATE, context, request=request)
    if request.GET.get("format") == "html":
        return html_page(html)
    response = HttpResponse(pdf(html, site), content_type="application/pdf")
    name = f"cyber-brief-{context['today']:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
