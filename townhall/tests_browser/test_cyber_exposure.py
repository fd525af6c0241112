"""Exposure in a real browser: every exposure page checked by axe-core, a feed file
imported and the estate matched again from the keyboard, the list filtered by keyboard,
and an alias added from a "not matched" row."""

import pytest
from playwright.sync_api import expect

from townhall.cyber.models import Exposure, ProductAlias
from townhall.cyber.tests import test_exposure as fixtures
from townhall.tests_browser.test_pages import focused, tab_to

pytestmark = pytest.mark.browser

# The estate and feeds of the exposure tests: a FortiOS firewall, a Windows 2012 R2 server,
# a D-Link router and a sensor no feed knows.
items = fixtures.items
feeds = fixtures.feeds
matched = fixtures.matched
_forget_unmatched = fixtures._forget_unmatched


def test_every_exposure_page_is_accessible(
    transactional_db, live_server, users, matched, new_page, sign_in, axe_check
):
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(f"{url}/cyber/exposure/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Exposure")
    expect(page.get_by_role("link", name="CVE-2024-21762")).to_be_visible()
    axe_check(page)
    page.goto(f"{url}/cyber/exposure/?status=bogus")  # a filter not understood: said so
    expect(page.get_by_text("Some filters were not understood")).to_be_visible()
    axe_check(page)
    page.goto(f"{url}/cyber/exposure/not-matched/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Not matched to either feed")
    axe_check(page)
    page.goto(f"{url}/cyber/exposure/feeds/")
    expect(page.get_by_role("heading", name="Upload a feed file")).to_be_visible()
    axe_check(page)
    page.goto(f"{url}/cyber/exposure/aliases/add/?kind=product&estate_name=Q")
    axe_check(page)
    exposure = Exposure.objects.filter(vulnerability__cve_id="CVE-2024-21762").get()
    page.goto(f"{url}{exposure.get_absolute_url()}")
    axe_check(page)

    viewer = new_page()
    sign_in(viewer, live_server, users["viewer"])
    viewer.goto(f"{url}/cyber/exposure/")
    expect(viewer.get_by_role("button", name="Match again")).to_have_count(0)
    axe_check(viewer)
    viewer.goto(f"{url}/cyber/exposure/feeds/")
    expect(viewer.get_by_role("heading", name="Upload a feed file")).to_have_count(0)
    axe_check(viewer)


def test_import_and_match_by_keyboard(
    transactional_db, live_server, users, items, new_page, sign_in, axe_check
):
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(f"{url}/cyber/exposure/feeds/")
    page.locator("#id_file").set_input_files(str(fixtures.FILES / "kev_small.json"))
    page.get_by_role("heading", name="Upload a feed file").click()  # focus before the form
    tab_to(page, "CISA Known Exploited Vulnerabilities catalog")
    page.keyboard.press("Space")
    expect(page.get_by_label("CISA Known Exploited Vulnerabilities catalog")).to_be_checked()
    tab_to(page, "Import and match again")
    page.keyboard.press("Enter")
    page.wait_for_url("**/jobs/**")  # the import and the matching run as a job
    expect(page.get_by_text("5 entries read, 5 added")).to_be_visible()
    expect(page.get_by_text("Matched 4 systems and components")).to_be_visible()
    axe_check(page)

    # The exposure list, filtered by keyboard to what ransomware uses.
    page.goto(f"{url}/cyber/exposure/")
    page.locator("summary", has_text="Filter").focus()  # open beside the list on a wide screen
    tab_to(page, "Used in ransomware only")
    page.keyboard.press("Space")
    tab_to(page, "Apply")
    page.keyboard.press("Enter")
    page.wait_for_url("**/cyber/exposure/?*ransomware=on*")
    expect(page.get_by_role("link", name="CVE-2024-21762")).to_be_visible()
    expect(page.get_by_role("link", name="CVE-2019-17621")).to_have_count(0)
    axe_check(page)

    # Match again, from the keyboard.
    page.goto(f"{url}/cyber/exposure/")
    page.get_by_role("heading", level=1).click()
    tab_to(page, "Match again")
    assert focused(page)["tag"] == "button"
    page.keyboard.press("Enter")
    page.wait_for_url("**/jobs/**")  # the matching runs as a job
    expect(page.get_by_text("0 new exposures")).to_be_visible()
    axe_check(page)


def test_alias_from_a_not_matched_row(
    transactional_db, live_server, users, matched, new_page, sign_in, axe_check
):
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(f"{url}/cyber/exposure/not-matched/")
    page.get_by_role("link", name="Alias the product Q").click()
    expect(page.get_by_label("Name in the estate")).to_have_value("Q")
    page.get_by_label("Name in the estate").focus()
    tab_to(page, "Vendor in the KEV feed")
    page.keyboard.type("D-Link")
    tab_to(page, "Product in the KEV feed")
    page.keyboard.type("Multiple Routers")
    tab_to(page, "Save the alias")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/cyber/exposure/not-matched/")
    expect(page.get_by_text("Match again to use it")).to_be_visible()
    axe_check(page)
    alias = ProductAlias.objects.get()
    assert (alias.estate_name, alias.feed_vendor, alias.feed_product) == (
        "Q",
        "D-Link",
        "Multiple Routers",
    )


def test_cve_records_uploaded_by_keyboard_give_installed_version_verdicts(
    transactional_db, live_server, users, items, feeds, new_page, sign_in, axe_check
):
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(f"{url}/cyber/exposure/feeds/")
    page.locator("#id_file").set_input_files(str(fixtures.FILES / "cve_fortios.json"))
    page.get_by_role("heading", name="Upload a feed file").click()
    tab_to(page, "CISA Known Exploited Vulnerabilities catalog")  # the radio group
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # the third choice: CVE records
    choice = "CVE records (JSON 5: one record, an array, or a .zip of records)"
    expect(page.get_by_label(choice)).to_be_checked()
    tab_to(page, "Import and match again")
    page.keyboard.press("Enter")
    page.wait_for_url("**/jobs/**")
    expect(page.get_by_text("1 entries read, 1 added").first).to_be_visible()
    axe_check(page)

    # The list, filtered by keyboard to affected installed versions, shows why.
    page.goto(f"{url}/cyber/exposure/")
    page.locator("summary", has_text="Filter").focus()
    tab_to(page, "Installed version")
    page.keyboard.press("ArrowDown")  # the first choice after "Any": Affected
    tab_to(page, "Apply")
    page.keyboard.press("Enter")
    page.wait_for_url("**/cyber/exposure/?*version=affected*")
    expect(page.get_by_text("installed 7.2.5; affected from 7.2.0 below 7.2.7")).to_be_visible()
    axe_check(page)
    exposure = Exposure.objects.filter(vulnerability__cve_id="CVE-2024-21762").get()
    page.goto(f"{url}{exposure.get_absolute_url()}")
    expect(page.get_by_text("installed 7.2.5; affected from 7.2.0 below 7.2.7")).to_be_visible()
    axe_check(page)
    page.goto(f"{url}/cyber/cve-records/")
    axe_check(page)
