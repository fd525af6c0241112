"""The foundation brief: what is weakening, under which services, what replacing costs over
five years and what deferring leaves, from the records; as a web page, PDF and DOCX made on
the job runner."""

import datetime
import io
from decimal import Decimal

import docx
import pytest
from django.utils import timezone

from townhall.continuity.tests import factories as f
from townhall.core import context, services
from townhall.estate import models as e
from townhall.foundation import brief
from townhall.jobs.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def estate(departments):
    """911 dispatch (mission-essential) needs CAD on one server past its support (priced)
    and one with no price, due within five years by its expected life."""
    pw = departments["PW"]
    dispatch = f.service("911 dispatch", pw)
    f.impact(dispatch, rto_hours=1, mission_essential=True)
    cad = f.system("CAD", pw)
    today = timezone.localdate()
    old = services.create(
        context.SYSTEM,
        e.Component,
        {
            "name": "db-1",
            "owner_department": pw,
            "end_of_support": today - datetime.timedelta(days=30),
            "replacement_cost": Decimal("12000"),
        },
    )
    young = services.create(
        context.SYSTEM,
        e.Component,
        {
            "name": "web-1",
            "owner_department": pw,
            "install_date": today - datetime.timedelta(days=365 * 3),
            "service_life_years": 5,
        },
    )
    f.needs(dispatch, cad)
    f.needs(cad, old)
    f.needs(cad, young)
    return dispatch


def test_the_brief_says_what_weakens_where_and_what_it_costs(estate, users):
    data = brief.facts(users["viewer"])
    assert data["bands"]["critical"] == 3  # CAD and db-1 stop dispatch; db-1 is past support
    words = {r["words"]: r["count"] for r in data["reasons"]}
    assert words["past their vendor's end of support"] == 1
    assert words["whose loss alone stops a mission-essential service"] == 3
    (service,) = data["services"]
    assert service["name"] == "911 dispatch"
    assert service["past_due"] == 1 and service["due"] == 2
    assert service["capital"] == 12000
    assert data["total_capital"] == 12000 and data["without_cost"] == 1
    text = " ".join(t for _, paragraphs in brief.sections(data) for _, t in paragraphs)
    assert "1 component without a replacement cost recorded" in text
    assert "911 dispatch: 1 component it needs already past the end of its life; 2 due" in text


def test_the_brief_as_a_web_page(estate, client_for):
    page = client_for("viewer").get("/foundation/brief/?format=html")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h2>If the work is deferred</h2>" in html and "911 dispatch" in html


@pytest.mark.parametrize(("kind", "magic"), [("pdf", b"%PDF-"), ("docx", b"PK")])
def test_the_brief_is_made_on_the_job_runner(estate, client_for, users, kind, magic):
    client = client_for("viewer")
    response = client.get(f"/foundation/brief/?format={kind}")
    job = Job.objects.order_by("-pk").first()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == "done" and job.created_by == users["viewer"]
    body = b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content)
    assert body.startswith(magic)
    if kind == "docx":
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(body)).paragraphs)
        assert "What it costs over five years" in text and "911 dispatch" in text


def test_the_brief_prices_with_the_citys_unit_costs_and_settings(estate, users):
    """A component with no cost of its own is priced at the city's unit cost for its kind,
    with the inflation rate of the replacement settings (none here, to count by hand)."""
    from townhall.foundation.models import ReplacementSettings, UnitCost

    services.create(context.SYSTEM, UnitCost, {"kind": "server", "capital": Decimal("5000")})
    services.create(
        context.SYSTEM,
        ReplacementSettings,
        {"inflation_percent": Decimal("0"), "horizon": 5, "start_month": 1},
    )
    data = brief.facts(users["viewer"])
    assert data["without_cost"] == 0
    assert data["total_capital"] == 12000 + 5000  # db-1's own cost; web-1 at the unit cost
    text = " ".join(t for _, paragraphs in brief.sections(data) for _, t in paragraphs)
    assert "rising 0% a year" in text
