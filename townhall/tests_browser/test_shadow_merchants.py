"""Shadow IT's merchants in a real browser: a card statement imported, the merchants worked
out by the job it asks for, the list filtered by category, a merchant's page with why and
its purchases, dismissing it with a reason and reopening it, and the rules and
subscriptions lists, all passing axe-core."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from townhall.shadowit.models import Merchant

pytestmark = pytest.mark.browser

STATEMENT = (
    Path(__file__).parents[1] / "shadowit" / "tests" / "fixtures" / "card_statement.csv"
).read_bytes()


def test_the_merchant_list_and_page(
    transactional_db, live_server, users, departments, new_page, sign_in, axe_check
):
    from townhall.core import context
    from townhall.imports.tests.helpers import run_import

    run_import(context.SYSTEM, "purchase", STATEMENT, "march.csv", valid_only=True)
    github = Merchant.objects.get(key="github")  # the job the import asked for has run
    page = new_page()
    sign_in(page, live_server, users["staff"])
    url = live_server.url
    page.goto(url + reverse("shadowit:merchant_list") + "?category=software")
    expect(page.get_by_role("link", name="GitHub", exact=True)).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="GitHub", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("GitHub")
    expect(page.locator("#merchant-why")).to_be_visible()
    expect(page.get_by_role("cell", name="GITHUB.COM DL0OU", exact=True)).to_be_visible()
    axe_check(page)

    # The queue's decisions, unfolded on the merchant's page.
    page.get_by_label("Why dismiss it").fill("A personal account, refunded")
    page.get_by_role("button", name="Dismiss").click()
    expect(page.get_by_text("Triage: Dismissed")).to_be_visible()
    axe_check(page)
    github.refresh_from_db()
    assert github.status == "dismissed"

    # Reopened: back to new.
    page.get_by_role("button", name="Reopen: back to new").click()
    expect(page.get_by_text("Triage: New")).to_be_visible()
    github.refresh_from_db()
    assert github.status == "new"

    for address in (
        reverse("shadowit:merchantrule_list"),
        reverse("shadowit:merchantrule_add"),
        reverse("shadowit:subscription_list"),
    ):
        page.goto(url + address)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        axe_check(page)
