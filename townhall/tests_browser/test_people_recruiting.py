"""Recruiting in a real browser: the page's stages, vacancy chart and table and the
sentence in place of pay for IT staff; by keyboard to the stalled requisition, moved to
interviewing with its button, then offered and filled with the hire chosen in the people
picker; and pay against the market for an IT manager; all passing
axe-core."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from townhall.tests_browser.test_pages import tab_to

pytestmark = pytest.mark.browser


@pytest.fixture
def hiring(departments):
    from django.utils import timezone

    from townhall.core import context, services
    from townhall.people.models import DeclinedOffer, MarketRate, Requisition, StaffRecord
    from townhall.people.tests import factories as f

    today = timezone.localdate()

    def ago(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    team = f.team("Cybersecurity")
    with context.acting("system"):
        rate = services.create(
            context.SYSTEM,
            MarketRate,
            {"name": "Security analyst", "market_pay": Decimal(112000), "source": "Survey"},
        )
    ann = f.person("Ann Lee")
    f.person("Bo Diaz")
    f.position("Security Analyst", team, ann, market_rate=rate)
    vacant = f.position("Security Analyst", team, None, vacant_since=ago(190), market_rate=rate)
    with context.acting("system"):
        services.create(context.SYSTEM, StaffRecord, {"person": ann, "annual_pay": 96000})
        stalled = services.create(
            context.SYSTEM,
            Requisition,
            {
                "title": "Security analyst hire",
                "position": vacant,
                "stage": "posted",
                "opened_on": ago(150),
                "posted_on": ago(120),
            },
        )
        services.create(
            context.SYSTEM,
            Requisition,
            {
                "title": "Summer IT internship",
                "kind": "internship",
                "team": team,
                "stage": "interviewing",
                "openings": 4,
                "applicants": 46,
                "interviewed": 12,
                "opened_on": ago(40),
            },
        )
        services.create(
            context.SYSTEM,
            DeclinedOffer,
            {"requisition": stalled, "declined_on": ago(30), "reason": "pay"},
        )


def test_recruiting_by_keyboard(
    transactional_db, live_server, users, hiring, new_page, sign_in, axe_check
):
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(f"{url}/people/recruiting/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Recruiting")
    expect(page.locator("#recruiting-summary")).to_contain_text("2 open requisitions")
    expect(page.locator("#recruiting-vacancy-table")).to_contain_text("50%")
    expect(page.locator("#recruiting-vacancy-chart svg")).to_be_visible()
    expect(page.locator("#recruiting-declined-table")).to_contain_text("Pay")
    expect(page.locator("#recruiting-pipeline-internship-summary")).to_contain_text(
        "46 applicants, 12 interviewed, 0 hired"
    )
    expect(page.locator("#recruiting-pay-hidden")).to_be_visible()
    expect(page.locator("#recruiting-pay-table")).to_have_count(0)
    axe_check(page)
    axe_check(page)

    page.get_by_role("link", name="Security analyst hire").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Security analyst hire")
    expect(page.get_by_role("heading", name="Offers declined")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Mark as interviewing").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("is now interviewing")).to_be_visible()
    expect(page.get_by_role("heading", name="Stage: Interviewing")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Mark as offer made").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Stage: Offer made")).to_be_visible()
    # The hire is chosen with the people picker, by keyboard, and fills the position.
    page.get_by_label("Search people").focus()
    page.keyboard.type("Bo")
    results = page.locator("#pick_hired_results")
    expect(results.get_by_label("Bo Diaz")).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    expect(results.get_by_label("Bo Diaz")).to_be_checked()
    axe_check(page)
    tab_to(page, "Mark as filled", limit=10)
    page.keyboard.press("Enter")
    expect(page.get_by_text("is now filled")).to_be_visible()
    expect(page.get_by_role("heading", name="Stage: Filled")).to_be_visible()
    expect(page.get_by_role("button", name="Mark as interviewing")).to_have_count(0)
    from townhall.people.models import Position, Requisition

    hired = Requisition.objects.get(title="Security analyst hire").hired
    assert hired is not None and hired.name == "Bo Diaz"
    assert Position.objects.filter(person=hired).exists()

    manager = new_page()
    sign_in(manager, live_server, users["manager"])
    manager.goto(f"{url}/people/recruiting/")
    pay = manager.locator("#recruiting-pay-table")
    expect(pay).to_contain_text("$96,000")
    expect(pay).to_contain_text("$112,000")
    expect(pay).to_contain_text("−$16,000")
    axe_check(manager)
