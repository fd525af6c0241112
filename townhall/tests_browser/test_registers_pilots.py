"""Innovation pilots in a real browser: the pipeline board, a drone pilot refused its start
until its surveillance review is approved, and a readiness questionnaire answered by
keyboard; all passing axe-core."""

import datetime

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def pilots(departments):
    from townhall.core import context, services
    from townhall.registers import models as m

    with context.acting("system"):
        drone = services.create(
            context.SYSTEM,
            m.Pilot,
            {
                "title": "Bridge inspection drones",
                "technology": "drone",
                "owner_department": departments["PW"],
                "idea_on": datetime.date(2026, 1, 5),
            },
        )
        services.create(
            context.SYSTEM,
            m.Pilot,
            {
                "title": "Parking sensors",
                "technology": "iot",
                "owner_department": departments["PW"],
                "stage": "scaled",
                "idea_on": datetime.date(2025, 1, 5),
                "pilot_on": datetime.date(2025, 3, 1),
                "evaluation_on": datetime.date(2025, 9, 1),
                "scaled_on": datetime.date(2026, 1, 1),
            },
        )
        assessment = services.create(
            context.SYSTEM,
            m.ReadinessAssessment,
            {
                "title": "Drones for Public Works",
                "technology": "drone",
                "owner_department": departments["PW"],
            },
        )
    return drone, assessment


def test_pilot_refused_then_questionnaire_by_keyboard(
    transactional_db, live_server, users, pilots, new_page, sign_in, axe_check
):
    drone, assessment = pilots
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(f"{url}/registers/pilots/pipeline/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pilots pipeline")
    expect(page.locator("#pipeline-idea")).to_contain_text("Awaiting its surveillance review")
    expect(page.locator("#pipeline-scaled")).to_contain_text("Parking sensors")
    axe_check(page)

    page.locator("#pipeline-idea").get_by_role("link", name="Bridge inspection drones").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bridge inspection drones")
    expect(page.locator("#pilot-review")).to_contain_text("needs an approved")
    page.get_by_role("button", name="Start the pilot").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".th-messages")).to_contain_text(
        "needs an approved surveillance-technology review"
    )
    expect(page.locator("#pilot-stage-heading")).to_have_text("Stage: Idea")
    axe_check(page)

    page.goto(f"{url}/registers/readiness-assessments/{assessment.pk}/answers/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Questionnaire: Drones for Public Works"
    )
    axe_check(page)
    first = page.locator("#answer-drone-mission-0")
    first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")  # moves the choice to the next answer, 1
    page.keyboard.press("ArrowDown")  # 2
    expect(page.locator("#answer-drone-mission-2")).to_be_checked()
    page.locator("#answer-drone-faa-0").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Save answers").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#readiness-score")).to_contain_text("2 of 6 points (33%)")
    expect(page.locator("#readiness-weakest")).to_contain_text("Rules")
    axe_check(page)

    page.get_by_role("link", name="Back to the assessment").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Drones for Public Works")
    expect(page.locator("#readiness-score")).to_contain_text("Not ready")
    axe_check(page)
    page.goto(f"{url}/registers/surveillance-reviews/add/?pilot={drone.pk}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("surveillance review")
    axe_check(page)
