"""Importing a spreadsheet in a real browser: upload, map, preview, commit, with axe-core on
every page and the valid-rows choice made from the keyboard."""

import pytest
from playwright.sync_api import expect

from townhall.estate import models as m

pytestmark = pytest.mark.browser

CSV = (
    b"\xef\xbb\xbfApplication Name,Dept,EOS,License Cost,CJIS\r\n"
    b'Payroll ,Finance,3/14/2027,"$1,200.50",no\r\n'
    b"Work Orders,PW,2027-06-30,12000,yes\r\n"
    b"Parks Booking,Parks,,,\r\n"
)


def test_import_systems(
    transactional_db, live_server, users, departments, new_page, sign_in, axe_check
):
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["staff"])

    page.goto(f"{url}/import/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import records from a spreadsheet")
    axe_check(page)
    page.get_by_label("What the file holds").select_option("system")
    page.locator("#id_file").set_input_files(
        {"name": "systems.csv", "mimeType": "text/csv", "buffer": CSV}
    )
    page.get_by_role("button", name="Upload and choose columns").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Which column holds what?")
    axe_check(page)
    expect(page.get_by_label("Application Name")).to_have_value("name")
    expect(page.get_by_label("Dept")).to_have_value("owner_department")
    expect(page.get_by_label("EOS")).to_have_value("end_of_support")
    page.get_by_label("License Cost").select_option("cost_license")
    page.get_by_label("Save this mapping as (optional)").fill("Finance apps")
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Check before importing")
    axe_check(page)
    report = page.locator("#report")
    expect(report).to_contain_text("No department called 'Parks'")
    expect(report.locator("tbody tr td").first).to_have_text("4")  # the row as in the file
    assert not m.System.objects.exists()

    checkbox = page.get_by_label("Import only the valid rows")
    checkbox.focus()
    page.keyboard.press("Space")
    expect(checkbox).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the Import button, reached by keyboard

    expect(page.get_by_role("heading", level=1)).to_contain_text("Imported")
    axe_check(page)
    assert sorted(m.System.objects.values_list("name", flat=True)) == ["Payroll", "Work Orders"]

    # The same file again, with the saved mapping: every row is now unchanged or rejected.
    page.goto(f"{url}/import/")
    expect(page.get_by_role("link", name="systems.csv")).to_be_visible()
    axe_check(page)  # with the recent imports listed
    page.get_by_label("What the file holds").select_option("system")
    page.locator("#id_file").set_input_files(
        {"name": "again.csv", "mimeType": "text/csv", "buffer": CSV}
    )
    page.get_by_role("button", name="Upload and choose columns").click()
    page.get_by_label("License Cost").select_option("")
    page.get_by_label("Use a saved mapping").select_option(label="Finance apps")
    page.get_by_role("button", name="Use this mapping").click()
    expect(page.get_by_label("License Cost")).to_have_value("cost_license")
    axe_check(page)
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".th-big-number").nth(2)).to_have_text("2")  # unchanged


UNKNOWN = (
    b"Application,Dept,Hosting\r\n"
    b"CAD,PW,Mainframe room\r\n"
    b"GIS,PW,On-Prem\r\n"
    b"Parks Booking,Parks,SaaS\r\n"
)


def test_unknown_values_mapped_then_nothing_imported_then_the_valid_rows(
    transactional_db, live_server, users, departments, new_page, sign_in, axe_check
):
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(f"{url}/import/")
    page.get_by_label("What the file holds").select_option("system")
    page.locator("#id_file").set_input_files(
        {"name": "apps.csv", "mimeType": "text/csv", "buffer": UNKNOWN}
    )
    page.get_by_role("button", name="Upload and choose columns").click()
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_role("heading", name="Values Townhall does not know")).to_be_visible()
    axe_check(page)
    page.get_by_label("“Mainframe room” in Hosting").select_option("on_premises")
    page.get_by_role("button", name="Use these choices and check again").click()
    expect(page.get_by_role("heading", name="Values Townhall does not know")).to_have_count(0)
    expect(page.locator(".th-big-number").nth(3)).to_have_text("1")  # Parks only

    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Not imported")
    expect(page.get_by_role("heading", name="Nothing was imported")).to_be_visible()
    axe_check(page)
    expect(page.get_by_role("link", name="Download the rejected rows")).to_be_visible()
    page.get_by_role("button", name="Import only the valid rows").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Imported")
    assert sorted(m.System.objects.values_list("name", "hosting")) == [
        ("CAD", "on_premises"),
        ("GIS", "on_premises"),
    ]


def test_an_oversized_upload_is_refused_unread_with_a_clear_page(
    transactional_db, live_server, users, new_page, sign_in, axe_check, settings
):
    settings.UPLOAD_MAX_MB = 0  # the form's allowance (1 MB) is all a request may carry
    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(f"{live_server.url}/import/")
    page.get_by_label("What the file holds").select_option("system")
    big = b"Name\n" + b"x" * (2 * 1024 * 1024)
    page.locator("#id_file").set_input_files(
        {"name": "big.csv", "mimeType": "text/csv", "buffer": big}
    )
    page.get_by_role("button", name="Upload and choose columns").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The upload was not read")
    expect(page.locator("main")).to_contain_text("larger than the 0 MB limit")
    axe_check(page)
    page.get_by_role("link", name="Back to the form").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import records from a spreadsheet")
