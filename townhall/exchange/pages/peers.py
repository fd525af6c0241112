"""The peer comparison page: where we stand against our cohort on each metric, grouped by
priority, with a chart and the words; and the button that asks for the peer report (PDF)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from townhall.core.http import whole_number
from townhall.exchange import peer_report, peers_input


def _check(request: HttpRequest) -> None:
    if not peers_input.may_read(request.user):
        raise PermissionDenied("Peer comparison is for IT, administrators, the board and viewers.")


@require_safe
def peers(request: HttpRequest) -> HttpResponse:
    _check(request)
    raw = request.GET.get("year", "")
    year = whole_number(raw, 4)
    found = peers_input.compare(year)
    problem = ""
    if raw and year != found.year:
        problem = "Year: choose one of the years listed; showing the latest instead."
    return render(request, "exchange/peers.html", {"found": found, "problem": problem})


@require_POST
def peers_report(request: HttpRequest) -> HttpResponse:
    _check(request)
    year = peers_input.compare(whole_number(request.POST.get("year", ""), 4)).year
    site = request.build_absolute_uri("/").rstrip("/")
    job = peer_report.submit(request.user, year, site)
    return redirect(job.get_absolute_url())
