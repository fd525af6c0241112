"""The priorities survey in a browser: an IT manager answers by keyboard, one select per
rank, and the published report reads without signing in; axe-core on both."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from townhall.core import context, services
from townhall.exchange import bands, protocol
from townhall.exchange.models import HubMember, MemberSurvey, Survey, SurveyQuote, SurveyResponse
from townhall.tests_browser.test_pages import tab_to

pytestmark = pytest.mark.browser


def _published_survey() -> None:
    with context.acting("cli"):
        found = services.create(
            context.SYSTEM,
            Survey,
            {
                "year": 2027,
                "title": "Priorities survey 2027",
                "opens": datetime.date(2027, 1, 1),
                "closes": datetime.date(2027, 3, 1),
            },
        )
        found = services.transition(context.SYSTEM, found, "open")
        for n in range(5):
            member = services.create(
                context.SYSTEM,
                HubMember,
                {
                    "member_id": f"m-{n}",
                    "name": f"Member {n}",
                    "public_key": protocol.public_key(protocol.new_private_key()),
                    "kind": "city",
                    "population_band": bands.POPULATION_BANDS[0].key,
                    "region": "west",
                    "budget_band": bands.BUDGET_BANDS[0].key,
                },
            )
            ranked = ["governance", "cyber_staffing"] if n % 2 else ["cyber_staffing"]
            services.create(
                context.SYSTEM,
                SurveyResponse,
                {"survey": found, "member": member, "ranked": ranked},
            )
        services.create(context.SYSTEM, SurveyQuote, {"survey": found, "text": "Hiring is hard."})
        found = services.transition(context.SYSTEM, found, "closed")
        services.transition(context.SYSTEM, found, "published")
        services.create(
            context.SYSTEM,
            MemberSurvey,
            {
                "year": 2027,
                "fetched_at": timezone.now(),
                "questions": {
                    "year": 2027,
                    "title": found.title,
                    "closes": "2027-03-01",
                    "ranks": 3,
                },
            },
        )


def test_answer_the_survey_by_keyboard_and_read_the_report(
    transactional_db, live_server, users, new_page, sign_in, axe_check, settings
):
    settings.EXCHANGE_HUB = True
    _published_survey()
    page = new_page()
    sign_in(page, live_server, users["manager"])
    page.goto(f"{live_server.url}/exchange/survey/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Priorities survey")
    axe_check(page)
    tab_to(page, "Priority ranked 1", limit=80)
    page.keyboard.press("ArrowDown")  # a native select moves to the first priority
    expect(page.get_by_label("Priority ranked 2")).to_be_visible()
    page.get_by_label("Priority ranked 1").select_option("governance")
    page.goto(f"{live_server.url}/hub/survey/2027/")
    expect(page.locator("#survey-respondents")).to_contain_text("5 members")
    expect(page.get_by_text("Hiring is hard.")).to_be_visible()
    assert "Member 1" not in page.content()
    axe_check(page)
    # The hub's administrators' pages: the surveys and one survey's answers and quotes.
    admin = new_page()
    sign_in(admin, live_server, users["admin"])
    admin.goto(f"{live_server.url}/hub/surveys/")
    expect(admin.get_by_role("heading", level=1)).to_be_visible()
    axe_check(admin)
    admin.goto(f"{live_server.url}/hub/surveys/2027/")
    expect(admin.get_by_role("heading", level=1)).to_be_visible()
    axe_check(admin)
