"""Incidents: stages in order (page and API, with messages that name both times), reports
not before detection, the metrics page, an incident's timeline and the summary."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from townhall.core import context, services
from townhall.cyber.models import Incident
from townhall.cyber.pages import incident as incident_pages

METRICS = reverse("cyber:incident_metrics")
UTC = datetime.UTC


def when(day: str, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=UTC)


def incident(title, department=None, **values):
    return services.create(
        context.SYSTEM,
        Incident,
        {"title": title, "owner_department": department, "severity": "high", **values},
    )


@pytest.fixture
def utc(settings):
    settings.TIME_ZONE = "UTC"


# --- stages in order ------------------------------------------------------------------------


@pytest.mark.django_db
def test_stages_out_of_order_are_refused_on_the_page(client_for, departments, utc):
    post = {
        "title": "Mailbox takeover",
        "owner_department": departments["PW"].pk,
        "severity": "high",
        "kind": "phishing",
        "began": "2026-03-02T08:00",
        "detected": "2026-03-01T09:30",
        "contained": "2026-03-01T08:00",
        "recovered": "2026-03-03T10:00",
    }
    response = client_for("staff").post(reverse("cyber:incident_add"), post)
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        "Detected (2026-03-01 09:30) cannot be before began (2026-03-02 08:00): "
        "the stages go began → detected → contained → eradicated → recovered."
    ) in page
    assert "Contained (2026-03-01 08:00) cannot be before detected (2026-03-01 09:30)" in page
    assert not Incident.objects.exists()

    post.update(began="", contained="2026-03-01T10:00", eradicated="2026-03-04T10:00")
    response = client_for("staff").post(reverse("cyber:incident_add"), post)
    assert response.status_code == 400
    assert (
        "Recovered (2026-03-03 10:00) cannot be before eradicated (2026-03-04 10:00)"
    ) in response.content.decode()

    post.update(eradicated="2026-03-02T10:00")
    response = client_for("staff").post(reverse("cyber:incident_add"), post)
    assert response.status_code == 302
    assert Incident.objects.get().contained == when("2026-03-01", 10)


@pytest.mark.django_db
def test_stages_out_of_order_are_refused_by_the_api(users, departments, utc):
    api = APIClient()
    api.force_authenticate(users["staff"])
    data = {
        "title": "Web defacement",
        "owner_department": departments["PW"].pk,
        "severity": "moderate",
        "kind": "other",
        "detected": "2026-04-01T12:00:00Z",
        "contained": "2026-04-01T11:00:00Z",
    }
    response = api.post("/api/cyber/incidents/", data, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert "contained" in errors
    assert "cannot be before detected (2026-04-01 12:00)" in str(errors["contained"])
    assert not Incident.objects.exists()

    data["contained"] = "2026-04-01T13:00:00Z"
    response = api.post("/api/cyber/incidents/", data, format="json")
    assert response.status_code == 201, response.content

    # Editing one stage so it falls before another is refused too.
    saved = Incident.objects.get()
    response = api.patch(
        f"/api/cyber/incidents/{saved.pk}/",
        {"recovered": "2026-04-01T12:30:00Z", "version": saved.version},
        format="json",
    )
    assert response.status_code == 400
    assert "Recovered (2026-04-01 12:30) cannot be before contained" in str(response.json())


@pytest.mark.django_db
def test_reports_cannot_come_before_detection(client_for, departments, utc):
    response = client_for("staff").post(
        reverse("cyber:incident_add"),
        {
            "title": "Lost laptop",
            "severity": "low",
            "kind": "lost_device",
            "detected": "2026-05-02T09:00",
            "reported_insurer": "2026-05-01T17:00",
        },
    )
    assert response.status_code == 400
    assert (
        "Reported to the insurer (2026-05-01 17:00) cannot be before the incident was "
        "detected (2026-05-02 09:00)."
    ) in response.content.decode()


# --- metrics --------------------------------------------------------------------------------


@pytest.fixture
def history(departments, utc):
    pw, fin = departments["PW"], departments["FIN"]
    return [
        # 2025: contain 2 h and 6 h, recover 24 h and 96 h; one still open
        incident(
            "Phish A",
            pw,
            began=when("2025-03-01", 6),
            detected=when("2025-03-01", 10),
            contained=when("2025-03-01", 12),
            recovered=when("2025-03-02", 10),
            reported_ms_isac=when("2025-03-01", 11),
        ),
        incident(
            "Ransom B",
            fin,
            severity="critical",
            detected=when("2025-06-10", 8),
            contained=when("2025-06-10", 14),
            recovered=when("2025-06-14", 8),
            reported_insurer=when("2025-06-10", 20),
            reported_ms_isac=when("2025-06-10", 9),
        ),
        incident("Open C", pw, detected=when("2025-11-20", 9)),
        # 2026
        incident(
            "Scan D",
            pw,
            severity="low",
            detected=when("2026-01-05", 12),
            contained=when("2026-01-05", 13),
        ),
    ]


@pytest.mark.django_db
def test_metrics_page_per_year(client_for, history):
    response = client_for("staff").get(METRICS)
    assert response.status_code == 200
    years = response.context["years"]
    assert [y.year for y in years] == [2025, 2026]
    y2025 = years[0].all
    assert (y2025.incidents, y2025.open) == (3, 1)
    assert (y2025.contain.median, y2025.contain.mean) == (4, 4)
    assert y2025.recover.median == 60
    html = response.content.decode()
    assert "2.5 days" in html  # median time to recover in 2025
    assert "Median time to contain, by year of detection" in html
    # The severity table is for the latest year by default.
    assert response.context["year"].year == 2026
    response = client_for("staff").get(METRICS + "?year=2025")
    rows = {r["label"]: r["group"].incidents for r in response.context["severity_rows"]}
    assert rows == {"Critical": 1, "High": 2}


@pytest.mark.django_db
def test_metrics_page_answers_bad_years(client_for, history):
    client = client_for("staff")
    assert client.get(METRICS + "?year=nineteen").status_code == 404
    response = client.get(METRICS + "?year=1999")
    assert response.status_code == 200
    assert "No incident was detected in 1999." in response.content.decode()


@pytest.mark.django_db
def test_metrics_page_for_a_liaison_counts_their_department_only(client_for, history):
    response = client_for("liaison").get(METRICS)
    y2025 = response.context["years"][0].all
    assert y2025.incidents == 2  # Phish A and Open C; Ransom B is Finance's
    assert y2025.recover.median == 24


@pytest.mark.django_db
def test_metrics_page_roles(client_for, history):
    assert client_for("viewer").get(METRICS).status_code == 200
    assert client_for("board").get(METRICS).status_code == 200
    response = Client().get(METRICS)
    assert response.status_code == 302


@pytest.mark.django_db
def test_metrics_page_without_incidents(client_for):
    response = client_for("staff").get(METRICS)
    assert response.status_code == 200
    assert "No incidents recorded yet." in response.content.decode()


@pytest.mark.django_db
def test_incident_summary(users, history):
    summary = incident_pages.incident_summary(users["staff"], 2025)
    assert summary["year"] == 2025
    assert (summary["incidents"], summary["open"]) == (3, 1)
    assert summary["by_severity"] == {"critical": 1, "high": 2, "moderate": 0, "low": 0}
    assert summary["hours_to_contain"] == 4
    assert summary["hours_to_recover"] == 60
    assert summary["text_to_recover"] == "2.5 days"
    assert summary["hours_to_detect"] == 4
    assert summary["reported"] == {
        "reported_ms_isac": 2,
        "reported_state": 0,
        "reported_insurer": 1,
        "reported_law_enforcement": 0,
    }
    assert summary["url"] == METRICS + "?year=2025"
    assert incident_pages.incident_summary(users["liaison"], 2025)["incidents"] == 2


# --- an incident's page ---------------------------------------------------------------------


@pytest.mark.django_db
def test_incident_page_shows_the_timeline_and_who_was_told(client_for, history):
    ransom = history[1]
    response = client_for("staff").get(ransom.get_absolute_url())
    assert response.status_code == 200
    events = [e.key for e in response.context["events"]]
    assert events == [
        "detected",
        "reported_ms_isac",
        "contained",
        "reported_insurer",
        "recovered",
    ]
    told = {r["label"]: r["after"] for r in response.context["told"]}
    assert told == {
        "MS-ISAC": "1 hour",
        "The state": "",
        "The insurer": "12 hours",
        "Law enforcement": "",
    }
    html = response.content.decode()
    assert "12 hours after detection" in html
    assert "Not reported" in html
    durations = dict(response.context["durations"])
    assert durations["Time to contain"] == "6 hours"
    assert durations["Time to recover"] == "4 days"
    assert durations["Time to detect"] == "—"


@pytest.mark.django_db
def test_open_incident_says_so(client_for, history):
    html = client_for("staff").get(history[2].get_absolute_url()).content.decode()
    assert "Still open" in html
