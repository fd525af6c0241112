"""The foundation front page's figures, read with one aggregate query per table.

Support coverage is the share of systems and of components (retired ones left out) whose
support status is known: a date, or "supported, no end date announced". The issue's goal is
95 %. Ends are counted past and within twelve months: the vendor's end of support for both,
and for components without one, the install date plus the expected service life (their
own, else their kind's, `ServiceLife`)."""

import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from townhall.core import permissions
from townhall.estate.models import Component, SupportState, System
from townhall.foundation import life
from townhall.foundation.models import ServiceLife, SupportSuggestion

GOAL_PERCENT = 95
HORIZON_MONTHS = 12


def _list_url(name: str, **query: Any) -> str:
    return f"{reverse(name)}?{urlencode(query)}" if query else reverse(name)


def percent(part: int, whole: int) -> int | None:
    """A whole percentage, rounded down so 94.9 % never shows as the goal met."""
    return None if not whole else part * 100 // whole


def _coverage(qs: Any, list_name: str) -> dict[str, Any]:
    figures = qs.aggregate(
        total=Count("pk"),
        known=Count("pk", filter=~Q(support_state=SupportState.UNKNOWN)),
        no_end=Count("pk", filter=Q(support_state=SupportState.NO_END_DATE)),
    )
    share = percent(figures["known"], figures["total"])
    return {
        **figures,
        "unknown": figures["total"] - figures["known"],
        "percent": share,
        "met": share is not None and share >= GOAL_PERCENT,
        "unknown_url": _list_url(list_name, support_state=SupportState.UNKNOWN),
        "no_end_url": _list_url(list_name, support_state=SupportState.NO_END_DATE),
    }


def _support_ends(qs: Any, today: datetime.date, soon: datetime.date, list_name: str) -> dict:
    figures = qs.aggregate(
        past=Count("pk", filter=Q(end_of_support__lt=today)),
        soon=Count("pk", filter=Q(end_of_support__gte=today, end_of_support__lte=soon)),
    )
    return {
        **figures,
        "past_url": _list_url(list_name, end_of_support_before=today.isoformat()),
        "soon_url": _list_url(
            list_name,
            end_of_support_after=today.isoformat(),
            end_of_support_before=(soon + datetime.timedelta(days=1)).isoformat(),
        ),
    }


def _life_ends(components: Any, today: datetime.date, soon: datetime.date) -> dict[str, int]:
    """Components without a vendor date whose expected service life is over, or ends within
    the horizon: install date + life years, counted per kind in the database."""
    lives = dict(ServiceLife.objects.values_list("kind", "years"))
    past = ending = 0
    undated = components.filter(end_of_support__isnull=True, install_date__isnull=False)
    own = undated.filter(service_life_years__isnull=False).exclude(service_life_years=0)
    # Each count compares the install date with the day `years` before the boundary.
    for years in own.values_list("service_life_years", flat=True).distinct():
        rows = own.filter(service_life_years=years)
        past += rows.filter(install_date__lt=_years_before(today, years)).count()
        ending += rows.filter(
            install_date__gte=_years_before(today, years),
            install_date__lte=_years_before(soon, years),
        ).count()
    by_kind = undated.filter(Q(service_life_years__isnull=True) | Q(service_life_years=0))
    for kind, years in lives.items():
        rows = by_kind.filter(kind=kind)
        past += rows.filter(install_date__lt=_years_before(today, years)).count()
        ending += rows.filter(
            install_date__gte=_years_before(today, years),
            install_date__lte=_years_before(soon, years),
        ).count()
    return {"past": past, "soon": ending}


def _years_before(day: datetime.date, years: int) -> datetime.date:
    return life.add_years(day, -years)


def summary(user: Any, today: datetime.date | None = None) -> dict[str, Any]:
    """Every figure of the front page, for what `user` may see."""
    today = today or timezone.localdate()
    soon = life.add_months(today, HORIZON_MONTHS)
    systems = System.objects.restrict(user, "view").exclude(lifecycle=System.Lifecycle.RETIRED)
    components = Component.objects.restrict(user, "view").exclude(status=Component.Status.RETIRED)
    suggestions = permissions.restrict(SupportSuggestion.objects.all(), user, "view")
    coverage = {
        "systems": _coverage(systems, "estate:system_list"),
        "components": _coverage(components, "estate:component_list"),
    }
    return {
        "today": today,
        "soon": soon,
        "goal": GOAL_PERCENT,
        "horizon_months": HORIZON_MONTHS,
        "coverage": coverage,
        "coverage_rows": [("Systems", coverage["systems"]), ("Components", coverage["components"])],
        "support": {
            "systems": _support_ends(systems, today, soon, "estate:system_list"),
            "components": _support_ends(components, today, soon, "estate:component_list"),
        },
        "life": _life_ends(components, today, soon),
        "pending": suggestions.filter(status=SupportSuggestion.Status.PENDING).count(),
        "lives": ServiceLife.objects.count(),
        "can_decide": permissions.is_it_staff(user),
    }
