"""Support suggestions: the pending list, accepting and rejecting one or many, and starting
the job that makes them. Everyone who may see the estate reads the list; only IT staff
decide or start the job (the verbs in `suggestions.py` refuse anyone else too)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from townhall.core import permissions, services
from townhall.core.http import whole_number
from townhall.core.paging import Paginator
from townhall.foundation import suggestions
from townhall.jobs import runner

PER_PAGE = 100


def _require_staff(request: HttpRequest) -> None:
    if not permissions.is_it_staff(request.user):
        raise PermissionDenied("Only IT staff decide support suggestions.")


@require_safe
def suggestion_list(request: HttpRequest) -> HttpResponse:
    """Pending suggestions, oldest first, a page at a time."""
    paginator = Paginator(suggestions.pending(request.user).order_by("pk"), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "page": page,
        "rows": list(page.object_list),
        "can_decide": permissions.is_it_staff(request.user),
        "job": runner.unfinished(suggestions.JOB_KIND),
    }
    return render(request, "foundation/suggestions.html", context)


def _decided(request: HttpRequest, verb: str, count: int) -> None:
    if count:
        messages.success(request, f"{count} suggestion{'s' if count != 1 else ''} {verb}.")
    else:
        messages.info(request, "No pending suggestion was chosen.")


@require_POST
def suggestion_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept or reject one suggestion, from the version the person saw."""
    _require_staff(request)
    suggestion = get_object_or_404(suggestions.pending(request.user), pk=pk)
    version = request.POST.get(f"version-{pk}")
    seen = whole_number(version)
    action = request.POST.get("action")
    try:
        if action == "accept":
            suggestions.accept(request.user, suggestion, version=seen)
            messages.success(request, f"Accepted: {suggestion}.")
        elif action == "reject":
            suggestions.reject(request.user, suggestion, version=seen)
            messages.success(request, f"Rejected: {suggestion}.")
        else:
            messages.error(request, "Choose accept or reject.")
    except services.ConflictError as exc:
        messages.error(request, f"Someone changed this suggestion meanwhile: {exc}")
    except ValidationError as exc:
        messages.error(request, f"{suggestion.item}: {' '.join(exc.messages)}")
    return redirect("foundation:suggestions")


@require_POST
def suggestion_bulk(request: HttpRequest) -> HttpResponse:
    """Accept or reject the chosen suggestions, all or none."""
    _require_staff(request)
    ids = [n for v in request.POST.getlist("chosen") if (n := whole_number(v)) is not None]
    action = request.POST.get("action")
    if action not in ("accept", "reject"):
        messages.error(request, "Choose accept or reject.")
        return redirect("foundation:suggestions")
    try:
        count = suggestions.decide_many(request.user, ids, accepted=action == "accept")
    except (ValidationError, services.ConflictError) as exc:
        reason = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, f"Nothing was changed: {reason}")
        return redirect("foundation:suggestions")
    _decided(request, "accepted" if action == "accept" else "rejected", count)
    return redirect("foundation:suggestions")


@require_POST
def suggestion_run(request: HttpRequest) -> HttpResponse:
    """Start the job that matches the estate to the release data."""
    _require_staff(request)
    job = runner.submit(
        request.user, suggestions.JOB_KIND, "Support suggestions from endoflife.date", {}
    )
    return redirect(job.get_absolute_url())
