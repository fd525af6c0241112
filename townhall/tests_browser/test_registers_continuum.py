"""Rating the five lanes of a continuum self-assessment in a real browser, by keyboard from
the emergency communications page: a bad lane is shown beside its row with nothing saved,
then all five saved together; passing axe-core."""

import datetime

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def assessment(departments):
    from townhall.registers.tests import radio_factories as f

    return f.assessment(datetime.date(2026, 3, 2), governance=2)


def test_continuum_lanes_form_by_keyboard(
    transactional_db, live_server, users, assessment, new_page, sign_in, axe_check
):
    from townhall.registers.models import LaneRating

    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(f"{live_server.url}/registers/emergency-communications/")
    link = page.get_by_role("link", name="Rate the five lanes of the assessment of 2 March 2026")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rate the lanes")
    axe_check(page)

    # By keyboard: the governance level is emptied, technology rated; Tab moves on in order.
    page.get_by_label("Level").first.focus()
    page.keyboard.press("Home")  # the empty choice: a rated lane may not be emptied
    page.keyboard.press("Tab")
    expect(page.locator("#governance-evidence")).to_be_focused()
    page.keyboard.type("Regional board meets quarterly")
    page.locator("#technology-level").select_option("4")
    page.locator("#technology-evidence").fill("Shared P25 system")
    page.get_by_role("button", name="Save the five lanes").press("Enter")
    expect(page.locator("#governance-level-error")).to_contain_text("A rated lane keeps a level")
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved")
    axe_check(page)
    assert LaneRating.objects.count() == 1

    page.locator("#governance-level").select_option("3")
    page.get_by_role("button", name="Save the five lanes").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Continuum self-assessment")
    levels = dict(LaneRating.objects.values_list("lane", "level"))
    assert levels == {"governance": 3, "technology": 4}
