"""BIA campaigns in a real browser: IT opens a campaign after its confirmation page, by
keyboard; a department liaison submits an analysis from their list by keyboard (refused
first, naming what is missing); IT returns one with a reason. axe-core checks every page."""

import pytest
from playwright.sync_api import expect

from townhall.continuity import models as m
from townhall.continuity.tests.test_campaigns import build, campaign, complete, fresh
from townhall.tests_browser.test_pages import focused

pytestmark = pytest.mark.browser


def test_campaign_opened_submitted_and_returned(
    transactional_db, live_server, users, departments, new_page, sign_in, axe_check
):
    gov = build(departments, users)
    c = campaign(instructions="Confirm each recovery time with your director.")
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["staff"])

    page.goto(f"{url}{c.get_absolute_url()}")
    expect(page.get_by_role("heading", name="Where it stands: Draft")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Open this campaign…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open Spring review?")
    expect(page.get_by_text("2 submitted or approved analyses go back to draft")).to_be_visible()
    expect(page.get_by_role("row", name="Finance")).to_contain_text("No address: call them")
    axe_check(page)
    button = page.get_by_role("button", name="Open the campaign and send the e-mails")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/continuity/campaigns/{c.pk}/progress/")
    expect(page.get_by_text("“Spring review” is open: 4 impact analyses")).to_be_visible()
    expect(page.get_by_text("No e-mail address for Finance: call them.")).to_be_visible()
    expect(page.get_by_role("heading", name="Overall: 0% done")).to_be_visible()
    axe_check(page)
    page.get_by_label("Department", exact=True).select_option(label="Public Works")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="By service: Public Works")).to_be_visible()
    expect(page.get_by_role("link", name="Payroll")).to_have_count(0)
    axe_check(page)

    liaison = new_page()
    sign_in(liaison, live_server, users["liaison"])
    complete(fresh(gov["permits_bia"]))
    liaison.goto(f"{url}/continuity/my-impact-analyses/")
    expect(liaison.get_by_role("heading", level=1)).to_have_text(
        "Your department's impact analyses"
    )
    expect(liaison.get_by_text("Nothing: ready to submit")).to_have_count(2)  # Permits, Dispatch
    axe_check(liaison)
    liaison.get_by_role("button", name="Submit Street repairs").focus()
    liaison.keyboard.press("Enter")
    liaison.wait_for_load_state("load")
    expect(liaison.get_by_text("“Street repairs” cannot be submitted yet.")).to_be_visible()
    expect(liaison.locator(".usa-alert")).to_contain_text("Recovery time objective (RTO)")
    axe_check(liaison)
    liaison.get_by_role("button", name="Submit Permits").focus()
    assert focused(liaison)["name"].split() == ["Submit", "Permits"]
    liaison.keyboard.press("Enter")
    liaison.wait_for_load_state("load")
    expect(liaison.get_by_text("Submitted the impact analysis of “Permits”")).to_be_visible()
    assert fresh(gov["permits_bia"]).status == m.ImpactAnalysis.Status.SUBMITTED
    expect(liaison.get_by_role("button", name="Submit Permits")).to_have_count(0)
    axe_check(liaison)

    page.goto(f"{url}/continuity/campaigns/{c.pk}/progress/?state=submitted")
    page.get_by_role("link", name="Return Permits").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Return the analysis of Permits to its department"
    )
    axe_check(page)
    page.get_by_role("button", name="Return to the department").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    axe_check(page)
    page.get_by_label("What should the department change?").fill("RTO longer than MTD?")
    page.get_by_role("button", name="Return to the department").click()
    page.wait_for_url(f"{url}/continuity/campaigns/{c.pk}/progress/?state=submitted")
    expect(page.get_by_text("Returned the impact analysis of “Permits”")).to_be_visible()
    assert "RTO longer than MTD?" in fresh(gov["permits_bia"]).notes
    axe_check(page)
