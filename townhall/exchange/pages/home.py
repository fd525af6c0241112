"""Each person's home, built for their role: the CIO's decisions due and scorecard, a
liaison's own department, a board member's ballots, a viewer's briefs. Registered as the
platform's home (`core.plugins.register_home`); the record counts live at /records/."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from townhall.audit.models import AuditEntry
from townhall.continuity.models import ImpactAnalysis
from townhall.core import permissions, plugins
from townhall.estate.models import System
from townhall.exchange import decisions, scorecard_input
from townhall.governance.models import Ballot, BudgetCycle, Proposal
from townhall.registers import reviews

SHOWN = 10  # rows shown in each list of a liaison's or board member's home

# The briefs a leader reads: (title, URL name, what it tells).
BRIEFS = (
    ("Cyber brief", "cyber:brief", "Where the controls stand, the open risks and incidents."),
    ("Foundation brief", "foundation:brief", "How sound the estate is: support, age, cost."),
    ("Workforce brief", "people:brief", "Staffing, skills and certifications, and the gaps."),
    ("Shadow IT brief", "shadowit:brief", "Technology bought outside IT, and what it costs."),
    ("Governance and the board packet", "governance:home", "Proposals, scores and decisions."),
    ("Registers", "registers:home", "Every register of systems and their reviews."),
)


def home(request: HttpRequest) -> HttpResponse | None:
    """The person's home for their role, or None for the platform's page."""
    user = request.user
    common = {
        "notices": plugins.home_notices(user),
        "home_links": plugins.home_links(),
    }
    if permissions.is_it_staff(user):
        return _cio(request, common)
    if permissions.is_liaison(user) and getattr(user, "department_id", None):
        return _liaison(request, common)
    if permissions.is_board(user):
        return _board(request, common)
    return _viewer(request, common)


def _briefs() -> list[dict[str, str]]:
    return [{"title": t, "url": reverse(name), "tells": tells} for t, name, tells in BRIEFS]


def _cio(request: HttpRequest, page: dict[str, Any]) -> HttpResponse:
    due, more = decisions.due(request.user)
    page |= {
        "decisions": due,
        "more": more,
        "more_url": decisions.list_url(),
        "scorecard": scorecard_input.rows_for(request.user),
        "briefs": _briefs(),
    }
    return render(request, "exchange/home_cio.html", page)


def _liaison(request: HttpRequest, page: dict[str, Any]) -> HttpResponse:
    user: Any = request.user
    department = user.department_id
    today = timezone.localdate()
    at_risk = (
        System.objects.restrict(user, "view")
        .filter(owner_department_id=department, end_of_support__lt=today)
        .order_by("end_of_support", "pk")[:SHOWN]
    )
    to_fill = (
        ImpactAnalysis.objects.restrict(user, "view")
        .filter(owner_department_id=department, status=ImpactAnalysis.Status.DRAFT)
        .select_related("service")
        .order_by("service__name", "pk")[:SHOWN]
    )
    requests = (
        Proposal.objects.restrict(user, "view")
        .filter(owner_department_id=department)
        .order_by("-updated_at", "pk")[:SHOWN]
    )
    due = [
        row
        for row in reviews.overdue(user, today, limit=SHOWN * 5)
        if row.department == str(user.department)
    ][:SHOWN]
    page |= {
        "department": user.department,
        "at_risk": at_risk,
        "to_fill": to_fill,
        "requests": requests,
        "reviews": due,
    }
    return render(request, "exchange/home_liaison.html", page)


def _board(request: HttpRequest, page: dict[str, Any]) -> HttpResponse:
    """Proposals under review the member has not submitted scores for, and those scored."""
    user: Any = request.user
    submitted = Ballot.objects.filter(member=user, submitted_at__isnull=False)
    open_ = (
        Proposal.objects.restrict(user, "view")
        .filter(status=Proposal.Status.UNDER_REVIEW, mandated=False)
        .select_related("cycle")
        .order_by("cycle__intake_deadline", "title", "pk")
    )
    waiting = open_.exclude(pk__in=submitted.values("proposal_id"))[:SHOWN]
    scored = submitted.select_related("proposal__cycle").order_by("-submitted_at", "pk")[:SHOWN]
    cycles = BudgetCycle.objects.restrict(user, "view").filter(
        status__in=(BudgetCycle.Status.SCORING, BudgetCycle.Status.DECIDING)
    )
    page |= {"waiting": waiting, "scored": scored, "cycles": cycles.order_by("name")[:3]}
    return render(request, "exchange/home_board.html", page)


def _viewer(request: HttpRequest, page: dict[str, Any]) -> HttpResponse:
    recent = AuditEntry.objects.restrict(request.user).without_values().without_sign_ins()
    page |= {"briefs": _briefs(), "recent": recent.select_related("actor")[:10]}
    return render(request, "exchange/home_viewer.html", page)
