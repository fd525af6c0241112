"""Each role's home and the records page in a real browser, every one passing axe-core,
and the CIO reaches the records page by keyboard alone."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_four_homes_and_the_records_page(
    transactional_db, live_server, users, new_page, sign_in, axe_check
):
    page = new_page()
    for role, heading in (
        ("manager", "Decisions due"),
        ("liaison", "Public Works"),
        ("board", "Waiting for your scores"),
        ("viewer", "Briefs for leaders"),
    ):
        page.context.clear_cookies()
        sign_in(page, live_server, users[role])
        page.goto(live_server.url + "/")
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        axe_check(page)
    page.get_by_role("link", name="Records", exact=True).last.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Records")
    axe_check(page)
