"""Moving a pilot through its stages and review, the pipeline board and the readiness
questionnaire page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from townhall.audit.models import AuditEntry
from townhall.core import context, services
from townhall.registers import models as m
from townhall.registers import pilot_moves, readiness


def pilot(departments, title="Bridge drone", technology="drone", **values) -> m.Pilot:
    return services.create(
        context.SYSTEM,
        m.Pilot,
        {
            "title": title,
            "technology": technology,
            "owner_department": departments["PW"],
            "idea_on": datetime.date(2026, 1, 5),
            **values,
        },
    )


def review(departments, for_pilot, decision="pending", **values) -> m.SurveillanceReview:
    return services.create(
        context.SYSTEM,
        m.SurveillanceReview,
        {
            "pilot": for_pilot,
            "collected": "Video of bridge decks",
            "owner_department": departments["PW"],
            "decision": decision,
            "decided_on": None if decision == "pending" else datetime.date(2026, 2, 1),
            **values,
        },
    )


@pytest.mark.django_db
def test_move_a_pilot_through_review(users, departments):
    """The done-when: a drone pilot waits for its review, then runs, is evaluated, scales."""
    staff = users["staff"]
    drone = pilot(departments)
    with pytest.raises(ValidationError, match="approved surveillance-technology review"):
        pilot_moves.move(staff, drone, "pilot")
    pending = review(departments, drone)
    with pytest.raises(ValidationError, match="approved surveillance-technology review"):
        pilot_moves.move(staff, drone, "pilot")
    services.update(
        staff,
        pending,
        {
            "decision": "approved_with_conditions",
            "conditions": "No flights over homes",
            "decided_on": datetime.date(2026, 2, 1),
        },
        version=pending.version,
    )
    drone = pilot_moves.move(staff, drone, "pilot", on=datetime.date(2026, 2, 10), note="go")
    assert (drone.stage, drone.pilot_on) == ("pilot", datetime.date(2026, 2, 10))
    with pytest.raises(ValidationError, match="cannot move to scaled"):
        pilot_moves.move(staff, drone, "scaled")
    drone = pilot_moves.move(staff, drone, "evaluation", on=datetime.date(2026, 5, 1))
    drone = pilot_moves.move(staff, drone, "scaled", on=datetime.date(2026, 7, 1))
    assert drone.scaled_on == datetime.date(2026, 7, 1)
    moves = AuditEntry.objects.filter(object_id=str(drone.pk), after__has_key="transition")
    assert sorted(e.after["transition"] for e in moves) == [
        "stage: evaluation → scaled",
        "stage: idea → pilot (go)",
        "stage: pilot → evaluation",
    ]


@pytest.mark.django_db
def test_a_pilot_not_needing_review_moves_freely_and_days_stay_in_order(users, departments):
    bins = pilot(departments, "Smart bins", "iot")
    with pytest.raises(ValidationError, match="comes after"):
        pilot_moves.move(users["staff"], bins, "pilot", on=datetime.date(2025, 12, 1))
    moved = pilot_moves.move(users["staff"], bins, "pilot", on=datetime.date(2026, 2, 1))
    assert moved.stage == "pilot"


@pytest.mark.django_db
def test_rule_is_configurable(users, departments, settings):
    from townhall.registers.apps import surveillance_kinds

    settings.TOWNHALL_SURVEILLANCE_REVIEW = {"always": ["iot"]}
    drone, bins = pilot(departments), pilot(departments, "Smart bins", "iot")
    car = pilot(departments, "Shuttle", "vehicle", personal_data=True)
    assert pilot_moves.move(users["staff"], drone, "pilot").stage == "pilot"
    with pytest.raises(ValidationError):
        pilot_moves.move(users["staff"], bins, "pilot")
    with pytest.raises(ValidationError):  # the list left unset keeps our default
        pilot_moves.move(users["staff"], car, "pilot")
    assert surveillance_kinds() == []
    settings.TOWNHALL_SURVEILLANCE_REVIEW = {"always": ["drones", "iot"], "personal_data": []}
    assert [(e.id, "drones" in e.msg) for e in surveillance_kinds()] == [("registers.E001", True)]


@pytest.mark.django_db
def test_stage_is_not_moved_by_an_edit(client_for, departments):
    bins = pilot(departments, "Smart bins", "iot")
    response = client_for("staff").post(
        reverse("registers:pilot_edit", args=[bins.pk]),
        {
            "title": "Smart bins",
            "technology": "iot",
            "stage": "scaled",
            "owner_department": departments["PW"].pk,
            "idea_on": "2026-01-05",
            "version": bins.version,
        },
    )
    assert response.status_code in (200, 302)
    bins.refresh_from_db()
    assert bins.stage == "idea"


@pytest.mark.django_db
def test_move_page_says_why_and_who_may(client_for, departments):
    drone = pilot(departments)
    url = reverse("registers:pilot_move", args=[drone.pk])
    client = client_for("staff")
    response = client.post(url, {"to": "pilot"}, follow=True)
    assert b"approved surveillance-technology review" in response.content
    drone.refresh_from_db()
    assert drone.stage == "idea"
    for bad in ({"to": "nowhere"}, {"to": "stopped", "on": "not a day"}, {}):
        response = client.post(url, bad, follow=True)
        assert response.status_code == 200
        drone.refresh_from_db()
        assert drone.stage == "idea"
    response = client.post(url, {"to": "stopped", "next": "https://example.com/"})
    assert response["Location"] == drone.get_absolute_url()
    drone.refresh_from_db()
    assert drone.stage == "stopped"
    assert client_for("viewer").post(url, {"to": "pilot"}).status_code == 403
    assert client.get(url).status_code == 405
    assert client.post(reverse("registers:pilot_move", args=[99999]), {}).status_code == 404


@pytest.mark.django_db
def test_liaison_moves_only_own_departments_pilots(client_for, departments):
    own = pilot(departments, "Own", "ai")
    other = pilot(departments, "Other", "ai", owner_department=departments["FIN"])
    client = client_for("liaison")
    client.post(reverse("registers:pilot_move", args=[own.pk]), {"to": "pilot"})
    own.refresh_from_db()
    assert own.stage == "pilot"
    response = client.post(reverse("registers:pilot_move", args=[other.pk]), {"to": "pilot"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_pipeline_by_stage_in_fixed_queries(client_for, departments):
    client = client_for("viewer")
    drone = pilot(departments)
    url = reverse("registers:pilot_pipeline")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert response.status_code == 200
    assert b"Awaiting its surveillance review" in response.content
    for n in range(6):
        made = pilot(departments, f"Drone {n}")
        review(departments, made)
    pilot(departments, "Parking sensors", "iot")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(few)
    columns = {c["stage"]: c["rows"] for c in response.context["columns"]}
    assert len(columns["idea"]) == 8 and drone.title.encode() in response.content
    detail = client.get(drone.get_absolute_url())
    assert b"needs an approved surveillance-technology review" in detail.content
    assert b"Start the pilot" not in detail.content  # a viewer has no moves


@pytest.mark.django_db
def test_readiness_questionnaire_saves_and_scores(client_for, departments):
    assessment = services.create(
        context.SYSTEM,
        m.ReadinessAssessment,
        {
            "title": "Drones for Public Works",
            "technology": "drone",
            "owner_department": departments["PW"],
        },
    )
    url = reverse("registers:readiness_answers", args=[assessment.pk])
    questions = readiness.questionnaire("drone")
    client = client_for("staff")
    page = client.get(url)
    assert page.status_code == 200
    assert questions[0].guidance.encode() in page.content
    post = {f"answer-{q.key}": "2" for q in questions}
    post[f"answer-{questions[0].key}"] = "0"
    post["version"] = assessment.version
    response = client.post(url, post)
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.result.total == 2 * (len(questions) - 1)
    detail = client.get(assessment.get_absolute_url())
    assert questions[0].text.encode() in detail.content  # the weakest area
    # Bad input: named, nothing saved, no server error.
    bad = client.post(url, {f"answer-{questions[1].key}": "9", "version": assessment.version})
    assert bad.status_code == 400
    assert b"Choose an answer from 0 to 3" in bad.content
    # A superscript two is a digit to Python but no number: refused, not a server error.
    odd = client.post(url, {f"answer-{questions[1].key}": "\u00b2", "version": "\u00b2"})
    assert odd.status_code == 400 and b"Choose an answer from 0 to 3" in odd.content
    stale = client.post(url, {f"answer-{questions[1].key}": "1", "version": "1"})
    assert stale.status_code == 400 and b"not saved" in stale.content
    assessment.refresh_from_db()
    assert assessment.answers[questions[1].key] == 2
    viewer = client_for("viewer")
    assert viewer.get(url).status_code == 200
    assert viewer.post(url, post).status_code == 403
    assert client.get(reverse("registers:readiness_answers", args=[9999])).status_code == 404


@pytest.mark.django_db
def test_home_notice_counts_overdue_reviews_across_registers(users, departments):
    from townhall.registers import reviews

    pilot(departments, last_reviewed_on=datetime.date(2020, 1, 1))
    services.create(
        context.SYSTEM,
        m.ReadinessAssessment,
        {
            "title": "AI",
            "technology": "ai",
            "owner_department": departments["PW"],
            "last_reviewed_on": datetime.date(2020, 1, 1),
        },
    )
    notice = reviews.home_notice(users["staff"])
    assert notice is not None and notice.text.startswith("2 register records")
