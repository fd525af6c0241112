"""Shadow IT's sources in a real browser: a card statement through the importer's column
step and preview (a row with a bad merchant category code reported), then the purchase
list, filtered, and a purchase's page, all passing axe-core."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from townhall.shadowit.models import Purchase

pytestmark = pytest.mark.browser

STATEMENT = (
    Path(__file__).parents[1] / "shadowit" / "tests" / "fixtures" / "card_statement.csv"
).read_bytes() + b"03/22/2026,03/23/2026,CANVA* 103948572,12.99,58A7,Priya Nair,PW,Canva Pro\n"


def test_a_card_statement_previewed_imported_and_listed(
    transactional_db, live_server, users, departments, new_page, sign_in, axe_check
):
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(f"{url}/import/")
    page.get_by_label("What the file holds").select_option("purchase")
    page.locator("#id_file").set_input_files(
        {"name": "march.csv", "mimeType": "text/csv", "buffer": STATEMENT}
    )
    page.get_by_role("button", name="Upload and choose columns").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Which column holds what?")
    axe_check(page)
    expect(page.get_by_label("Merchant Name")).to_have_value("descriptor")
    expect(page.get_by_label("Transaction Date")).to_have_value("purchased_on")
    expect(page.get_by_label("MCC")).to_have_value("mcc")
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Check before importing")
    axe_check(page)
    report = page.locator("#report")
    expect(report).to_contain_text("four digits")  # the bad merchant category code
    expect(report).to_contain_text("Parks & Recreation")  # no such department here
    assert not Purchase.objects.exists()

    page.goto(url + reverse("shadowit:purchase_list"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe_check(page)


def test_the_purchase_list_filter_and_page(
    transactional_db, live_server, users, departments, new_page, sign_in, axe_check
):
    from townhall.core import context
    from townhall.imports.tests.helpers import run_import

    out = run_import(context.SYSTEM, "purchase", STATEMENT, "march.csv", valid_only=True)
    assert out.created == 4  # the Public Works rows; Parks is not a department here
    page = new_page()
    sign_in(page, live_server, users["staff"])
    url = live_server.url
    page.goto(url + reverse("shadowit:purchase_list") + "?q=GITHUB")
    expect(page.get_by_role("cell", name="GITHUB.COM DL0OU", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="SQ *GOVFORMS", exact=True)).to_have_count(0)
    axe_check(page)
    purchase = Purchase.objects.get(descriptor="GITHUB.COM DL0OU")
    for address in (
        reverse("shadowit:purchase_detail", args=[purchase.pk]),
        reverse("shadowit:purchase_add"),
        reverse("shadowit:signinapp_list"),
        reverse("shadowit:domainuse_list"),
    ):
        page.goto(url + address)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        axe_check(page)
