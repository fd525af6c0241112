"""The priorities scorecard: thresholds and trends (pure), figures from real records, the
trend from kept readings, a query count that does not grow with the records, the page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from townhall.core import context, services
from townhall.estate.models import Service, System
from townhall.exchange import scorecard, scorecard_input
from townhall.exchange.models import ScorecardReading
from townhall.exchange.priorities import PRIORITIES
from townhall.people.tests import factories
from townhall.shadowit.models import Merchant


def test_statuses_follow_the_thresholds():
    # A count of bad things: shadow IT is on track at 5 untriaged or fewer, at risk above 20.
    assert scorecard.status_of("shadow_it", 5) == "on_track"
    assert scorecard.status_of("shadow_it", 6) == "watch"
    assert scorecard.status_of("shadow_it", 21) == "at_risk"
    # A level to reach: cyber prevention on track at the target of 5, at risk below 4.
    assert scorecard.status_of("cyber_prevention", 5.0) == "on_track"
    assert scorecard.status_of("cyber_prevention", 4.2) == "watch"
    assert scorecard.status_of("cyber_prevention", 3.9) == "at_risk"
    assert scorecard.status_of("data", None) == "no_data"
    assert set(scorecard.THRESHOLDS) == {p.key for p in PRIORITIES}
    assert "on track at 5 or fewer" in scorecard.THRESHOLDS["shadow_it"].words()


def test_trend_by_status_then_by_value():
    assert scorecard.trend_of("shadow_it", "watch", 8, None, None) == "new"
    assert scorecard.trend_of("shadow_it", "on_track", 2, "watch", 8) == "better"
    assert scorecard.trend_of("shadow_it", "watch", 9, "watch", 8) == "worse"
    assert scorecard.trend_of("data", "watch", 80, "watch", 70) == "better"
    assert scorecard.trend_of("data", "watch", 70, "watch", 70) == "same"
    assert scorecard.trend_of("data", "no_data", None, "watch", 70) == "new"


def _merchants(n: int, start: int = 0) -> None:
    with context.acting("system"):
        for i in range(start, start + n):
            services.create(
                context.SYSTEM,
                Merchant,
                {"key": f"shop{i}", "name": f"Shop {i}", "category": "software"},
            )


def _row(rows, key):
    return next(r for r in rows if r.priority.key == key)


@pytest.mark.django_db
def test_figures_from_records_and_the_trend_from_readings(users, departments):
    _merchants(7)
    team = factories.team("Service desk", departments["PW"])
    factories.position("Analyst", team)  # funded and vacant
    with context.acting("system"):
        for n, disposition in enumerate(("migrate", "eliminate", "invest")):
            services.create(
                context.SYSTEM,
                System,
                {
                    "name": f"System {n}",
                    "owner_department": departments["PW"],
                    "hosting": "on_premises",
                    "criticality": 3,
                    "data_classification": "internal",
                    "time_disposition": disposition,
                },
            )
    rows = scorecard_input.rows_for(users["manager"])
    assert len(rows) == len(PRIORITIES)
    shadow = _row(rows, "shadow_it")
    assert (shadow.status, shadow.value) == ("watch", 7)
    assert shadow.figure == "7 of 7 merchants wait for triage"
    assert shadow.url == reverse("shadowit:merchant_list") + "?status=new"
    assert shadow.trend == "new"
    org = _row(rows, "organization")
    assert (org.status, org.figure) == ("on_track", "1 of 1 funded positions are vacant")
    assert _row(rows, "data").status == "no_data"
    modern = _row(rows, "modernization")
    assert (modern.status, modern.value) == ("on_track", 2)
    assert "2 systems rated migrate or eliminate: 0 with a proposal" in modern.figure
    # Asking for the scorecard kept today's readings (the job ran, one per priority).
    today = timezone.localdate()
    assert ScorecardReading.objects.filter(day=today).count() == len(PRIORITIES)
    # A reading 30 days ago with a shorter queue: the trend says it got worse.
    ScorecardReading.objects.bulk_create(
        [
            ScorecardReading(
                day=today - datetime.timedelta(days=30),
                priority="shadow_it",
                status="on_track",
                value=2,
            )
        ]
    )
    assert _row(scorecard_input.rows_for(users["manager"]), "shadow_it").trend == "worse"


@pytest.mark.django_db
def test_the_rows_cost_the_same_queries_however_many_records(users, departments):
    _merchants(1)
    scorecard_input.rows_for(users["manager"])  # today's readings kept
    with CaptureQueriesContext(connection) as few:
        scorecard_input.rows_for(users["manager"])
    _merchants(20, start=1)
    with CaptureQueriesContext(connection) as many:
        scorecard_input.rows_for(users["manager"])
    assert len(many) == len(few)


@pytest.mark.django_db
def test_the_page_shows_the_figures_and_the_thresholds(client_for, departments):
    _merchants(3)
    page = client_for("liaison").get(reverse("exchange:scorecard"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Is technology bought outside IT found" in text
    assert "merchants wait for triage" in text
    assert "only the records you may see" in text


@pytest.mark.django_db
def test_the_daily_readings_use_the_kept_analyses_as_the_whole_city_stands(
    monkeypatch, departments
):
    """A row rule on what continuity and the foundation read keeps their kept results from
    a person's scorecard, but the readings are the whole city's: they read them anyway."""
    from townhall.continuity import stored as continuity
    from townhall.exchange import tasks
    from townhall.foundation import stored as foundation

    with context.acting("system"):
        services.create(
            context.SYSTEM, Service, {"name": "Permits", "owner_department": departments["PW"]}
        )
    monkeypatch.setattr(continuity, "shared", lambda: False)
    monkeypatch.setattr(foundation, "shared", lambda user=None: False)
    # The readings take what the modules keep, as their jobs keep it.
    continuity.refresh()
    foundation.refresh()
    tasks.ask_for_readings()
    read = dict(
        ScorecardReading.objects.filter(
            priority__in=("continuity", "infrastructure_investment")
        ).values_list("priority", "value")
    )
    assert read == {"continuity": 0, "infrastructure_investment": 0}
