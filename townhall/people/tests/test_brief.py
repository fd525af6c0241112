"""The workforce brief: where the government depends on one person (with retirement
figures only for those who see personnel data), vacancies and time to fill, and the skills
nobody has; as a web page with its records linked, and as PDF and Word files made on the
job runner; who may ask; and queries that do not grow with the data."""

import datetime
import io
import re

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from townhall.core import context, services
from townhall.core.pdf import document
from townhall.estate.models import System
from townhall.governance import presets
from townhall.governance import services as gov
from townhall.governance.models import BudgetCycle, Proposal
from townhall.jobs.models import Job
from townhall.people import brief, workforce
from townhall.people.models import DeclinedOffer, Requisition, StaffRecord
from townhall.people.tests import factories as f
from townhall.people.tests.test_risk_page import _estate, _level

pytestmark = pytest.mark.django_db


def _create(model, values):
    with context.acting("system"):
        return services.create(context.SYSTEM, model, values)


@pytest.fixture
def cycle(db):
    with context.acting("system"):
        criteria = gov.load_preset(context.SYSTEM, presets.ORANGE_COUNTY_STYLE)
        return gov.open_cycle(
            context.SYSTEM,
            {"name": "FY2027", "first_year": 2027, "years": 3, "criteria_set": criteria},
        )


def _proposal(cycle, department, title, status, **values):
    return _create(
        Proposal,
        {
            "cycle": cycle,
            "owner_department": department,
            "title": title,
            "problem": "Old.",
            "outcome": "New.",
            "kind": Proposal.Kind.MODERNIZATION,
            "earliest_start": 2027,
            "status": status,
            **values,
        },
    )


def _recruiting(departments, n):
    """A security team: an analyst position vacant for 190 days with a posted requisition
    hiring for a skill nobody has, a filled one that took 90 days, a declined offer."""
    today = timezone.localdate()
    team = f.team(f"Cybersecurity {n}", departments["PW"])
    vacant = f.position(
        f"Security Analyst {n}", team, vacant_since=today - datetime.timedelta(days=190)
    )
    holder = f.person(f"Dee {n}")
    f.position(f"Security Officer {n}", team, holder)
    f.position(f"Unfunded {n}", team, funded=False)
    siem = f.skill(f"TECH-SIEM-{n}", f"SIEM platform {n}", "technology")
    req = _create(
        Requisition,
        {
            "title": f"Security Analyst hire {n}",
            "position": vacant,
            "team": team,
            "stage": "posted",
            "opened_on": today - datetime.timedelta(days=150),
            "skills": [siem],
        },
    )
    _create(DeclinedOffer, {"requisition": req, "declined_on": today, "reason": "pay"})
    _create(
        Requisition,
        {
            "title": f"Network hire {n}",
            "team": team,
            "stage": "filled",
            "opened_on": today - datetime.timedelta(days=120),
            "filled_on": today - datetime.timedelta(days=30),
        },
    )
    return siem


@pytest.fixture
def county(departments, cycle):
    """Key-person risk (CAD by Ann alone; Payroll by two, Bo retiring within the year),
    recruiting, and a funded project replacing a system whose skill nobody has."""
    cad, payroll = _estate(departments, 1)
    siem = _recruiting(departments, 1)
    gis = _create(System, {"name": "GIS 1", "criticality": 3})
    f.skill("TECH-GIS-1", "GIS platform 1", "technology", systems=[gis])
    f.skill("TECH-OLD-1", "Old mainframe 1", "technology", systems=[gis])
    _level(f.person("Eve 1"), siem, 1)
    _proposal(
        cycle,
        departments["PW"],
        "GIS upgrade 1",
        Proposal.Status.APPROVED,
        replaces_systems=[gis],
    )
    _proposal(
        cycle, departments["PW"], "Draft idea 1", Proposal.Status.DRAFT, extends_systems=[cad]
    )
    return cad, payroll, gis


def _text(data) -> str:
    return "\n".join(t for _h, paragraphs, _r in brief.sections(data) for _k, t in paragraphs)


def test_the_brief_tells_where_the_government_depends_on_one_person(county, users):
    data = brief.facts(users["manager"])
    text = _text(data)
    assert "1 critical system (tier 1 or 2) has fewer than two people" in text
    assert (
        "CAD 1 (tier 1): only Ann 1 can run it; without it, 911 dispatch 1 and Radio 1 stop."
        in text
    )
    assert "eligible to retire on" not in text  # Ann's day is eight years off
    assert "1 within a year, 0 more within 3 years and 0 more within 5 years" in text
    assert "Within a year: Payroll 1." in text
    assert "Retirement figures are left out" not in text


def test_a_brief_by_it_staff_has_no_retirement_figures_and_says_so(county, users):
    data = brief.facts(users["staff"])
    text = _text(data)
    assert "CAD 1 (tier 1): only Ann 1 can run it" in text
    assert "Retirement figures are left out" in text
    assert "eligible to retire on" not in text and "Within a year" not in text
    assert data["depends"]["coming"] == {}
    assert all(p["retiring"] is None for fl in data["depends"]["flags"] for p in fl["people"])
    # The administrator's brief has them, and names the day the only expert may retire
    # when it falls within five years.
    record = StaffRecord.objects.get(person__name="Ann 1")
    soon = timezone.localdate() + datetime.timedelta(days=400)
    with context.acting("system"):
        services.update(context.SYSTEM, record, {"retirement_eligible_on": soon}, version=None)
    admin = _text(brief.facts(users["admin"]))
    assert "Within a year: Payroll 1." in admin
    assert "Ann 1, who alone can run CAD 1, becomes eligible to retire on" in admin
    assert "Ann 1" not in _text(brief.facts(users["staff"])).split("Retirement")[1]


def test_the_brief_counts_vacancies_and_time_to_fill(county, users):
    data = brief.facts(users["staff"])
    v = data["vacancies"]
    assert (v["funded"], v["vacant"], v["rate"]) == (2, 1, 50)
    text = _text(data)
    assert "1 of 2 funded positions is vacant (50%)." in text
    assert "Security Analyst 1 (Cybersecurity 1): vacant 190 days, since " in text
    assert "requisition “Security Analyst hire 1” is posted." in text
    assert "1 position was filled, in a median of 90 days" in text
    assert "1 offer turned down in the last year; why: pay (1)." in text


def test_the_brief_names_the_skills_nobody_has(county, users):
    data = brief.facts(users["staff"])
    s = data["skills"]
    gaps = {g["name"]: g for g in s["gaps"]}
    assert set(gaps) == {"GIS platform 1", "Old mainframe 1"}  # CAD and ERP have people
    assert gaps["GIS platform 1"]["items"] == ["GIS 1"]
    assert s["cycle"] == "FY2027"
    assert [p["title"] for p in s["projects"]] == ["GIS upgrade 1"]  # the draft is not funded
    assert {n["name"] for n in s["needs"]} == {"GIS platform 1", "Old mainframe 1"}
    text = _text(data)
    assert "2 skills the estate's systems and components use have nobody at level 3" in text
    assert "GIS platform 1: used by GIS 1; nobody is being hired for it." in text
    assert "1 project of the FY2027 budget cycle is approved or in progress: GIS upgrade 1." in text
    assert "nobody has 2 of them" in text
    assert "Open requisitions are hiring for SIEM platform 1." in text


def test_a_closed_cycle_has_no_funded_projects(county, users, cycle):
    with context.acting("system"):
        services.update(context.SYSTEM, cycle, {"status": BudgetCycle.Status.CLOSED}, version=None)
    text = _text(brief.facts(users["staff"]))
    assert "No budget cycle is open, so no funded project is counted." in text


def test_the_pure_gaps_and_needs():
    gis, old = ("system", 1), ("system", 2)
    gaps = workforce.estate_gaps({"a": [gis, old], "b": [gis], "c": []}, {"b": 1}, {"a": [9]})
    assert gaps == [workforce.Gap("a", (gis, old), (9,))]
    needs = workforce.portfolio_needs(
        {"p": [gis], "q": [gis, old]}, {gis: ["a", "b"], old: ["a"]}, {"b": 2}, {}
    )
    assert [(n.skill, n.proposals, n.people) for n in needs] == [
        ("a", ("p", "q"), 0),
        ("b", ("p", "q"), 2),
    ]
    assert workforce.holders([(1, "a", 3), (2, "a", 4), (3, "a", 2), (1, "b", 1)]) == {"a": 2}


def test_the_web_page_version_links_the_records(county, client_for, users):
    cad, _payroll, gis = county
    response = client_for("staff").get("/people/brief/?format=html")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h2>Skills nobody has</h2>" in html
    assert f'href="http://testserver/estate/systems/{cad.pk}/">CAD 1</a>' in html
    assert "Records behind these figures" in html
    assert "Security Analyst 1 (Cybersecurity 1)</a>" in html
    assert "GIS upgrade 1</a>" in html


@pytest.mark.parametrize(("kind", "magic"), [("pdf", b"%PDF-"), ("docx", b"PK")])
def test_the_brief_is_made_on_the_job_runner(county, client_for, users, kind, magic):
    client = client_for("manager")
    response = client.post("/people/brief/", {"format": kind})
    job = Job.objects.order_by("-pk").first()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == "done" and job.created_by == users["manager"], job.message
    body = b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content)
    assert body.startswith(magic)
    if kind == "docx":
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(body)).paragraphs)
        assert "Where the government depends on one person" in text
        assert "Within a year: Payroll 1." in text
        assert "Records behind these figures: CAD 1; " in text
    page = client.get("/people/brief/").content.decode()
    assert f"/jobs/{job.pk}/download/" in page


def test_the_pdf_says_the_words(county, users):
    """Read from the laid-out PDF, as continuity's plan tests read theirs."""
    html = brief.brief_html(users["staff"], "http://testserver")
    words = " ".join(
        b.text
        for page in document(html).pages
        for b in page._page_box.descendants()
        if getattr(b, "text", "")
    )
    words = re.sub(r"\s+", " ", words)
    assert "Retirement figures are left out" in words
    assert "Security Analyst 1" in words and "Security Analyst hire 1" in words
    assert "Records behind these figures" in words and "GIS upgrade 1" in words


def test_who_may_ask(county, client_for):
    for role in ("viewer", "board", "liaison"):
        client = client_for(role)
        page = client.get("/people/brief/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "ask one of them for a copy" in html and "Make the PDF" not in html
        assert client.post("/people/brief/", {"format": "pdf"}).status_code == 403
        assert client.get("/people/brief/?format=html").status_code == 403
    assert not Job.objects.exists()
    for role in ("staff", "manager", "admin"):
        assert "Make the PDF" in client_for(role).get("/people/brief/").content.decode()
    response = client_for("staff").post("/people/brief/", {"format": "exe"})
    assert response.status_code == 400
    assert "Choose PDF or Word for the format." in response.content.decode()
    assert client_for("staff").delete("/people/brief/").status_code == 405


def test_a_finished_brief_is_read_by_who_asked(county, client_for, users):
    client_for("staff").post("/people/brief/", {"format": "docx"})
    job = Job.objects.get()
    assert client_for("viewer").get(f"/jobs/{job.pk}/download/").status_code == 404
    assert client_for("admin").get(f"/jobs/{job.pk}/download/").status_code == 200


def test_the_queries_do_not_grow(departments, cycle, users):
    _estate(departments, 1)
    _recruiting(departments, 1)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            brief.facts(users["manager"])
        return len(captured.captured_queries)

    few = queries()
    for n in range(2, 5):
        _estate(departments, n)
        _recruiting(departments, n)
        gis = _create(System, {"name": f"GIS {n}", "criticality": 3})
        f.skill(f"TECH-GIS-{n}", f"GIS platform {n}", "technology", systems=[gis])
        _proposal(cycle, departments["PW"], f"GIS upgrade {n}", "approved", replaces_systems=[gis])
    assert queries() == few


def test_an_empty_county_still_has_a_brief(users):
    text = _text(brief.facts(users["staff"]))
    assert "Every critical system whose skills are recorded has at least two people" in text
    assert "No funded position is recorded." in text
    assert "No budget cycle is open" in text
