"""The continuity front page in a real browser, checked by axe-core, reached by keyboard
from the menu."""

import pytest
from playwright.sync_api import expect

from townhall.continuity.tests import estate

pytestmark = pytest.mark.browser


def test_dashboard(transactional_db, live_server, users, departments, new_page, sign_in, axe_check):
    estate.build(departments)
    page = new_page()
    sign_in(page, live_server, users["viewer"])
    page.goto(f"{live_server.url}/continuity/")
    expect(page.get_by_role("heading", name="Continuity readiness", level=1)).to_be_visible()
    expect(page.get_by_role("img", name="Effective recovery time against")).to_be_visible()
    axe_check(page)
    link = page.get_by_role("link", name="Services that cannot meet their RTO")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/continuity/analysis/#rto-gaps")
    expect(page.get_by_role("heading", name="Continuity analysis", level=1)).to_be_visible()
