"""Frameworks in a real browser: the built-in frameworks loaded from the import page by
keyboard, a framework's page and its requirements tree opened section by section from the
keyboard, and an OSCAL catalog uploaded (a bad one first) — axe-core on each page."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from townhall.cyber.models import Framework
from townhall.tests_browser.test_pages import focused, tab_to

pytestmark = pytest.mark.browser
FILES = Path(__file__).parent.parent / "cyber" / "tests" / "files"


def test_builtin_frameworks_and_their_tree_by_keyboard(
    transactional_db, live_server, users, new_page, sign_in, axe_check
):
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["staff"])

    page.goto(f"{url}/cyber/frameworks/import/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a framework catalog")
    axe_check(page)
    page.get_by_label("Version (optional)").focus()
    tab_to(page, "Import the catalog", limit=5)
    tab_to(page, "Load the built-in frameworks", limit=5)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/cyber/frameworks/")
    expect(page.get_by_text("Created NIST Cybersecurity Framework 2.0: 134 added")).to_be_visible()
    csf = Framework.objects.get(key="csf")
    cpg = Framework.objects.get(key="cpg")

    page.goto(f"{url}{csf.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("NIST Cybersecurity Framework 2.0")
    expect(page.get_by_role("row", name="Subcategory 106 0")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Browse requirements").click()
    page.wait_for_url(f"{url}/cyber/frameworks/{csf.pk}/requirements/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Requirements of NIST Cybersecurity Framework 2.0"
    )
    govern = page.get_by_role("button", name="GV Govern")
    expect(govern).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("heading", name="GV.OC Organizational Context")).to_be_hidden()
    axe_check(page)

    # Open one function from the keyboard; its categories and subcategories appear.
    page.get_by_role("link", name="Back to NIST Cybersecurity Framework 2.0").focus()
    assert tab_to(page, "GV Govern", limit=5)["tag"] == "button"
    page.keyboard.press("Enter")
    expect(govern).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("heading", name="GV.OC Organizational Context")).to_be_visible()
    expect(page.get_by_text("Mission guides cyber risk decisions")).to_be_visible()
    page.keyboard.press("Tab")  # into the opened section: the function's own page link
    assert focused(page)["name"] == "GV"
    axe_check(page)

    # The goals' tree, all open, shows what each goal counts toward.
    page.goto(f"{url}/cyber/frameworks/{cpg.pk}/requirements/?expand=all")
    expect(page.get_by_role("button", name="1 Identify")).to_have_attribute("aria-expanded", "true")
    counts_toward = page.get_by_text("Covers part of NIST Cybersecurity Framework 2.0:").first
    expect(counts_toward).to_be_visible()
    expect(counts_toward.get_by_role("link", name="ID.AM-01")).to_be_visible()
    axe_check(page)


def test_catalog_upload_by_keyboard(
    transactional_db, live_server, users, new_page, sign_in, axe_check
):
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["admin"])
    page.goto(f"{url}/cyber/frameworks/import/")

    page.locator("#id_file").set_input_files(str(FILES / "oscal_no_id.json"))
    page.locator("#id_file").focus()
    tab_to(page, "Import the catalog", limit=10)
    page.keyboard.press("Enter")
    # The catalog is stored by a background job (run at once here); its page says why not.
    page.wait_for_url(f"{url}/jobs/*/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Import of the catalog oscal_no_id.json"
    )
    expect(page.get_by_role("status")).to_contain_text(
        "Nothing was done: oscal_no_id.json: catalog.groups[1].controls[1]: a control needs an id."
    )
    axe_check(page)
    assert not Framework.objects.exists()

    page.goto(f"{url}/cyber/frameworks/import/")
    page.locator("#id_file").set_input_files(str(FILES / "oscal_80053.json"))
    page.get_by_label("Name (optional)").fill("NIST SP 800-53")
    page.get_by_label("Name (optional)").focus()
    tab_to(page, "Import the catalog", limit=10)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/jobs/*/")
    expect(page.get_by_role("status")).to_contain_text(
        "Created NIST SP 800-53 5.1.1: 7 added, 0 changed, 0 unchanged, 1 withdrawn."
    )
    axe_check(page)
    tab_to(page, "Browse the requirements of NIST SP 800-53 5.1.1", limit=30)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/cyber/frameworks/*/requirements/")
    page.get_by_role("button", name="AC Access Control").click()
    expect(
        page.get_by_text("[Selection (one or more): Organization-level; System-level]")
    ).to_be_visible()
    axe_check(page)
