"""The continuity analysis page: which services cannot come back in time and why, RTO
inversions, RPO gaps, single points of failure, the recovery order and cycles, computed
from what the reader may see (rules in continuity/analysis.py)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from townhall.continuity import graph_input, report

SINGLE_POINTS = 20
TIER_ITEMS = 200  # items listed per tier; the count says how many there are in all


@require_safe
@login_required
def analysis(request: HttpRequest) -> HttpResponse:
    estate = graph_input.analyze(request.user, single_points=SINGLE_POINTS)
    data = report.as_data(estate, urls=True, tier_items=TIER_ITEMS)
    for tier in data["tiers"]:
        tier["more"] = tier["count"] - len(tier["items"])
    for service in data["services"]:
        service["recovery_text"] = report.hours_text(service["recovery_hours"], service["at_least"])
    for gap in data["rto_gaps"]:
        gap["recovery_text"] = report.hours_text(gap["recovery_hours"], gap["at_least"])
        gap["gap_text"] = report.hours_text(gap["gap_hours"], gap["at_least"])
    return render(request, "continuity/analysis.html", {"data": data})
