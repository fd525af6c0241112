"""Continuity in a real browser: the analysis page (tiers opened by keyboard) and the
impact analysis form with its grid of ratings, each checked by axe-core."""

import pytest
from playwright.sync_api import expect

from townhall.continuity.tests import estate

pytestmark = pytest.mark.browser


def test_analysis_page_and_impact_form(
    transactional_db, live_server, users, departments, new_page, sign_in, axe_check
):
    s = estate.build(departments)
    page = new_page()
    sign_in(page, live_server, users["liaison"])
    page.goto(f"{live_server.url}/continuity/analysis/")
    expect(page.get_by_role("heading", name="Continuity analysis", level=1)).to_be_visible()
    axe_check(page)
    tier = page.get_by_text("Tier 0: 2 items")
    tier.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="SAN").last).to_be_visible()
    axe_check(page)

    analysis = s["permits"].impact_analysis
    page.goto(f"{live_server.url}/continuity/impact-analyses/{analysis.pk}/edit/")
    grid = page.get_by_label("Public safety after 4 hours")
    grid.select_option("3")
    axe_check(page)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/continuity/impact-analyses/{analysis.pk}/")
    analysis.refresh_from_db()
    assert analysis.impacts == {"public_safety": {"4h": 3}}
    axe_check(page)

    for address in (
        "/continuity/impact-analyses/",
        "/continuity/impact-analyses/add/",
        "/continuity/recovery-capabilities/",
        "/continuity/recovery-capabilities/add/",
        f"/continuity/recovery-capabilities/{s['erp'].recovery_capability.pk}/",
    ):
        page.goto(live_server.url + address)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        axe_check(page)
