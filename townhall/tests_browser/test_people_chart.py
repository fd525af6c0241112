"""The organization chart in a real browser: nested teams, positions and vacancies read as
lists, followed by keyboard to a position and to the person filling it, whose page shows
their position and skills; the skills page too; all passing axe-core."""

import datetime

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def organization(departments):
    from townhall.core import context, services
    from townhall.people.models import OperatingModel, Proficiency
    from townhall.people.tests import factories as f

    it = f.team("Information Technology")
    ops = f.team("Infrastructure and Operations", parent=it)
    sheriff = f.team("Sheriff's Office IT", departments["PW"], placement="embedded")
    ada = f.person("Ada Okafor", title="Chief Information Officer")
    pat = f.person("Pat Rivera", title="Database Administrator")
    cio = f.position("Chief Information Officer", it, ada)
    f.position("Database Administrator", ops, pat, reports_to=cio)
    f.position("Network Engineer", ops, None, vacant_since=datetime.date(2026, 3, 2))
    f.position("Mobile Data Technician", sheriff, None, placement="embedded", funded=False)
    sql = f.skill("TECH-POSTGRESQL", "PostgreSQL", "technology")
    with context.acting("system"):
        services.create(context.SYSTEM, Proficiency, {"person": pat, "skill": sql, "level": 4})
        services.create(
            context.SYSTEM,
            OperatingModel,
            {
                "owner_department": departments["PW"],
                "model": "decentralized",
                "as_of": datetime.date(2025, 7, 1),
            },
        )


def test_the_chart_by_keyboard(
    transactional_db, live_server, users, organization, new_page, sign_in, axe_check
):
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["viewer"])
    page.goto(f"{url}/people/chart/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Organization chart")
    expect(page.locator("#people-chart-summary")).to_contain_text("4 positions")
    expect(page.locator("#people-chart-summary")).to_contain_text("2 vacant")
    # The operations team is a list item inside the central unit's list item.
    nested = page.locator("#people-chart > li > ul.th-org-teams > li").filter(
        has_text="Infrastructure and Operations"
    )
    expect(nested).to_have_count(1)
    expect(nested.locator(".th-org-vacant")).to_contain_text("Vacant")
    expect(nested.locator(".th-org-vacant")).to_contain_text("since 2 March 2026")
    axe_check(page)

    page.get_by_role("link", name="Pat Rivera").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pat Rivera")
    expect(page.get_by_role("heading", name="Position and skills")).to_be_visible()
    expect(page.locator("#people-panel-skills")).to_contain_text("PostgreSQL: level 4")
    axe_check(page)

    page.get_by_role("link", name="PostgreSQL").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("PostgreSQL")
    expect(page.get_by_role("heading", name="Systems that need it (0)")).to_be_visible()
    axe_check(page)

    page.goto(f"{url}/people/chart/")
    page.locator("#people-models-table").get_by_role("link").first.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#operating-staff-summary")).to_contain_text(
        "1 embedded IT position: 0 filled, 1 vacant"
    )
    axe_check(page)

    page.goto(f"{url}/people/chart/")
    page.get_by_role("link", name="Network Engineer").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Network Engineer")
    axe_check(page)


def test_the_skills_page(transactional_db, live_server, users, new_page, sign_in, axe_check):
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(f"{url}/people/skills/overview/")
    page.get_by_role("button", name="Load the NICE core set").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#people-skill-kinds")).to_contain_text("NICE competency area: 11")
    axe_check(page)
