"""The findings read from the database (only what the reader may see, in a fixed number of
queries), the front page with its links to the records, and the brief for leaders made as a
PDF on the job runner."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from townhall.core import context, services
from townhall.core.pdf import document
from townhall.estate import models as e
from townhall.jobs.models import Job
from townhall.shadowit import brief, findings, findings_input
from townhall.shadowit.models import Merchant, MerchantAnswer, Purchase

pytestmark = pytest.mark.django_db


def _last_month(day: int = 5) -> datetime.date:
    first = timezone.localdate().replace(day=1)
    return (first - datetime.timedelta(days=1)).replace(day=day)


def _merchant(key: str, **values):
    values = {"key": key, "name": key.title(), "category": "software", **values}
    return services.create(context.SYSTEM, Merchant, values)


def _buy(key: str, department, amount: str, day: datetime.date | None = None) -> Purchase:
    return services.create(
        context.SYSTEM,
        Purchase,
        {
            "purchased_on": day or _last_month(),
            "descriptor": key.upper(),
            "amount": Decimal(amount),
            "owner_department": department,
            "merchant_key": key,
        },
    )


@pytest.fixture
def bought(departments):
    """Zoom in both departments (Public Works the larger), Govforms in Finance holding
    residents' data, Microsoft adopted by IT, and a system costing $12,000 a year."""
    pw, fin = departments["PW"], departments["FIN"]
    with context.acting("system"):
        zoom = _merchant("zoom")
        govforms = _merchant("govforms", departments=[fin.pk])
        microsoft = _merchant("microsoft", status="adopted", sign_in_application="Office", users=9)
        _buy("zoom", pw, "1000")
        _buy("zoom", fin, "400")
        _buy("govforms", fin, "600")
        _buy("microsoft", pw, "3000")
        services.create(
            context.SYSTEM,
            MerchantAnswer,
            {
                "merchant": govforms,
                "owner_department": fin,
                "resident_data": "yes",
                "purpose": "Permit forms",
            },
        )
        services.create(
            context.SYSTEM,
            e.System,
            {"name": "ERP", "owner_department": fin, "cost_license": Decimal("12000")},
        )
    return {"zoom": zoom, "govforms": govforms, "microsoft": microsoft}


def test_the_findings_from_the_records(bought, users):
    found = findings_input.compute(users["viewer"], timezone.localdate())
    (dup,) = found.duplicates
    assert dup.label == "Zoom" and dup.spend == 1400 and dup.saving == Decimal("120.00")
    assert found.overall.outside == 2000  # Zoom and Govforms; Microsoft is adopted
    assert found.overall.technology == 5000 + 12000
    assert [x.merchant_id for x in found.exposures] == [bought["govforms"].pk]
    assert {n.merchant_id for n in found.no_sign_on} == {bought["zoom"].pk, bought["govforms"].pk}


def test_the_saving_share_is_a_setting(bought, users, settings):
    settings.SHADOWIT_CONSOLIDATION_SHARE = "0.5"
    found = findings_input.compute(users["viewer"], timezone.localdate())
    assert found.saving == Decimal("200.00")


def test_nobody_signed_out_sees_anything(bought):
    from django.contrib.auth.models import AnonymousUser

    found = findings_input.compute(AnonymousUser(), timezone.localdate())
    assert found.duplicates == [] and found.overall.technology == 0


def test_the_queries_do_not_grow_with_merchants_and_purchases(bought, users, departments):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            findings_input.compute(users["viewer"], timezone.localdate())
        return len(queries)

    before = count()
    with context.acting("system"):
        for n in range(15):
            _merchant(f"tool{n}", tool_kind="forms")
            _buy(f"tool{n}", departments["PW" if n % 2 else "FIN"], "10")
    assert count() == before <= 8


def test_the_front_page_queries_do_not_grow(bought, client_for, departments):
    client = client_for("viewer")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("shadowit:home")).status_code == 200
        return len(queries)

    before = count()
    with context.acting("system"):
        for n in range(25):
            _merchant(f"tool{n}", tool_kind="forms" if n % 3 else "")
            _buy(f"tool{n}", departments["PW" if n % 2 else "FIN"], "10")
            _buy(f"tool{n}", departments["FIN" if n % 2 else "PW"], "5")
    assert count() == before


def test_the_front_page_links_each_figure_to_its_records(bought, client_for, departments):
    page = client_for("viewer").get(reverse("shadowit:home"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "could save about <strong>$120</strong>" in html
    assert "<strong>11.8%</strong>" in html  # 2,000 of 17,000
    assert reverse("shadowit:merchant_detail", args=[bought["govforms"].pk]) in html
    assert "technology=outside" in html and "<svg" in html
    # the department's outside-IT link lists exactly the purchases counted
    fin = departments["FIN"].pk
    first, last, _ = findings.window(timezone.localdate())
    listed = client_for("viewer").get(
        reverse("shadowit:purchase_list"),
        {"technology": "outside", "owner_department": fin, "after": first, "before": last},
    )
    assert listed.status_code == 200
    body = listed.content.decode()
    assert "GOVFORMS" in body and "ZOOM" in body and "MICROSOFT" not in body


def test_the_front_page_with_nothing_recorded(client_for):
    page = client_for("viewer").get(reverse("shadowit:home"))
    assert page.status_code == 200
    assert "No technology spend is recorded" in page.content.decode()


def test_the_front_page_is_in_the_menu_and_on_the_home_page(client_for):
    html = client_for("viewer").get(reverse("core:home")).content.decode()
    assert reverse("shadowit:home") in html


def test_the_brief_says_the_figures(bought, users):
    sections = brief.sections(brief.facts(users["viewer"]))
    text = " ".join(t for _, paragraphs in sections for t in paragraphs)
    assert "could save about $120 a year" in text
    assert "$2,000 of $17,000 spent on technology was bought outside IT: 11.8%" in text
    assert "Govforms: 1 department said it holds residents' data; no current contract" in text
    assert "2 software services paid for this year ($2,000) are not reached" in text


def test_the_brief_as_a_web_page(bought, client_for):
    page = client_for("viewer").get(reverse("shadowit:brief") + "?format=html")
    assert page.status_code == 200
    assert "<h2>Residents&#x27; data at risk</h2>" in page.content.decode()


def test_the_brief_fits_one_page_and_lays_out_the_figures(bought, users):
    laid_out = document(brief.brief_html(users["viewer"]))
    assert len(laid_out.pages) == 1
    words = " ".join(
        box.text
        for page in laid_out.pages
        for box in page._page_box.descendants()
        if getattr(box, "text", None)
    )
    assert "$120" in words and "11.8%" in words and "Govforms" in words


def test_the_brief_is_made_on_the_job_runner(bought, client_for, users):
    client = client_for("viewer")
    response = client.get(reverse("shadowit:brief"))
    job = Job.objects.order_by("-pk").first()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.kind == brief.JOB_KIND and job.status == "done"
    assert job.created_by == users["viewer"]
    body = b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content)
    assert body.startswith(b"%PDF-")


@pytest.mark.parametrize("value", ["outside", "bogus", ""])
def test_the_outside_it_filter_takes_any_value(bought, client_for, value):
    client = client_for("viewer")
    page = client.get(reverse("shadowit:purchase_list"), {"technology": value})
    assert page.status_code == 200
    api = client.get("/api/shadowit/purchases/", {"technology": value})
    assert api.status_code in (200, 400)
    if value == "outside":
        assert {row["descriptor"] for row in api.json()["results"]} == {"ZOOM", "GOVFORMS"}
