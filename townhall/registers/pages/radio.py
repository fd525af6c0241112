"""Emergency communications: where each lane of the interoperability continuum stands
(a chart drawn on the server with its figures in a table beside it), the matrix of which
partner agencies can reach which talkgroups and how, and the gaps. Read in a fixed number
of queries (`interop_input`); the rules are in `interop.py`."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from townhall.core import charts, permissions
from townhall.registers import interop, interop_input
from townhall.registers.models import ContinuumAssessment, InteropLink, LaneRating, PartnerAgency

HOW = dict(InteropLink.How.choices)
WORKS = dict(InteropLink.Works.choices)
KINDS = dict(PartnerAgency.Kind.choices)
# Lane names too long for the chart's labels (the table beside it has them in full).
SHORT = {"procedures": "Procedures (SOPs)"}


def _chart(standings: list[interop.Standing]) -> charts.Chart:
    items = [
        charts.Item(
            label=SHORT.get(s.lane.key, s.lane.name),
            value=s.level,
            text=f"Level {s.level}" if s.rating else "Not rated",
            limit=5,
            limit_text="5",
        )
        for s in standings
    ]
    return charts.bar_chart(items, label_width=170)


def _cell(links: list[interop.Link], today: Any) -> list[dict[str, Any]]:
    return [
        {
            "how": HOW.get(link.how, link.how),
            "works": WORKS.get(link.works, link.works),
            "ok": interop.working(link, today),
            "tested_on": link.tested_on,
            "stale": link.tested_on is not None and not interop.tested_recently(link, today),
        }
        for link in links
    ]


@require_safe
def communications(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    found = interop_input.read(request.user, today)
    rows = [
        {
            "name": row.partner.name,
            "kind": KINDS.get(row.partner.kind, row.partner.kind),
            "url": reverse("registers:partneragency_detail", args=[row.partner.pk]),
            "cells": [_cell(links, today) for links in row.cells],
        }
        for row in found.matrix.rows
    ]
    columns = [
        {
            "name": g.name,
            "system": g.system,
            "url": reverse("registers:talkgroup_detail", args=[g.pk]),
        }
        for g in found.matrix.talkgroups
    ]
    gaps = found.gaps
    # The latest assessment's five lanes are rated in one form (pages/continuum.py).
    latest = None
    if found.assessments and permissions.can_add(request.user, LaneRating):
        latest = ContinuumAssessment.objects.restrict(request.user, "view").first()
    return render(
        request,
        "registers/radio.html",
        {
            "today": today,
            "standings": found.standings,
            "rated": sum(1 for s in found.standings if s.rating),
            "chart": _chart(found.standings),
            "columns": columns,
            "rows": rows,
            "kind_gaps": [
                {"kind": KINDS.get(g.kind, g.kind), "partners": g.partners} for g in gaps.kinds
            ],
            "untested": gaps.untested,
            "cache_only": gaps.cache_only,
            "systems": [
                {
                    "name": s.name,
                    "talkgroups": s.talkgroups,
                    "url": reverse("estate:component_detail", args=[s.pk]),
                }
                for s in found.systems
            ],
            "assessments": found.assessments,
            "latest": latest,
            "test_days": interop.TEST_DAYS,
        },
    )
