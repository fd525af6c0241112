"""The continuity analysis page of a large county, in a real browser and by keyboard:
filter the services, page through them, open one kind of finding in full; every state
checked by axe-core. Page sizes are made small so a few records fill several pages."""

import pytest
from playwright.sync_api import expect

from townhall.continuity.pages import analysis as analysis_pages
from townhall.continuity.tests.test_analysis_paging import build

pytestmark = pytest.mark.browser


def test_filter_page_and_show_all_by_keyboard(
    transactional_db,
    live_server,
    users,
    departments,
    new_page,
    sign_in,
    axe_check,
    monkeypatch,
):
    monkeypatch.setattr(analysis_pages, "TOP", 2)
    monkeypatch.setattr(analysis_pages, "SECTION_PAGE", 3)
    monkeypatch.setattr(analysis_pages, "SERVICE_PAGE", 4)
    build(departments, 10)
    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(f"{live_server.url}/continuity/analysis/")
    expect(page.get_by_text("10 services; page 1 of 3.")).to_be_visible()
    axe_check(page)

    # Filter by keyboard: choose Finance, tick "only services that miss their RTO", show.
    page.get_by_label("Department").focus()
    page.get_by_label("Department").select_option(label="Finance")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(page.get_by_label("Only services that miss their RTO")).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_text("0 services match")).to_be_visible()
    axe_check(page)
    page.get_by_label("Only services that miss their RTO").press("Space")
    page.get_by_role("button", name="Show").press("Enter")
    expect(page.get_by_text("5 services match")).to_be_visible()

    # The next page, by keyboard; the filter stays.
    page.get_by_role("link", name="Next page").press("Enter")
    expect(page.get_by_text("Page 2 of 2", exact=True)).to_be_visible()
    expect(page.get_by_role("row", name="Service 009")).to_be_visible()
    axe_check(page)

    # One kind of finding in full, paged.
    page.goto(f"{live_server.url}/continuity/analysis/")
    page.get_by_role("link", name="Show all 5 recovery point gaps").press("Enter")
    expect(page.get_by_role("heading", name="Recovery point gaps", level=2)).to_be_visible()
    expect(page.get_by_text("1 to 3 shown")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Next page").press("Enter")
    expect(page.get_by_text("4 to 5 shown")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Back to the whole analysis").press("Enter")
    expect(
        page.get_by_role("heading", name="Effective recovery time of each service")
    ).to_be_visible()

    # A wrong address gets a message, not an error.
    page.goto(f"{live_server.url}/continuity/analysis/?page=nine&department=x")
    expect(page.get_by_text("“nine” is not a page number; showing the first page.")).to_be_visible()
    axe_check(page)
