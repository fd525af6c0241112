"""The hub's pages: its administrators' page (members, join codes, submissions, the
recompute button) and the public page of its privacy rules."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_safe

from townhall.core.permissions import is_admin
from townhall.exchange import bands, cohorts, hub
from townhall.exchange.metrics import METRIC_SET_VERSION
from townhall.exchange.models import HubMember, HubSubmission
from townhall.jobs import runner

_WORDS = {
    "kind": dict(bands.KINDS),
    "population_band": {b.key: b.label for b in bands.POPULATION_BANDS},
    "region": dict(bands.REGIONS),
    "budget_band": {b.key: b.label for b in bands.BUDGET_BANDS},
}


def _hub_only() -> None:
    if not settings.EXCHANGE_HUB:
        raise Http404("This Townhall is not an exchange hub.")


@require_http_methods(["GET", "HEAD", "POST"])
def admin(request: HttpRequest) -> HttpResponse:
    """Who has joined, what they sent, and the hub's two actions."""
    _hub_only()
    if not is_admin(request.user):
        raise PermissionDenied("Only the hub's administrators may open this page.")
    new_code = ""
    queued = False
    if request.method == "POST":
        if request.POST.get("action") == "code":
            new_code = hub.make_join_code(request.user, request.POST.get("note", "")[:200])
        elif request.POST.get("action") == "recompute":
            runner.submit(request.user, hub.JOB_KIND, "Recompute cohort statistics", {})
            queued = True
    members = HubMember.objects.restrict(request.user, "view").annotate(
        last=Max("submissions__updated_at")
    )
    rows = [
        {
            "name": m.name,
            "bands": ", ".join(_WORDS[f][getattr(m, f)] for f in hub.PROFILE_FIELDS),
            "last": m.last,
            "active": m.active,
        }
        for m in members
    ]
    years = (
        HubSubmission.objects.restrict(request.user, "view")
        .values("year", "metric_set_version")
        .annotate(count=Count("id"))
        .order_by("-year", "metric_set_version")
    )
    return render(
        request,
        "exchange/hub_admin.html",
        {"members": rows, "years": years, "new_code": new_code, "queued": queued},
    )


@login_not_required
@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    """What the hub releases and what it never does, for anyone to read."""
    _hub_only()
    minimum = max(settings.EXCHANGE_MIN_COHORT, cohorts.LEAST_MINIMUM)
    return render(
        request,
        "exchange/hub_privacy.html",
        {
            "minimum": minimum,
            "step": cohorts.STEP,
            "revisions": settings.EXCHANGE_MAX_REVISIONS,
            "budget": hub.budget(METRIC_SET_VERSION),
            "version": METRIC_SET_VERSION,
            "cohorts_per_member": len(bands.COHORT_DIMENSIONS),
        },
    )
