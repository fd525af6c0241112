"""The practice library in a real browser: the member's page lists a document from the hub
(through a transport routed to the hub's views) with its licence, the share form is reached
by keyboard, and the hub's page lists who shared it; axe-core on each."""

import pytest
from playwright.sync_api import expect

from townhall.core import context, services
from townhall.exchange import client, library, library_api
from townhall.exchange.models import HubMember
from townhall.exchange.tests import members
from townhall.exchange.tests.test_library import KEYS, TODAY, request_doc, routed

pytestmark = pytest.mark.browser


@pytest.fixture
def shared(settings):

    settings.EXCHANGE_HUB = True
    with context.acting("cli"):
        hub_member = services.create(
            context.SYSTEM,
            HubMember,
            {
                "member_id": "m-1",
                "name": "Juniper County",
                "public_key": library_api.protocol.public_key(KEYS["m-1"]),
                "kind": "county",
                "population_band": "pop_100k_250k",
                "region": "south",
                "budget_band": "budget_250m_1b",
            },
        )
    library_api.share(hub_member, library.check_share(request_doc(), TODAY))


def test_the_library_pages(
    transactional_db, live_server, users, shared, new_page, sign_in, axe_check
):

    members.joined_profile("m-1", KEYS["m-1"])
    page = new_page()
    sign_in(page, live_server, users["admin"])
    with client.use_transport(routed):
        page.goto(f"{live_server.url}/exchange/library/?priority=cyber_prevention")
        expect(page.get_by_role("heading", level=1)).to_have_text("Practice library")
        expect(page.get_by_role("heading", name="Incident response plan")).to_be_visible()
        expect(page.get_by_text("CC BY 4.0", exact=True)).to_be_visible()
        axe_check(page)
        page.get_by_label("Title", exact=True).focus()
        page.keyboard.type("Cloud policy")
        page.keyboard.press("Tab")
        expect(page.locator("#share-kind")).to_be_focused()
        page.goto(f"{live_server.url}/hub/library/")
        expect(
            page.get_by_role("cell", name="Dana Reyes, County Administrator, 2026-12-01")
        ).to_be_visible()
        axe_check(page)
