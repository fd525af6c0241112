"""The API reference, in a real browser: axe-core, keyboard, CSP (the account page:
test_account_access.py)."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_api_reference_is_for_signed_in_people_and_passes_axe(
    transactional_db, live_server, users, new_page, sign_in, axe_check
):
    page = new_page()
    page.goto(f"{live_server.url}/api/docs/")
    expect(page).to_have_url(f"{live_server.url}/accounts/sign-in/?next=/api/docs/")
    sign_in(page, live_server, users["viewer"])
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    # The schema of every operation takes a few seconds to build and draw.
    expect(page.locator(".opblock").first).to_be_visible(timeout=60_000)
    expect(page.get_by_role("heading", name="Townhall API")).to_be_visible()
    axe_check(page)
