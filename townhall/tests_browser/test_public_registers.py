"""The registers on the public site in a real browser: the surveillance register read by a
signed-out visitor by keyboard, in English and Spanish, and the staff page that writes the
readiness statements; both passing axe-core."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def register(departments):
    from townhall.public.tests import samples

    samples.make("surveillance_review")
    samples.publish("surveillance_review", ["decision", "decided_on", "conditions", "collected"])


def test_surveillance_register_by_keyboard(
    transactional_db, live_server, register, new_page, axe_check
):
    page = new_page()
    page.goto(f"{live_server.url}/public/surveillance/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Surveillance technology reviews")
    table = page.get_by_role("table")
    expect(table).to_contain_text("Zqtitle camera hub")
    expect(table).to_contain_text("Approved with conditions")
    expect(table).not_to_contain_text("Zqconditions")  # long text: on the record's page
    axe_check(page)

    # By keyboard from the skip link: to the record, then its page.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    table.get_by_role("link", name="Zqtitle camera hub").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zqtitle camera hub")
    expect(page.locator("main")).to_contain_text("Zqconditions no face matching")
    axe_check(page)

    # In Spanish, chosen by keyboard: the same record, the page's words translated.
    page.get_by_role("link", name="Español").focus()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zqtitle camera hub")
    axe_check(page)
    page.goto(f"{live_server.url}/public/surveillance/")
    expect(page.get_by_role("table")).to_contain_text("Zqtitle camera hub")
    axe_check(page)


def test_readiness_statements_written_by_keyboard(
    transactional_db, live_server, users, new_page, sign_in, axe_check
):
    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(f"{live_server.url}/publishing/readiness/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Readiness statements")
    axe_check(page)

    cyber = page.locator("#topic-cyber")
    cyber.get_by_label("Heading").fill("Keeping systems safe")
    cyber.get_by_label("Statement in English").fill("We test our backups.")
    cyber.get_by_label("Last reviewed on").fill("2026-06-01")
    cyber.get_by_role("button").focus()
    page.keyboard.press("Enter")
    expect(cyber.get_by_role("alert")).to_contain_text("both languages")
    expect(cyber.get_by_label("Statement in English")).to_have_value("We test our backups.")
    axe_check(page)

    cyber.get_by_label("Statement in Spanish").fill("Probamos las copias.")
    cyber.get_by_role("button").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#topic-cyber").get_by_role("alert")).to_have_count(0)
    expect(page.locator("#topic-cyber").get_by_label("Statement in Spanish")).to_have_value(
        "Probamos las copias."
    )
