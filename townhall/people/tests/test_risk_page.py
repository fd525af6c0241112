"""The key-person risk page, its feeder and the "Who can run it" panel: flagged critical
systems with their people and the services they stop, the 1/3/5-year view from staff
records' retirement dates, what a reader may not see left out, and query counts that do
not grow with the estate or the organization."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from townhall.continuity.tests import factories as cf
from townhall.core import context, services
from townhall.estate.models import System
from townhall.people import risk_input
from townhall.people.models import Proficiency, StaffRecord
from townhall.people.tests import factories as f


def _level(person, skill, level):
    with context.acting("system"):
        services.create(
            context.SYSTEM, Proficiency, {"person": person, "skill": skill, "level": level}
        )


def _retires(person, day):
    with context.acting("system"):
        services.create(
            context.SYSTEM, StaffRecord, {"person": person, "retirement_eligible_on": day}
        )


def _critical(name, tier=1, department=None):
    with context.acting("system"):
        return services.create(
            context.SYSTEM,
            System,
            {"name": name, "owner_department": department, "criticality": tier},
        )


def _estate(departments, n):
    """A dispatch service on a critical CAD system known by one person, and a payroll
    system known by two, one of whom may retire within the year."""
    today = timezone.localdate()
    with context.acting("system"):
        cad = _critical(f"CAD {n}", 1)
        payroll = _critical(f"Payroll {n}", 2)
        dispatch = cf.service(f"911 dispatch {n}")
        pay = cf.service(f"Pay staff {n}")
        radio = cf.service(f"Radio {n}")
        cf.needs(dispatch, radio)
        cf.needs(radio, cad)
        cf.needs(pay, payroll)
        cf.impact(dispatch, mission_essential=True)
    cad_skill = f.skill(f"TECH-CAD-{n}", f"CAD platform {n}", "technology", systems=[cad])
    erp = f.skill(f"TECH-ERP-{n}", f"ERP {n}", "technology", systems=[payroll])
    ann, bo, cy = (f.person(f"{who} {n}", is_it_staff=True) for who in ("Ann", "Bo", "Cy"))
    _level(ann, cad_skill, 4)
    _level(bo, cad_skill, 2)
    _level(bo, erp, 3)
    _level(cy, erp, 4)
    _retires(bo, today + datetime.timedelta(days=100))
    _retires(ann, today + datetime.timedelta(days=8 * 365))
    return cad, payroll


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.django_db
def test_the_page_flags_critical_systems_and_the_services_they_stop(departments, client_for):
    _estate(departments, 1)
    _critical("Records 1", 2)  # no skill linked: not known
    response = client_for("manager").get("/people/key-person-risk/")
    assert response.status_code == 200
    text = _text(response)
    assert "people-risk-retirement-hidden" not in response.content.decode()
    assert "1 critical system with fewer than two people who can run it" in text
    assert "1 more within 5 years" in text
    flags = _text_of(response, "people-risk-flags")
    assert "CAD 1" in flags and "Ann 1" in flags and "Bo 1" not in flags
    assert "911 dispatch 1 ← Radio 1 ← CAD 1" in flags
    assert "Radio 1 ← CAD 1" in flags
    within_one = _text_of(response, "people-risk-within-1-table")
    assert "Payroll 1" in within_one and "Bo 1 , eligible to retire" in within_one
    assert "Pay staff 1 ← Payroll 1" in within_one
    assert "911 dispatch 1 : bus factor 1, through CAD 1" in text
    assert "Records 1" in _text_of(response, "people-risk-unknown-list")
    # Retirement eligibility is personnel data: other roles see today's risk without it.
    for role in ("staff", "viewer"):
        response = client_for(role).get("/people/key-person-risk/")
        text = _text(response)
        assert "1 critical system with fewer than two people who can run it" in text
        assert "0 more within 5 years" in text and "eligible to retire on" not in text
        assert "Payroll 1" not in text
        assert "administrators and IT managers see this part" in text


def _text_of(response, element_id: str) -> str:
    html = response.content.decode()
    start = html.index(f'id="{element_id}"')
    end = html.find("</table>", start)
    end = end if end != -1 else html.find("</ul>", start)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start:end]))


@pytest.mark.django_db
def test_a_reader_counts_only_what_they_may_see(departments, users, monkeypatch):
    cad, payroll = _estate(departments, 1)
    seen = risk_input.analyze(users["manager"])
    assert [f.system for f in seen.result.flags] == [("system", cad.pk)]
    assert [f.system for f in seen.result.coming[1]] == [("system", payroll.pk)]
    # Retirement dates are personnel data, held back from every other role: the risk
    # today still shows, the coming one does not.
    for role in ("staff", "liaison", "board", "viewer"):
        held = risk_input.analyze(users[role])
        assert [f.system for f in held.result.flags] == [("system", cad.pk)]
        assert held.retiring == {} and held.result.coming[1] == []
    assert risk_input.analyze(users["admin"]).result.coming[1]
    # A proficiency the reader may not see does not count.
    monkeypatch.setattr(Proficiency, "admin_only", True, raising=False)
    assert risk_input.analyze(users["viewer"]).result.risks[("system", cad.pk)].bus_factor == 0


@pytest.mark.django_db
def test_the_feeder_queries_do_not_grow(departments, users):
    _estate(departments, 1)

    def queries(user) -> int:
        with CaptureQueriesContext(connection) as captured:
            risk_input.analyze(user)
        return len(captured.captured_queries)

    few = {role: queries(users[role]) for role in ("manager", "viewer")}
    for n in range(2, 6):
        _estate(departments, n)
    assert {role: queries(users[role]) for role in few} == few
    assert few["manager"] == 15


@pytest.mark.django_db
def test_the_page_queries_do_not_grow(departments, client_for):
    client = client_for("viewer")
    _estate(departments, 1)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/people/key-person-risk/").status_code == 200
        return len(captured.captured_queries)

    queries()
    few = queries()
    for n in range(2, 4):
        _estate(departments, n)
    assert queries() == few


@pytest.mark.django_db
def test_who_can_run_it_on_the_system_page(departments, client_for):
    cad, payroll = _estate(departments, 1)
    client = client_for("viewer")
    text = _text(client.get(f"/estate/systems/{cad.pk}/"))
    assert "Who can run it" in text
    assert "Bus factor: 1 — a critical system fewer than two people can run" in text
    text = _text(client.get(f"/estate/systems/{payroll.pk}/"))
    assert "Bus factor: 2 ." in text
    assert "within 1 year" not in text and "eligible to retire" not in text
    assert "Administrators and IT managers see how retirement eligibility changes this" in text
    text = _text(client_for("manager").get(f"/estate/systems/{payroll.pk}/"))
    assert "1 within 1 year, 1 within 3 years, 1 within 5 years" in text
    assert "Bo 1 , eligible to retire" in text
    with context.acting("system"):
        bare = cf.system("Bare 1")
    text = _text(client.get(f"/estate/systems/{bare.pk}/"))
    assert "Not known: no skill is linked to this system" in text
    with context.acting("system"):
        server = cf.component("Server 1")
    f.skill("TECH-LINUX", "Linux", "technology", components=[server])
    text = _text(client.get(f"/estate/components/{server.pk}/"))
    assert "Who can run it" in text and "Nobody." in text and "Bus factor: 0" in text


@pytest.mark.django_db
def test_the_panel_queries_do_not_grow(departments, client_for):
    cad, _ = _estate(departments, 1)
    client = client_for("viewer")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/estate/systems/{cad.pk}/").status_code == 200
        return len(captured.captured_queries)

    queries()  # the first page of a session reads what later pages find cached
    few = queries()
    skill = cad.skills.get()
    for i in range(6):
        person = f.person(f"Extra {i}")
        _level(person, skill, 3)
        _retires(person, timezone.localdate() + datetime.timedelta(days=30 * i))
    assert queries() == few


@pytest.mark.django_db
def test_an_empty_estate_answers_with_nothing_flagged(client_for):
    response = client_for("viewer").get("/people/key-person-risk/")
    assert response.status_code == 200
    text = _text(response)
    assert "0 critical systems with fewer than two people who can run them" in text
    assert "None: every critical system whose skills are recorded" in text
