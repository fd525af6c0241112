"""Incident pages: how fast incidents are detected, contained and recovered from, year by
year (figures in `incident_metrics.py`); an incident's timeline; and `incident_summary`
for the leader brief."""

import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from townhall.core.charts import Item, bar_chart
from townhall.cyber import incident_metrics as metrics
from townhall.cyber.models import Incident, Risk
from townhall.estate.models import Service, System

SEVERITY_ORDER = [s.value for s in reversed(Incident.Severity)]  # critical first
SEVERITY_LABELS = dict(Incident.Severity.choices)
STAGE_LABELS = {
    "began": "Began",
    "detected": "Detected",
    "contained": "Contained (stopped from spreading)",
    "eradicated": "Eradicated (the cause removed)",
    "recovered": "Recovered (work back to normal)",
}
RECIPIENTS = [
    ("reported_ms_isac", "MS-ISAC"),
    ("reported_state", "The state"),
    ("reported_insurer", "The insurer"),
    ("reported_law_enforcement", "Law enforcement"),
]


def _local(value: Any) -> Any:
    return timezone.localtime(value) if value is not None else None


def _times(user: Any) -> list[metrics.Times]:
    rows = (
        Incident.objects.restrict(user, "view")
        .order_by("detected", "pk")
        .values_list("detected", "began", "contained", "eradicated", "recovered", "severity")
    )
    return [
        metrics.Times(
            detected=_local(detected),
            began=_local(began),
            contained=_local(contained),
            eradicated=_local(eradicated),
            recovered=_local(recovered),
            severity=severity,
        )
        for detected, began, contained, eradicated, recovered, severity in rows
    ]


def _chart(years: list[metrics.Year], key: str) -> Any:
    items = []
    for y in years:
        m = y.all.measures[key]
        text = m.median_text if m.median is not None else "no data"
        items.append(Item(str(y.year), m.median or 0, text))
    return bar_chart(items, width=340, label_width=48, value_room=92)


def _list_url(**params: Any) -> str:
    return reverse("cyber:incident_list") + "?" + urlencode(params)


@require_safe
def incident_metrics(request: HttpRequest) -> HttpResponse:
    """Time to detect, contain and recover per year; by severity for the year chosen with
    ?year= (the latest by default)."""
    years = metrics.by_year(_times(request.user), SEVERITY_ORDER)
    chosen = request.GET.get("year", "").strip()
    year = years[-1] if years else None
    wanted = None
    if chosen:
        try:
            wanted = int(chosen)
        except ValueError:
            raise Http404("No such year.") from None
        year = next((y for y in years if y.year == wanted), None)
    charts = [
        {
            "id": f"chart-{key}",
            "title": f"Median {label.lower()}, by year of detection",
            "chart": _chart(years, key),
        }
        for key, label, _, _ in metrics.MEASURES
    ]
    rows = [
        {"year": y, "url": _list_url(year=y.year)}
        for y in reversed(years)  # the latest year first in the table
    ]
    severity_rows = []
    if year is not None:
        severity_rows = [
            {
                "label": SEVERITY_LABELS.get(s, s),
                "group": g,
                "url": _list_url(year=year.year, severity=s),
            }
            for s, g in year.by_severity
        ]
    return render(
        request,
        "cyber/incident_metrics.html",
        {
            "years": years,
            "rows": rows,
            "charts": charts,
            "year": year,
            "wanted": wanted,
            "severity_rows": severity_rows,
            "measures": metrics.MEASURES,
        },
    )


def incident_context(request: HttpRequest, incident: Incident) -> dict[str, Any]:
    """An incident's page: its timeline of stages and reports, and what it touched."""
    user = request.user
    detected = _local(incident.detected)
    stages = [
        (name, STAGE_LABELS[name], _local(getattr(incident, name))) for name in Incident.STAGES
    ]
    reports = [
        (
            name,
            f"Reported to {label.lower() if label.startswith('The') else label}",
            _local(getattr(incident, name)),
        )
        for name, label in RECIPIENTS
    ]
    events = metrics.timeline(detected, stages, reports)
    told = []
    for name, label in RECIPIENTS:
        at = _local(getattr(incident, name))
        delta = metrics.hours(detected, at) if at else None
        told.append(
            {
                "label": label,
                "at": at,
                "after": metrics.duration_text(delta) if delta is not None else "",
            }
        )
    t = metrics.Times(
        detected=detected,
        began=_local(incident.began),
        contained=_local(incident.contained),
        recovered=_local(incident.recovered),
    )
    durations = [
        (label, metrics.duration_text(metrics.hours(getattr(t, start), getattr(t, end))))
        for _, label, start, end in metrics.MEASURES
    ]
    return {
        "events": events,
        "told": told,
        "durations": durations,
        "still_open": incident.recovered is None,
        "missing_stages": [label for name, label, at in stages if at is None and name != "began"],
        "linked_systems": list(
            System.objects.restrict(user, "view").filter(cyber_incidents=incident).order_by("name")
        ),
        "linked_services": list(
            Service.objects.restrict(user, "view").filter(cyber_incidents=incident).order_by("name")
        ),
        "linked_risks": list(
            Risk.objects.restrict(user, "view").filter(incidents=incident).order_by("title")
        ),
    }


INCIDENT_DETAIL_SKIP = [
    *Incident.STAGES,
    *Incident.REPORTS,
    "systems",
    "services",
    "risks",
]


def incident_summary(user: Any, year: int | None = None) -> dict[str, Any]:
    """Incidents of one year of detection (this year by default), for the leader brief.

    Returns::

        {
          "year": int,
          "incidents": int,           # detected that year, visible to the user
          "open": int,                # of them, not yet recovered
          "by_severity": {"critical": int, "high": int, "moderate": int, "low": int},
          "hours_to_detect": float | None,   # medians, in hours (None: no incident
          "hours_to_contain": float | None,  # with both times)
          "hours_to_recover": float | None,
          "text_to_detect": str, "text_to_contain": str, "text_to_recover": str,
                                      # the same, as "5.5 hours" or "3.2 days" ("—" if none)
          "reported": {"reported_ms_isac": int, "reported_state": int,
                       "reported_insurer": int, "reported_law_enforcement": int},
          "url": str,                 # the metrics page for that year
        }
    """
    year = year or timezone.localdate().year
    times = [t for t in _times(user) if t.detected.year == year]
    group = metrics.group(times)
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    reported = (
        Incident.objects.restrict(user, "view")
        .filter(detected__gte=start, detected__lt=end)
        .aggregate(**{name: Count(name) for name, _ in RECIPIENTS})
    )
    by_severity = {s: 0 for s in SEVERITY_ORDER}
    for t in times:
        by_severity[t.severity] = by_severity.get(t.severity, 0) + 1
    result: dict[str, Any] = {
        "year": year,
        "incidents": group.incidents,
        "open": group.open,
        "by_severity": by_severity,
        "reported": reported,
        "url": reverse("cyber:incident_metrics") + "?" + urlencode({"year": year}),
    }
    for key, _, _, _ in metrics.MEASURES:
        m = group.measures[key]
        result[f"hours_to_{key}"] = m.median
        result[f"text_to_{key}"] = m.median_text
    return result
