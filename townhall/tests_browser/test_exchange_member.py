"""The member's exchange pages in a real browser: the profile is filled in and the hub
joined, the figures shown and sent; axe-core on both pages."""

import re

import pytest
from playwright.sync_api import expect

from townhall.exchange import client
from townhall.exchange.models import JurisdictionProfile, MetricSubmission
from townhall.exchange.tests.test_member import Hub

pytestmark = pytest.mark.browser


def test_profile_join_and_metrics_pages(
    transactional_db, live_server, users, new_page, sign_in, axe_check
):
    hub = Hub()
    page = new_page()
    sign_in(page, live_server, users["admin"])
    with client.use_transport(hub):
        page.goto(f"{live_server.url}/exchange/profile/")
        page.locator("#id_name").fill("Juniper County")
        page.locator("#id_kind").select_option("county")
        page.locator("#id_population").fill("150123")
        page.locator("#id_region").select_option("south")
        page.locator("#id_operating_budget").fill("400000000")
        page.locator("#id_employees").fill("2000")
        page.locator("#id_it_operating_budget").fill("12000000")
        page.get_by_role("button", name="Save the profile").press("Enter")
        expect(page.get_by_text("100,000 to 249,999 residents")).to_be_visible()
        axe_check(page)
        page.get_by_label("Exchange hub address").fill("https://hub.example.org")
        page.get_by_label("Join code").fill("OPEN-SESAME")
        page.get_by_role("button", name="Join the hub").press("Enter")
        page.wait_for_url(re.compile(r"/jobs/\d+/$"))
        assert JurisdictionProfile.objects.get().member_id == "m-7"

        page.goto(f"{live_server.url}/exchange/metrics/")
        expect(page.get_by_role("cell", name="3.0%")).to_be_visible()
        axe_check(page)
        assert hub.received == []
        page.get_by_role("button", name="Submit these figures").press("Enter")
        page.wait_for_url(re.compile(r"/jobs/\d+/$"))
    assert MetricSubmission.objects.get().values["it_spend_pct_operating"] == 3.0
    assert hub.received[0]["values"] == {"it_spend_pct_operating": 3.0}
