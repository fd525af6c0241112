"""The data catalog in a real browser: the catalog page's check and its datasets, then by
keyboard to the import page, where a file that is not JSON is refused at once, a refused
data.json's job names the dataset and the field, and an accepted one's job says what it
added and leads to the inventory; all passing axe-core."""

import json

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def inventory(departments):
    from townhall.registers.tests.test_data_records import dataset

    dataset(departments, 1, title="Building permits")
    dataset(
        departments,
        2,
        title="Payroll",
        classification="confidential",
        access_level="non-public",
        rights="Staff pay.",
    )


def _catalog(tmp_path, name, **over):
    from townhall.registers import dcat
    from townhall.registers.tests.test_dcat import row

    path = tmp_path / name
    path.write_text(json.dumps(dcat.pod_catalog([row(publisher="Public Works", **over)])))
    return path


def test_data_catalog_and_import_by_keyboard(
    transactional_db, live_server, users, inventory, new_page, sign_in, axe_check, tmp_path
):
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(f"{url}/registers/data/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Data catalog")
    expect(page.locator("#data-catalog-summary")).to_contain_text(
        "1 dataset in the catalog; 1 other"
    )
    expect(page.locator("#data-catalog-problems")).to_contain_text("No problems found")
    expect(page.locator("#data-catalog-table")).to_contain_text("Building permits")
    expect(page.locator("#data-catalog-table")).not_to_contain_text("Payroll")
    axe_check(page)

    page.get_by_role("link", name="Import a data.json").last.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a data.json")
    axe_check(page)

    not_json = tmp_path / "notes.json"
    not_json.write_text("{not json")
    page.get_by_label("The data.json file").set_input_files(str(not_json))
    page.get_by_role("button", name="Import").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#form-errors")).to_contain_text("The file is not JSON")
    axe_check(page)

    bad = _catalog(tmp_path, "bad.json", identifier="dataset-2")  # confidential: not public
    page.get_by_label("The data.json file").set_input_files(str(bad))
    page.get_by_role("button", name="Import").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import of the data catalog bad.json")
    expect(page.locator("#job-progress")).to_contain_text("Failed")
    expect(page.locator("#job-progress")).to_contain_text(
        "Dataset 0: accessLevel: A confidential dataset cannot be public."
    )
    axe_check(page)

    page.goto(f"{url}/registers/data/import/")
    expect(page.locator("#data-imports")).to_contain_text("bad.json")
    axe_check(page)
    good = _catalog(tmp_path, "good.json", identifier="parks", title="Parks")
    page.get_by_label("The data.json file").set_input_files(str(good))
    page.get_by_role("button", name="Import").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#job-progress")).to_contain_text(
        "1 dataset added, 0 updated, 1 distribution"
    )
    axe_check(page)
    page.get_by_role("link", name="See the data inventory").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Parks")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Parks").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Parks")
    expect(page.get_by_role("link", name="CSV", exact=True)).to_be_visible()
    axe_check(page)

    page.goto(f"{url}/registers/datasets/add/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("dataset")
    axe_check(page)
