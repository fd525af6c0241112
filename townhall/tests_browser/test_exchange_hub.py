"""The exchange hub's administrators' page and its public privacy page in a real browser:
axe-core on each, a join code made by keyboard."""

import pytest
from playwright.sync_api import expect

from townhall.exchange.models import HubJoinCode

pytestmark = pytest.mark.browser


def test_a_hub_administrator_makes_a_join_code_and_anyone_reads_the_rules(
    transactional_db, live_server, users, new_page, sign_in, axe_check, settings
):
    settings.EXCHANGE_HUB = True
    page = new_page()
    page.goto(f"{live_server.url}/hub/privacy/")
    expect(page.get_by_role("heading", name="What this hub releases")).to_be_visible()
    expect(page.locator("#minimum")).to_have_text("5")
    axe_check(page)

    sign_in(page, live_server, users["admin"])
    page.goto(f"{live_server.url}/hub/")
    expect(page.get_by_text("No government has joined yet.")).to_be_visible()
    axe_check(page)
    page.get_by_label("For whom (optional)").fill("Juniper County")
    page.get_by_label("For whom (optional)").press("Enter")
    code = page.locator("#join-code").inner_text()
    assert len(code) > 20 and HubJoinCode.objects.get().code_hash != code
    axe_check(page)
    page.get_by_role("button", name="Recompute cohort statistics").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("worked out again on the job runner")).to_be_visible()
    assert code not in page.content()
