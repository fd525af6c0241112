"""The cyber front page and the one-page brief for leaders: figures from the records the
reader may see, asks that follow from them, one page of PDF."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from townhall.core import context, services
from townhall.core.pdf import document
from townhall.cyber import brief
from townhall.cyber import models as m
from townhall.cyber import services as cyber
from townhall.cyber.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def picture(departments):
    """Two functions, last year and this year; a risk, an exposure, a course nobody took."""
    fw = f.framework(1, key="csf")
    gv = f.requirement(fw, 1, identifier="GV", level="function", title="Govern", assessable=False)
    pr = f.requirement(fw, 2, identifier="PR", level="function", title="Protect", assessable=False)
    leaves = [
        f.requirement(fw, 3, identifier="GV.OC-01", parent=gv, sort_key="1"),
        f.requirement(fw, 4, identifier="PR.AT-01", parent=pr, sort_key="2"),
    ]
    last = cyber.start_assessment(context.SYSTEM, fw, 2025, "2025 self-assessment")
    for leaf, level in zip(leaves, (3, 5), strict=True):
        cyber.save_score(context.SYSTEM, last, leaf, level=level)
    cyber.complete(context.SYSTEM, last)
    now = cyber.start_assessment(context.SYSTEM, fw, 2026, "2026 self-assessment", previous=last)
    for leaf, level in zip(leaves, (4, 6), strict=True):
        cyber.save_score(context.SYSTEM, now, leaf, level=level)
    f.create(
        m.Risk,
        title="Ransomware encrypts the file servers",
        owner_department=departments["FIN"],
        inherent_likelihood=5,
        inherent_impact=5,
        residual_likelihood=4,
        residual_impact=5,
    )
    system = f.system(1)
    vuln = f.vulnerability("CVE-2024-0001", ransomware=True, due_date=datetime.date(2020, 1, 1))
    f.create(
        m.Exposure,
        kind="kev",
        system=system,
        vulnerability=vuln,
        ransomware=True,
        due_date=vuln.due_date,
        version_status="affected",
    )
    f.create(m.Course, name="Annual security awareness", required=True)
    for n in range(3):
        f.person(n, departments["PW"])
    return now


def test_facts_trace_to_the_records(users, picture):
    found = brief.facts(users["viewer"], timezone.localdate())
    assert found["assessment"] == picture
    assert [(x["identifier"], str(x["mean"])) for x in found["summary"]["functions"]] == [
        ("GV", "4.0"),
        ("PR", "6.0"),
    ]
    assert found["headline"] == (
        "Our cyber defences score 5.0 on the national 1–7 scale, meeting the recommended "
        "minimum of 5, up 1.0 from last year."
    )
    why = " ".join(a.why for a in found["asks"])
    assert "1 used in ransomware attacks; 1 past the federal due date" in why
    assert "1 of our areas are below 5: Govern." in why
    assert "0% of staff are current" in why
    assert [r["title"] for r in found["risks"]["top"]] == ["Ransomware encrypts the file servers"]


def test_the_front_page_for_each_role(client_for, picture):
    page = client_for("viewer").get(reverse("cyber:dashboard"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "up 1.0 from last year" in text
    assert "Back the urgent patching" in text
    assert reverse("cyber:brief") in text
    liaison = client_for("liaison").get(reverse("cyber:dashboard"))
    assert liaison.status_code == 200
    assert reverse("cyber:brief") not in liaison.content.decode()
    assert "Back the urgent patching" not in liaison.content.decode()
    assert Client().get(reverse("cyber:dashboard")).status_code == 302


def test_the_brief_is_one_page_of_pdf(client_for, picture):
    html = client_for("board").get(reverse("cyber:brief") + "?format=html")
    assert html.status_code == 200
    text = html.content.decode()
    assert "What we need from you" in text and "Ransomware encrypts the file servers" in text
    assert "sha256-" in html["Content-Security-Policy"]
    assert len(document(text).pages) == 1
    pdf = client_for("viewer").get(reverse("cyber:brief"))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert "no-store" in pdf["Cache-Control"]


def test_the_brief_stays_one_page_with_a_full_register(client_for, departments, picture):
    for n in range(40):
        f.create(
            m.Risk,
            title=f"A long-winded risk title number {n} about a system that could fail badly",
            owner_department=departments["FIN"],
            inherent_likelihood=4,
            inherent_impact=4,
        )
    text = client_for("staff").get(reverse("cyber:brief") + "?format=html").content.decode()
    assert len(document(text).pages) == 1


def test_liaisons_and_anonymous_get_no_brief(client_for):
    assert client_for("liaison").get(reverse("cyber:brief")).status_code == 403
    assert Client().get(reverse("cyber:brief")).status_code == 302


def test_an_empty_government_gets_a_brief_that_says_so(client_for):
    text = client_for("staff").get(reverse("cyber:brief") + "?format=html").content.decode()
    assert "We have not yet scored our cyber defences" in text
    page = client_for("staff").get(reverse("cyber:dashboard"))
    assert page.status_code == 200
    assert reverse("cyber:assessment_start") in page.content.decode()


def test_an_accepted_risk_ending_soon_is_asked_about(users, picture):
    person = f.person(9)
    services.create(
        context.SYSTEM,
        m.Risk,
        {
            "title": "Old jail database",
            "treatment": "accept",
            "status": "accepted",
            "approver": person,
            "acceptance_expires": timezone.localdate() + datetime.timedelta(days=10),
        },
    )
    found = brief.facts(users["staff"])
    assert any("accepted risk" in a.why for a in brief.asks.asks(_all(found), limit=10))


def _all(found: dict) -> brief.asks.Figures:
    return brief.asks.Figures(
        acceptances_ending=found["risks"]["acceptances_expired"]
        + found["risks"]["acceptances_expiring"]
    )


def _more_of_everything(departments, start: int, n: int) -> None:
    """`n` more of each record the front page counts: people and their training, risks,
    incidents, exposures of both kinds, plan actions, evidence, components past support."""
    from townhall.cyber.tests import plan_factories as pf
    from townhall.estate import models as estate

    course = m.Course.objects.get(name="Annual security awareness")
    today = timezone.localdate()
    for k in range(start, start + n):
        person = f.person(100 + k, departments["PW"])
        pf.completion(person, course, today - datetime.timedelta(days=k))
        pf.risk(f"Risk {k}", owner_department=departments["FIN"])
        f.create(m.Incident, title=f"Incident {k}", detected=timezone.now())
        system = f.system(100 + k)
        vuln = f.vulnerability(f"CVE-2025-{k:04d}", due_date=datetime.date(2020, 1, 1))
        found = pf.exposure(system, vuln, due_date=vuln.due_date)
        pf.exposure(system, release=pf.release(cycle=f"20{k:02d}"))
        f.create(m.Action, title=f"Patch {k}", exposure=found, due_date=today)
        f.create(m.Evidence, title=f"Evidence {k}", link="https://example.org/proof", expires=today)
        f.create(
            estate.Component,
            name=f"Server {k}",
            end_of_support=datetime.date(2020, 1, 1),
            owner_department=departments["PW"],
        )


def test_the_front_page_costs_the_same_for_1_or_10_of_everything(client_for, departments, picture):
    """The front page counts in the database, not row by row: its queries do not grow with
    the people, exposures, risks or actions behind its figures."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("staff")
    _more_of_everything(departments, 0, 1)
    client.get(reverse("cyber:dashboard"))  # sessions and first-time reads settle
    _more_of_everything(departments, 1, 1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("cyber:dashboard")).status_code == 200
    _more_of_everything(departments, 2, 9)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("cyber:dashboard"))
    assert page.status_code == 200
    assert page.context["exposure"]["open_kev"] == 1 + 11
    assert page.context["training"]["people"] == 3 + 11
    # 34 with the platform's own three per signed-in request: the session, the person, and
    # the session's record with its limits (accounts/middleware.py).
    assert len(many) == len(few) <= 34, len(few)


def test_the_brief_counts_training_coverage_once(users, picture, monkeypatch):
    """The insurer's training answer is the brief's own training figure, handed over, not
    counted again (it read every person and completion a second time)."""
    from townhall.cyber import training

    counted = []
    real = training.coverage

    def coverage(*args, **kwargs):
        counted.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(training, "coverage", coverage)
    found = brief.facts(users["staff"])
    assert len(counted) == 1
    answer = next(g for g in found["insurance"]["gaps"] if g["slug"] == "training")
    assert answer["answer"] == "no"  # nobody has taken the required course
