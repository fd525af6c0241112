"""The risk register: accepting a risk needs an approver and an expiry date (page and API),
the heat maps count what they should and each square lists exactly its risks, liaisons see
only their department's, and a risk's page shows its rating before and after controls."""

import datetime
import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from townhall.core import context, services
from townhall.cyber.models import Incident, Risk
from townhall.cyber.pages import risk as risk_pages
from townhall.cyber.tests import factories as f

REGISTER = reverse("cyber:risk_register")
LIST = reverse("cyber:risk_list")


def risk(title, department=None, **values):
    values = {"inherent_likelihood": 3, "inherent_impact": 3, **values}
    return services.create(
        context.SYSTEM, Risk, {"title": title, "owner_department": department, **values}
    )


def listed(client, url):
    """Titles of the risks a list page shows."""
    html = client.get(url).content.decode()
    return sorted(unescape(t) for t in re.findall(r'<a href="/cyber/risks/\d+/">([^<]+)</a>', html))


@pytest.fixture
def approver(departments):
    return f.person(1, departments["PW"])


# --- accepting a risk -----------------------------------------------------------------------


@pytest.mark.django_db
def test_accepting_without_approver_or_expiry_is_refused_on_the_page(
    client_for, departments, approver
):
    client = client_for("staff")
    post = {
        "title": "Unpatched kiosk",
        "owner_department": departments["PW"].pk,
        "inherent_likelihood": 4,
        "inherent_impact": 2,
        "treatment": "accept",
        "status": "open",
    }
    response = client.post(reverse("cyber:risk_add"), post)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Accepting a risk needs the person who approves it." in page
    assert "Accepting a risk needs a date when the acceptance is reviewed." in page
    assert not Risk.objects.exists()

    # The status "accepted" needs them as much as the treatment does.
    post.update(treatment="mitigate", status="accepted", approver=approver.pk)
    response = client.post(reverse("cyber:risk_add"), post)
    assert response.status_code == 400
    assert "Accepting a risk needs a date when the acceptance is reviewed." in (
        response.content.decode()
    )
    assert not Risk.objects.exists()

    post.update(acceptance_expires="2027-01-31")
    response = client.post(reverse("cyber:risk_add"), post)
    assert response.status_code == 302
    saved = Risk.objects.get()
    assert saved.approver == approver
    assert saved.acceptance_expires == datetime.date(2027, 1, 31)


@pytest.mark.django_db
def test_accepting_without_approver_or_expiry_is_refused_by_the_api(users, departments, approver):
    api = APIClient()
    api.force_authenticate(users["staff"])
    data = {
        "title": "Legacy VPN",
        "owner_department": departments["PW"].pk,
        "inherent_likelihood": 3,
        "inherent_impact": 4,
        "treatment": "accept",
        "status": "accepted",
    }
    response = api.post("/api/cyber/risks/", data, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert "approver" in errors and "acceptance_expires" in errors
    assert not Risk.objects.exists()

    data.update(approver=approver.pk, acceptance_expires="2027-06-30")
    response = api.post("/api/cyber/risks/", data, format="json")
    assert response.status_code == 201, response.content

    # Changing an existing risk to "accept" without an approver is refused too.
    other = risk("Shared passwords", departments["PW"])
    response = api.patch(
        f"/api/cyber/risks/{other.pk}/",
        {"treatment": "accept", "version": other.version},
        format="json",
    )
    assert response.status_code == 400
    other.refresh_from_db()
    assert other.treatment == "mitigate"


@pytest.mark.django_db
def test_residual_needs_both_likelihood_and_impact(client_for, departments):
    response = client_for("staff").post(
        reverse("cyber:risk_add"),
        {
            "title": "Half rated",
            "inherent_likelihood": 3,
            "inherent_impact": 3,
            "residual_likelihood": 2,
            "treatment": "mitigate",
            "status": "open",
        },
    )
    assert response.status_code == 400
    assert "Give both residual likelihood and impact, or neither." in response.content.decode()


# --- the register page ----------------------------------------------------------------------


@pytest.fixture
def register(departments, approver):
    pw, fin = departments["PW"], departments["FIN"]
    today = timezone.localdate()
    return {
        "ransom": risk(
            "Ransomware on file servers",
            pw,
            inherent_likelihood=4,
            inherent_impact=5,
            residual_likelihood=2,
            residual_impact=4,
            due_date=today - datetime.timedelta(days=10),
        ),
        "phish": risk(
            "Phishing of payroll staff",
            fin,
            inherent_likelihood=4,
            inherent_impact=5,
            residual_likelihood=3,
            residual_impact=3,
        ),
        "kiosk": risk(
            "Library kiosks unpatched",
            pw,
            inherent_likelihood=2,
            inherent_impact=2,
            treatment="accept",
            status="accepted",
            approver=approver,
            acceptance_expires=today + datetime.timedelta(days=20),
        ),
        "fax": risk(
            "Old fax gateway",
            fin,
            inherent_likelihood=1,
            inherent_impact=3,
            residual_likelihood=1,
            residual_impact=1,
            treatment="accept",
            status="accepted",
            approver=approver,
            acceptance_expires=today - datetime.timedelta(days=3),
        ),
        "closed": risk(
            "Retired mainframe",
            fin,
            inherent_likelihood=5,
            inherent_impact=5,
            status="closed",
            due_date=today - datetime.timedelta(days=100),
        ),
    }


def cell_links(html: str, which: str) -> dict[tuple[int, int], str]:
    """(likelihood, impact) -> the address each linked square of a heat map points to."""
    found = {}
    pattern = rf'href="([^"]*{which}_likelihood=(\d)[^"]*)"'
    for url, _ in re.findall(pattern, html):
        url = unescape(url)
        lk = int(re.search(rf"{which}_likelihood=(\d)", url).group(1))
        im = int(re.search(rf"{which}_impact=(\d)", url).group(1))
        found[(lk, im)] = url
    return found


@pytest.mark.django_db
def test_register_counts_and_links(client_for, register):
    client = client_for("staff")
    response = client.get(REGISTER)
    assert response.status_code == 200
    ctx = response.context
    assert ctx["count"] == 4  # the closed risk is left out
    inherent, residual = (m["grid"] for m in ctx["maps"])
    assert inherent.counts == {(4, 5): 2, (2, 2): 1, (1, 3): 1}
    assert residual.counts == {(2, 4): 1, (3, 3): 1, (1, 1): 1}
    assert residual.unrated == 1  # the kiosk has no residual rating
    # Current rating: ransom 8 moderate, phish 9 moderate, kiosk 4 low, fax 1 low.
    assert {b.key: n for b, n in ctx["bands"]} == {
        "low": 2,
        "moderate": 2,
        "high": 0,
        "very_high": 0,
    }
    html = response.content.decode()
    assert "1 risk is not yet rated after controls" in html
    assert "2 risks with likelihood 4 (Likely) and impact 5 (Severe): very high" in html

    links = cell_links(html, "inherent")
    assert set(links) == {(4, 5), (2, 2), (1, 3)}  # only squares holding risks
    assert listed(client, links[(4, 5)]) == [
        "Phishing of payroll staff",
        "Ransomware on file servers",
    ]
    assert listed(client, links[(2, 2)]) == ["Library kiosks unpatched"]
    residual_links = cell_links(html, "residual")
    assert set(residual_links) == {(2, 4), (3, 3), (1, 1)}
    assert listed(client, residual_links[(3, 3)]) == ["Phishing of payroll staff"]
    assert listed(client, residual_links[(1, 1)]) == ["Old fax gateway"]


@pytest.mark.django_db
def test_register_lists_top_past_due_and_acceptances(client_for, register):
    response = client_for("staff").get(REGISTER)
    ctx = response.context
    # Top by current rating: phish 9, ransom 8, kiosk 4 (inherent), fax 1.
    assert [r.risk.title for r in ctx["top"]] == [
        "Phishing of payroll staff",
        "Ransomware on file servers",
        "Library kiosks unpatched",
        "Old fax gateway",
    ]
    assert [(r.risk.title, r.days) for r in ctx["past_due"]] == [("Ransomware on file servers", 10)]
    assert [(r.risk.title, r.days) for r in ctx["expired"]] == [("Old fax gateway", 3)]
    assert [(r.risk.title, r.days) for r in ctx["expiring"]] == [("Library kiosks unpatched", 20)]
    client = client_for("staff")
    assert listed(client, unescape(ctx["past_due_url"])) == ["Ransomware on file servers"]
    assert listed(client, unescape(ctx["accepted_url"])) == [
        "Library kiosks unpatched",
        "Old fax gateway",
    ]


@pytest.mark.django_db
def test_liaison_sees_only_their_department(client_for, register, users):
    client = client_for("liaison")  # Public Works
    response = client.get(REGISTER)
    assert response.status_code == 200
    assert response.context["count"] == 2
    html = response.content.decode()
    assert "Ransomware on file servers" in html
    assert "Phishing of payroll staff" not in html
    assert "Old fax gateway" not in html
    inherent = response.context["maps"][0]["grid"]
    assert inherent.counts == {(4, 5): 1, (2, 2): 1}
    link = cell_links(html, "inherent")[(4, 5)]
    assert listed(client, link) == ["Ransomware on file servers"]
    # Another department's risk is not there at all.
    assert client.get(register["phish"].get_absolute_url()).status_code == 404
    summary = risk_pages.risk_summary(users["liaison"])
    assert summary["open"] == 2
    assert [t["title"] for t in summary["top"]] == [
        "Ransomware on file servers",
        "Library kiosks unpatched",
    ]


@pytest.mark.django_db
def test_register_for_every_role(register):
    from townhall.conftest import make_user

    for role in ("viewer", "board"):
        client = Client()
        client.force_login(make_user(f"{role}-x", role))
        assert client.get(REGISTER).status_code == 200
    response = Client().get(REGISTER)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
def test_bad_filters_do_not_break_the_list(client_for, register):
    client = client_for("staff")
    for query in (
        "inherent_likelihood=9",
        "inherent_impact=abc",
        "stage=nonsense",
        "acceptance_by=31-31-2020",
        "residual_likelihood=%00",
    ):
        assert client.get(f"{LIST}?{query}").status_code in (200, 400), query
    assert listed(client, f"{LIST}?stage=to_do") == [
        "Phishing of payroll staff",
        "Ransomware on file servers",
    ]


@pytest.mark.django_db
def test_risk_summary_shape(users, register):
    summary = risk_pages.risk_summary(users["staff"])
    assert summary["open"] == 4
    assert summary["bands"] == {"low": 2, "moderate": 2, "high": 0, "very_high": 0}
    assert summary["band_labels"]["very_high"] == "Very high"
    first = summary["top"][0]
    assert first["title"] == "Phishing of payroll staff"
    assert (first["inherent"], first["residual"], first["rating"]) == (20, 9, 9)
    assert first["band"] == "Moderate"
    assert first["department"] == "Finance"
    assert first["url"] == register["phish"].get_absolute_url()
    assert len(summary["top"]) == 4
    assert summary["past_due"] == 1
    assert summary["acceptances_expired"] == 1
    assert summary["acceptances_expiring"] == 1
    assert summary["url"] == REGISTER


# --- a risk's page --------------------------------------------------------------------------


@pytest.mark.django_db
def test_risk_page_shows_rating_before_and_after_and_links(client_for, departments, approver):
    fw = f.framework(1)
    req = f.requirement(fw, 1, identifier="PR.AA-01", title="Identities are managed")
    sys = f.system(1)
    r = risk(
        "Shared admin accounts",
        departments["PW"],
        inherent_likelihood=4,
        inherent_impact=5,
        residual_likelihood=2,
        residual_impact=3,
        systems=[sys],
        requirements=[req],
    )
    incident = services.create(
        context.SYSTEM,
        Incident,
        {
            "title": "Admin password reused",
            "owner_department": departments["PW"],
            "detected": datetime.datetime(2026, 2, 1, 9, tzinfo=datetime.UTC),
            "risks": [r],
        },
    )
    response = client_for("staff").get(r.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Controls lower the rating by 14 points, from very high to moderate." in html
    assert "4 · Likely" in html and "5 · Severe" in html
    assert "2 · Unlikely" in html and "3 · Moderate" in html
    assert sys.get_absolute_url() in html
    assert "PR.AA-01 Identities are managed" in html
    assert incident.get_absolute_url() in html


@pytest.mark.django_db
def test_risk_page_shows_acceptance_expiry(client_for, departments, approver):
    r = risk(
        "Unsupported phone system",
        departments["PW"],
        treatment="accept",
        status="accepted",
        approver=approver,
        acceptance_expires=timezone.localdate() - datetime.timedelta(days=5),
    )
    html = client_for("staff").get(r.get_absolute_url()).content.decode()
    assert "expired 5 days ago" in html
    assert "The acceptance has expired" in html
    assert approver.get_absolute_url() in html


@pytest.mark.django_db
def test_the_api_filters_as_the_squares_do(users, register):
    api = APIClient()
    api.force_authenticate(users["staff"])

    def titles(query):
        response = api.get(f"/api/cyber/risks/?{query}")
        assert response.status_code == 200
        body = response.json()
        rows = body["results"] if isinstance(body, dict) else body
        return sorted(r["title"] for r in rows)

    assert titles("stage=not_closed&inherent_likelihood=4&inherent_impact=5") == [
        "Phishing of payroll staff",
        "Ransomware on file servers",
    ]
    assert titles("stage=accepted") == ["Library kiosks unpatched", "Old fax gateway"]
    assert titles("residual_likelihood=1&residual_impact=1") == ["Old fax gateway"]
