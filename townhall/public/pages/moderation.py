"""Staff's side of residents' input, under /publishing/ (signed in, IT staff): the
moderation queue (publish, reject with a reason, keep reported input), opening a record
for comment, and turning a published idea into a draft investment proposal."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from townhall.core import permissions, services
from townhall.core.http import whole_number
from townhall.core.services import ConflictError
from townhall.governance.models import BudgetCycle, Proposal
from townhall.org.models import Department
from townhall.public import residents
from townhall.public.models import COMMENT_TARGETS, CommentWindow, ResidentInput


def _staff(request: HttpRequest) -> None:
    if not permissions.is_it_staff(request.user):
        raise PermissionDenied("Only IT staff moderate residents' input.")


def _version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return whole_number(raw)


def _number(request: HttpRequest, name: str) -> int:
    """A record's number from the form; 0 (no record) for anything else."""
    raw = request.POST.get(name, "")
    return whole_number(raw, 9) or 0


def _day(raw: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(raw[:10])
    except ValueError:
        return None


def _decide(request: HttpRequest) -> str:
    """One moderator's decision from the queue; "" when done, else what went wrong."""
    item = ResidentInput.objects.filter(pk=_number(request, "input")).first()
    if item is None:
        return "That input is no longer there."
    action = request.POST.get("action", "")
    if action == "publish":
        residents.publish(request.user, item, version=_version(request))
    elif action == "reject":
        residents.reject(request.user, item, request.POST.get("reason", ""), _version(request))
    elif action == "proposal":
        cycle = BudgetCycle.objects.filter(pk=_number(request, "cycle")).first()
        department = Department.objects.filter(pk=_number(request, "department")).first()
        if cycle is None or department is None:
            return "Choose the budget cycle and the department for the proposal."
        residents.to_proposal(
            request.user,
            item,
            {
                "cycle": cycle,
                "owner_department": department,
                "outcome": "To be written with the department.",
                "kind": Proposal.Kind.MODERNIZATION,
            },
        )
    else:
        return "Choose publish or reject."
    return ""


@require_http_methods(["GET", "HEAD", "POST"])
def queue(request: HttpRequest) -> HttpResponse:
    _staff(request)
    problem = ""
    if request.method == "POST":
        try:
            problem = _decide(request)
        except ConflictError:
            problem = "Someone decided on this input since you opened the page; reload it."
        except (ValidationError, PermissionDenied) as error:
            problem = " ".join(getattr(error, "messages", [str(error)]))
        if not problem:
            return HttpResponseRedirect(reverse("publishing:moderation"))
    ideas = ResidentInput.objects.filter(
        kind=ResidentInput.Kind.IDEA, status=ResidentInput.Status.PUBLISHED, proposal=None
    ).order_by("created_at")[:100]
    return render(
        request,
        "public/moderation.html",
        {
            "items": residents.queue(),
            "ideas": list(ideas),
            "cycles": BudgetCycle.objects.restrict(request.user).order_by("-first_year")[:20],
            "departments": Department.objects.restrict(request.user).order_by("name"),
            "problem": problem,
        },
        status=400 if problem else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def windows(request: HttpRequest) -> HttpResponse:
    """Open a record for comment from one day to another."""
    _staff(request)
    problem = ""
    values: dict[str, Any] = {}
    if request.method == "POST":
        raw = request.POST.get("target_id", "")
        values = {
            "target_kind": request.POST.get("target_kind", "")[:40],
            "target_id": whole_number(raw, 9),
            "opens": _day(request.POST.get("opens", "")),
            "closes": _day(request.POST.get("closes", "")),
        }
        try:
            services.create(request.user, CommentWindow, values)
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            return HttpResponseRedirect(reverse("publishing:windows"))
    return render(
        request,
        "public/windows.html",
        {
            "windows": CommentWindow.objects.all()[:100],
            "targets": list(COMMENT_TARGETS),
            "values": values,
            "problem": problem,
            "today": datetime.date.today(),
        },
        status=400 if problem else 200,
    )
