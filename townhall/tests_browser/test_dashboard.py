"""The estate dashboard and the calendar page in a real browser: axe-core on both, a number
followed to its list, and the calendar address created, shown once and changed."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from townhall.accounts import feeds
from townhall.core import context, services
from townhall.estate import models as m

pytestmark = pytest.mark.browser


@pytest.fixture
def some_estate(departments):
    today = timezone.localdate()
    vendor = services.create(context.SYSTEM, m.Vendor, {"name": "Example Radio (fictional)"})
    for n, (lifecycle, eos) in enumerate(
        [("active", -10), ("active", 100), ("phase_out", 500), ("retired", None)], 1
    ):
        services.create(
            context.SYSTEM,
            m.System,
            {
                "name": f"System {n}",
                "owner_department": departments["PW"],
                "lifecycle": lifecycle,
                "criticality": n,
                "data_classification": "internal",
                "end_of_support": today + datetime.timedelta(days=eos) if eos else None,
            },
        )
    services.create(
        context.SYSTEM,
        m.Contract,
        {
            "title": "Radio, towers; support",
            "vendor": vendor,
            "end": today + datetime.timedelta(days=40),
            "notice_days": 30,
        },
    )


def test_dashboard_and_calendar(
    transactional_db, live_server, users, some_estate, new_page, sign_in, axe_check
):
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["viewer"])
    page.goto(f"{url}/estate/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("The technology estate at a glance")
    expect(page.get_by_role("img", name="Systems by stage of life")).to_be_visible()
    expect(page.get_by_role("link", name="Radio, towers; support")).to_be_visible()
    axe_check(page)

    # A number leads to the records behind it.
    page.get_by_role("link", name="2 Active systems: see the list").click()
    expect(page.locator("#results-count")).to_contain_text("2 systems")

    # A narrow screen: still no accessibility problems.
    narrow = new_page(width=375)
    sign_in(narrow, live_server, users["board"])
    narrow.goto(f"{url}/estate/dashboard/")
    axe_check(narrow)

    # The calendar address: created, shown, then changed.
    page.goto(f"{url}/estate/calendar/")
    axe_check(page)
    page.get_by_role("button", name="Create my calendar address").click()
    address = page.get_by_label("Calendar address")
    expect(address).to_have_value(
        re.compile(rf"^{re.escape(url)}/estate/calendar/[\w-]{{43}}\.ics$")
    )
    key = address.input_value().rsplit("/", 1)[1].removesuffix(".ics")
    assert feeds.owner_of(key) == users["viewer"]  # only its hash is kept
    axe_check(page)
    first = address.input_value()
    page.get_by_role("button", name="Change my calendar address").click()
    expect(page.get_by_text("the old one no longer works")).to_be_visible()
    assert page.get_by_label("Calendar address").input_value() != first
    response = page.request.get(page.get_by_label("Calendar address").input_value())
    assert response.status == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "Radio\\, towers\\; support" in response.text().replace("\r\n ", "")
    assert page.request.get(first).status == 404
    # Afterwards the page offers a new address but cannot show the one made.
    page.goto(f"{url}/estate/calendar/")
    expect(page.get_by_label("Calendar address")).to_have_count(0)
    expect(page.get_by_role("button", name="Change my calendar address")).to_be_visible()
    axe_check(page)
