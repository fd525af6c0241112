"""Shadow IT's front page in a real browser: the findings with their chart and tables,
followed by keyboard to the records behind a figure (a merchant, the purchases counted
outside IT), and the brief as a web page, all passing axe-core."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def bought(departments):
    from townhall.core import context, services
    from townhall.shadowit.models import Merchant, MerchantAnswer, Purchase

    day = timezone.localdate().replace(day=1) - datetime.timedelta(days=20)
    pw, fin = departments["PW"], departments["FIN"]
    with context.acting("system"):
        for key, name, buyers in (("zoom", "Zoom", [pw, fin]), ("govforms", "Govforms", [fin])):
            merchant = services.create(
                context.SYSTEM,
                Merchant,
                {"key": key, "name": name, "category": "software", "departments": buyers},
            )
        services.create(
            context.SYSTEM,
            MerchantAnswer,
            {
                "merchant": merchant,
                "owner_department": fin,
                "resident_data": "yes",
                "purpose": "Permit forms",
            },
        )
        # Written after the merchants: the merchant job the write asks for keeps them.
        lines = (
            ("zoom", "ZOOM.US 888-799-9666", pw, "900"),
            ("zoom", "ZOOM.US 888-799-9666", fin, "300"),
            ("govforms", "SQ *GOVFORMS", fin, "50"),
        )
        for key, descriptor, dept, amount in lines:
            services.create(
                context.SYSTEM,
                Purchase,
                {
                    "purchased_on": day,
                    "descriptor": descriptor,
                    "mcc": "5734",  # computer software stores: technology
                    "amount": Decimal(amount),
                    "owner_department": dept,
                    "merchant_key": key,
                },
            )


def test_the_front_page_and_its_records(
    transactional_db, live_server, users, bought, new_page, sign_in, axe_check
):
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["viewer"])
    page.goto(f"{url}/shadow-it/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Shadow IT")
    expect(page.locator("#sh-duplicates-summary")).to_contain_text("could save about $90")
    expect(
        page.get_by_role("img", name="Share of technology spend bought outside IT")
    ).to_be_visible()
    expect(page.locator("#sh-months tbody tr")).to_have_count(12)
    axe_check(page)

    # The department's figure opens the purchases it counts.
    page.get_by_role("link", name="$350 outside IT in Finance: 2 purchases").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("cell", name="SQ *GOVFORMS")).to_be_visible()
    expect(page.get_by_role("cell", name="ZOOM.US 888-799-9666")).to_be_visible()
    axe_check(page)

    page.go_back()
    page.locator("#sh-exposures").get_by_role("link", name="Govforms").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Govforms")

    page.goto(f"{url}/shadow-it/")
    page.get_by_role("link", name="Brief as a web page").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Shadow IT brief")
    expect(page.get_by_role("heading", name="Tools bought more than once")).to_be_visible()
    axe_check(page)
