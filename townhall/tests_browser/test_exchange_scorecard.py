"""The priorities scorecard in a real browser: axe-core, reached from the menu, a figure
followed by keyboard to the records it counts."""

import pytest
from playwright.sync_api import expect

from townhall.core import context, services
from townhall.shadowit.models import Merchant

pytestmark = pytest.mark.browser


def test_the_scorecard_by_keyboard(
    transactional_db, live_server, users, new_page, sign_in, axe_check
):
    with context.acting("system"):
        for i in range(3):
            services.create(
                context.SYSTEM,
                Merchant,
                {"key": f"shop{i}", "name": f"Shop {i}", "category": "software"},
            )
    page = new_page()
    sign_in(page, live_server, users["manager"])
    page.goto(live_server.url + "/exchange/scorecard/")
    expect(page.get_by_role("heading", level=1, name="Priorities scorecard")).to_be_visible()
    expect(page.get_by_role("row", name="Shadow IT")).to_contain_text("On track")
    expect(page.get_by_role("heading", name="Shadow IT: On track")).to_be_visible()
    axe_check(page)

    link = page.get_by_role("link", name="3 of 3 merchants wait for triage").first
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/shadow-it/merchants/?status=new")
