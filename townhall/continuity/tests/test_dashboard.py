"""The continuity front page: figures worked out by hand on the small estate in
`estate.py`, each linked to its records, in a number of queries that does not grow."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from townhall.continuity import dashboard
from townhall.continuity import models as m
from townhall.continuity.tests import estate
from townhall.continuity.tests import factories as f
from townhall.core import context, services

URL = "/continuity/"
TODAY = datetime.date(2026, 11, 26)


def test_url_name():
    assert reverse("continuity:dashboard") == URL


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(departments):
    response = Client().get(URL)
    assert response.status_code == 302


@pytest.mark.django_db
def test_figures_of_the_small_estate(users, departments):
    s = estate.build(departments)
    permits = s["permits"].impact_analysis
    services.update(context.SYSTEM, permits, {"reviewed_on": TODAY}, version=permits.version)
    for step in ("submitted", "approved"):  # the review's own steps
        services.transition(context.SYSTEM, permits, step)
    erp = s["erp"].recovery_capability
    services.update(
        context.SYSTEM,
        erp,
        {"last_restore_test": TODAY - datetime.timedelta(days=400)},
        version=erp.version,
    )
    figures = dashboard.summary(users["staff"], today=TODAY)

    a = figures["analyses"]
    assert (a["services"], a["total"], a["approved"], a["essential"]) == (3, 3, 1, 2)
    assert a["approved_percent"] == 33

    # Payroll: ERP 4 + SQL 6 + SAN 12 = 22 h against an RTO of 8 h; Dispatch "meets" its
    # 1 h RTO only because the CAD server's restore time is unknown.
    r = figures["recovery"]
    assert (r["essential"], r["essential_with_rto"], r["essential_missing"]) == (2, 2, 1)
    assert r["essential_meeting"] == 1
    assert r["gap_count"] == 1 and r["gaps"][0]["name"] == "Payroll"
    assert r["gaps"][0]["gap_text"] == "14 h"
    assert r["rpo_gap_count"] == 1  # Payroll's 1 h RPO against the SQL cluster's 24 h backups
    assert r["inversion_count"] == 1  # ERP's 48 h RTO under Payroll's 8 h

    t = figures["restore"]
    assert (t["total"], t["systems"], t["all_systems"]) == (4, 2, 2)
    assert (t["never"], t["stale"]) == (3, 1)

    assert figures["campaign"] is None
    assert figures["plan"]["approved"] is None
    assert figures["exercises"]["latest"] is None


@pytest.mark.django_db
def test_exercise_follow_ups_and_plan(users, departments):
    s = estate.build(departments)
    exercise = services.create(
        context.SYSTEM,
        m.Exercise,
        {"name": "Ice storm", "scenario": "weather", "held_on": TODAY - datetime.timedelta(400)},
    )
    services.create(
        context.SYSTEM,
        m.ExerciseResult,
        {"exercise": exercise, "service": s["payroll"], "measured_hours": "30"},
    )
    services.create(
        context.SYSTEM,
        m.ExerciseResult,
        {"exercise": exercise, "service": s["permits"], "measured_hours": "10"},
    )
    for title, due in (("Late", TODAY - datetime.timedelta(1)), ("Later", None)):
        services.create(
            context.SYSTEM,
            m.FollowUp,
            {"exercise": exercise, "title": title, "due_on": due, "owner_department": None},
        )
    services.create(
        context.SYSTEM,
        m.RecoveryPlan,
        {
            "number": 1,
            "status": "approved",
            "approver_name": "Pat Lee",
            "approved_on": TODAY - datetime.timedelta(10),
        },
    )
    figures = dashboard.summary(users["viewer"], today=TODAY)
    e = figures["exercises"]
    assert e["latest"] == exercise and e["stale"]
    assert (e["results"], e["missed"]) == (2, 1)  # Payroll took 30 h against its 8 h RTO
    assert (e["open"], e["overdue"]) == (2, 1)
    assert figures["plan"]["approved"].number == 1 and not figures["plan"]["stale"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin", "staff", "viewer", "board", "liaison"])
def test_every_role_reads_the_page(role, client_for, departments):
    s = estate.build(departments)
    page = client_for(role).get(URL).content.decode()
    assert "<h1>Continuity readiness</h1>" in page
    payroll = reverse("estate:service_detail", args=[s["payroll"].pk])
    assert f'<a href="{payroll}">Payroll</a>' in page
    assert 'href="/continuity/impact-analyses/?status=approved"' in page


@pytest.mark.django_db
def test_an_empty_government_gets_a_first_step(client_for, departments):
    page = client_for("staff").get(URL).content.decode()
    assert "No service is marked mission-essential yet" in page
    assert "No recovery plan has been approved yet." in page


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_estate(client_for, departments):
    estate.build(departments)
    client = client_for("staff")

    def count() -> int:
        client.get(URL)  # the first request after a change has the analysis worked out again
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    small = count()
    for n in range(12):
        svc = f.service(f"Extra {n}", departments["PW"])
        f.impact(svc, rto_hours=4, mission_essential=True)
        system = f.system(f"Extra system {n}", departments["PW"])
        f.recovery(system, restore_hours=8)
        f.needs(svc, system)
    assert count() == small


@pytest.mark.django_db
def test_the_page_does_not_read_an_approved_plans_frozen_content(users, departments, client_for):
    """An approved plan's content is megabytes of JSON in a large county; the page shows
    only who approved the plan and when."""
    from townhall.continuity import plans
    from townhall.continuity.tests.test_plans import approve, ready

    estate.build(departments)
    first = approve(users["staff"], ready(plans.new_plan(users["staff"])))
    assert first.content
    client = client_for("viewer")
    client.get(URL)  # the analysis is worked out and kept
    with CaptureQueriesContext(connection) as queries:
        page = client.get(URL).content.decode()
    assert f'href="{first.get_absolute_url()}">version 1</a>' in page
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert '"continuity_recoveryplan"."content"' not in sql
