"""The peer comparison page, its summary partial and the peer report made on the job runner."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from townhall.core import context, services
from townhall.exchange import peers_input
from townhall.exchange.models import HubMember, HubSubmission
from townhall.exchange.tests import peer_data
from townhall.jobs.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def compared(users):
    peer_data.make()


def test_the_page_shows_where_we_stand_by_role(compared, client_for):
    # This Townhall is also a hub holding a peer's own submission: it never shows.
    with context.acting("system"):
        peer = services.create(
            context.SYSTEM,
            HubMember,
            {
                "member_id": "m-1",
                "name": "Cedar County",
                "public_key": "k",
                "kind": "county",
                "population_band": "pop_100k_250k",
                "region": "south",
                "budget_band": "budget_250m_1b",
            },
        )
        services.create(
            context.SYSTEM,
            HubSubmission,
            {
                "member": peer,
                "year": 2026,
                "metric_set_version": "2026.1",
                "values": {"cyber_protect": 6.7},
                "signature": "s",
            },
        )
    page = client_for("board").get(reverse("exchange:peers"), {"year": "2026"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Behind most peers</strong>: 0.8 points below the median of 14 peers" in text
    assert "Ahead of most peers</strong>: 5.8 percentage points below" in text
    assert "No value of ours" in text and "<svg" in text
    assert "6.7" not in text and "Cedar County" not in text
    assert "<td>6.0%</td>" in text and "<td>11.8%</td>" in text  # ours, the cohort's median
    assert client_for("liaison").get(reverse("exchange:peers")).status_code == 403
    # A year not typed as a year, or with no submission, falls back to the latest.
    for year in ("²", "9" * 40, "1999"):
        answer = client_for("viewer").get(reverse("exchange:peers"), {"year": year})
        assert answer.status_code == 200 and b"choose one of the years" in answer.content


def test_the_summary_lists_the_metrics_behind_most_peers(compared):
    html = render_to_string(
        "exchange/_peer_summary.html", {"peer_behind": peers_input.compare().behind}
    )
    assert "Cyber maturity: Protect" in html
    assert "IT vacancy rate" not in html  # ahead of most peers


def test_the_peer_report_is_a_pdf_made_on_the_job_runner(compared, client_for, users):
    client = client_for("viewer")
    response = client.post(reverse("exchange:peers_report"), {"year": "2026"})
    job = Job.objects.order_by("-pk").first()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == "done", job.message
    assert job.created_by == users["viewer"]
    body = b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content)
    assert body.startswith(b"%PDF-")
    assert client_for("liaison").post(reverse("exchange:peers_report")).status_code == 403


def test_the_scorecard_page_names_the_metrics_behind_most_peers(compared, client_for):
    page = client_for("viewer").get("/exchange/scorecard/").content.decode()
    assert "Behind most peers" in page
    summary = page.split('id="peer-summary-heading"')[1].split("</section>")[0]
    assert "Cyber maturity: Protect" in summary  # 3.4 against a first quartile of 3.5
    assert "IT vacancy rate" not in summary  # 6 % where most peers have more: ahead
    liaison = client_for("liaison").get("/exchange/scorecard/").content.decode()
    assert "peer-summary-heading" not in liaison  # liaisons do not read the comparison
