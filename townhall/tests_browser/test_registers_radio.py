"""Emergency communications in a real browser: the continuum chart with its table, the
partner-by-talkgroup matrix and the gaps, then by keyboard from a matrix row to the
partner's page and from the radio systems list to the estate's component; all passing
axe-core."""

import datetime

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def county(departments):
    from django.utils import timezone

    from townhall.registers.tests import radio_factories as f

    today = timezone.localdate()
    f.assessment(today - datetime.timedelta(days=30), technology=4, governance=2, usage=3)
    p25 = f.radio("County P25 system")
    aid = f.talkgroup("County Mutual Aid", p25)
    fire = f.talkgroup("Fire Dispatch", p25)
    alder = f.partner("Alder County Sheriff", "neighbouring")
    hospital = f.partner("Regional Medical Center", "hospital")
    coop = f.partner("Valley Electric Co-op", "utility")
    f.link(alder, aid, "shared_system", today - datetime.timedelta(days=20))
    f.link(hospital, fire, "cache_radios", today - datetime.timedelta(days=40))
    f.link(coop, aid, "shared_channel", None)


def test_emergency_communications_by_keyboard(
    transactional_db, live_server, users, county, new_page, sign_in, axe_check
):
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["viewer"])
    page.goto(f"{url}/registers/emergency-communications/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Emergency communications")
    expect(page.locator("#radio-continuum-summary")).to_contain_text("3 of 5 lanes rated")
    expect(page.get_by_role("img", name="Latest level of each lane")).to_be_visible()
    expect(page.locator("#radio-continuum-table")).to_contain_text("Shared system")
    matrix = page.locator("#radio-matrix-table")
    expect(matrix.get_by_role("columnheader", name="County Mutual Aid")).to_be_visible()
    expect(matrix.get_by_role("rowheader", name="Regional Medical Center")).to_be_visible()
    expect(matrix).to_contain_text("Cache radios: works yes")
    gaps = page.locator("#radio-gaps-list")
    expect(gaps).to_contain_text("Utility: no working link")
    expect(gaps).to_contain_text("Regional Medical Center is reached only by handing out")
    # The table sits below the chart at the page's width (beside it, both were cramped).
    chart = page.get_by_role("img", name="Latest level of each lane").bounding_box()
    table = page.locator("#radio-continuum-table").bounding_box()
    assert chart and table and table["y"] >= chart["y"] + chart["height"], (chart, table)
    assert table["width"] > 800 and chart["width"] > 500, (chart, table)
    axe_check(page)

    matrix.get_by_role("link", name="Valley Electric Co-op").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Valley Electric Co-op")
    axe_check(page)

    page.go_back()
    page.locator("#radio-systems-list").get_by_role("link", name="County P25 system").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("County P25 system")
