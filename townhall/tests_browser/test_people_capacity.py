"""Capacity for governance in a real browser: a cycle chosen by keyboard, the hours from
the people beside the cycle's, applied with the button, settings saved, the cycle's page
leading back; axe-core on each."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def staffed(users):
    from townhall.core import context, services
    from townhall.governance import presets
    from townhall.governance import services as gov
    from townhall.governance.models import SkillPool
    from townhall.people.tests import factories as f

    apps = services.create(context.SYSTEM, SkillPool, {"name": "Applications", "code": "apps"})
    criteria = gov.load_preset(context.SYSTEM, presets.ORANGE_COUNTY_STYLE)
    for name, first in (("FY2027", 2027), ("FY2026", 2026)):
        gov.open_cycle(
            context.SYSTEM,
            {
                "name": name,
                "first_year": first,
                "years": 2,
                "criteria_set": criteria,
                "capacities": {"apps": {str(first): 4000, str(first + 1): 4000}},
            },
        )
    team = f.team("Applications")
    f.position("Developer", team, f.person("Ana Ruiz"), skill_pool=apps)
    f.position("Analyst", team, f.person("Bo Lin"), skill_pool=apps)


def test_capacity_by_keyboard(
    transactional_db, live_server, users, staffed, new_page, sign_in, axe_check
):
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(f"{url}/people/capacity/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Capacity for governance")
    table = page.locator("#capacity-table")
    expect(table).to_contain_text("FY2027")
    expect(table.locator("tbody tr").first).to_contain_text("1376")  # 2 × 1720 × 0.4
    expect(table.locator("tbody tr").first).to_contain_text("4000")
    axe_check(page)

    page.get_by_label("Budget cycle").focus()
    page.keyboard.press("ArrowDown")  # the other cycle
    page.get_by_role("button", name="Show this cycle").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Staff hours for FY2026")).to_be_visible()

    page.get_by_role("button", name="Set FY2026's staff hours from the people").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".usa-alert")).to_contain_text("now come from the people")
    expect(page.locator("#capacity-table")).not_to_contain_text("4000")
    axe_check(page)

    page.get_by_label("Share of time for operations").fill("0.5")
    page.get_by_role("button", name="Save the settings").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".usa-alert")).to_contain_text("Capacity settings saved")
    expect(page.locator("#capacity-table tbody tr").first).to_contain_text("1720")
    axe_check(page)

    # The cycle's own page says where its hours came from and leads back here.
    from townhall.governance.models import BudgetCycle

    cycle = BudgetCycle.objects.get(name="FY2026")
    page.goto(f"{url}{cycle.get_absolute_url()}")
    expect(page.get_by_role("heading", name="Staff hours from the people")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Compare the staff hours with the people").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Staff hours for FY2026")).to_be_visible()
