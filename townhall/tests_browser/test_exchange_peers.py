"""The peer comparison in a real browser: the page read by keyboard, a year chosen, the
peer report asked for with the keyboard and its job page offering the PDF; axe-core passes
on each page."""

import re

import pytest
from playwright.sync_api import expect

from townhall.tests_browser.test_pages import tab_to

pytestmark = pytest.mark.browser


def test_the_peer_comparison_by_keyboard(
    transactional_db, live_server, users, new_page, sign_in, axe_check
):
    from townhall.exchange.tests import peer_data
    from townhall.jobs.models import Job

    peer_data.make()
    page = new_page()
    sign_in(page, live_server, users["board"])
    page.goto(f"{live_server.url}/exchange/peers/?year=2026")
    expect(page.get_by_role("heading", level=1)).to_have_text("Peer comparison")
    expect(page.locator("#metric-cyber_protect")).to_contain_text(
        "Behind most peers: 0.8 points below the median of 14 peers"
    )
    expect(page.get_by_role("img", name=re.compile("^Cyber maturity: Protect"))).to_be_visible()
    axe_check(page)

    button = tab_to(page, "Make the peer report (PDF)", limit=80)
    assert button["tag"] == "button"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/jobs/\d+/$"))
    job = Job.objects.get(kind="exchange_peer_report")
    assert job.status == Job.Status.DONE, job.message
    expect(page.get_by_role("status")).to_contain_text("peer-report-2026.pdf is ready")
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^download", re.I)).first.click()
    assert download.value.suggested_filename == "peer-report-2026.pdf"
