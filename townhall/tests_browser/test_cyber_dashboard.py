"""The cyber front page and the leader brief in a real browser: reached from the menu by
keyboard, the brief's HTML form readable, and axe-core on both."""

import pytest
from playwright.sync_api import expect

from townhall.cyber.tests.test_brief import picture  # noqa: F401 - the shared fixture
from townhall.tests_browser.test_pages import focused, tab_to

pytestmark = pytest.mark.browser


def test_front_page_and_brief(
    transactional_db,
    live_server,
    users,
    new_page,
    sign_in,
    axe_check,
    picture,  # noqa: F811
):
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["viewer"])
    page.goto(f"{url}/cyber/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cyber health")
    expect(page.get_by_text("up 1.0 from last year")).to_be_visible()
    expect(page.get_by_role("table", name="Score by function (1–7; target 5)")).to_be_visible()
    axe_check(page)

    tab_to(page, "Brief for leaders (PDF)", limit=150)
    assert focused(page)["name"] == "Brief for leaders (PDF)"

    page.goto(f"{url}/cyber/brief.pdf?format=html")
    expect(page.get_by_role("heading", level=1)).to_have_text("Our cyber health")
    expect(page.get_by_role("heading", name="What we need from you")).to_be_visible()
    axe_check(page)


def test_a_liaison_sees_their_department(
    transactional_db, live_server, users, new_page, sign_in, axe_check
):
    page = new_page()
    sign_in(page, live_server, users["liaison"])
    page.goto(f"{live_server.url}/cyber/")
    expect(page.get_by_text("Your department's cyber risks and incidents")).to_be_visible()
    axe_check(page)
