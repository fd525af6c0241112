"""The registers' front page in a real browser: an account past its review day is listed
and counted, followed by keyboard to its page; passing axe-core."""

import datetime

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def overdue(departments):
    from django.utils import timezone

    from townhall.people.tests import factories as pf
    from townhall.registers.tests import factories as f

    ann = pf.person("Ann Lee", departments["PW"], email="ann@juniper-county.example")
    long_ago = timezone.localdate() - datetime.timedelta(days=500)
    f.social(
        "@JuniperParks",
        departments["PW"],
        platform="instagram",
        administrators=[ann],
        multi_factor=True,
        last_reviewed_on=long_ago,
    )


def test_registers_front_page_by_keyboard(
    transactional_db, live_server, users, overdue, new_page, sign_in, axe_check
):
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(f"{url}/registers/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Registers")
    row = page.locator("#registers-table").get_by_role("row", name="Social media accounts")
    expect(row).to_contain_text("1")
    listed = page.locator("#registers-overdue-list")
    expect(listed).to_contain_text("@JuniperParks")
    axe_check(page)

    listed.get_by_role("link", name="@JuniperParks").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("@JuniperParks")
    axe_check(page)
