"""Key-person risk in a real browser: the flagged critical system with the one person who
can run it and the chain to the services it stops, followed by keyboard to the system's
page, whose "Who can run it" panel says the same; all passing axe-core."""

import datetime

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def estate(departments):
    from django.utils import timezone

    from townhall.continuity.tests import factories as cf
    from townhall.core import context, services
    from townhall.estate.models import System
    from townhall.people.models import Proficiency, StaffRecord
    from townhall.people.tests import factories as f

    with context.acting("system"):
        cad = services.create(
            context.SYSTEM, System, {"name": "Computer-aided dispatch", "criticality": 1}
        )
        erp = services.create(context.SYSTEM, System, {"name": "Payroll", "criticality": 2})
        dispatch = cf.service("911 dispatch")
        pay = cf.service("Pay staff")
        cf.needs(dispatch, cad)
        cf.needs(pay, erp)
        cf.impact(dispatch, mission_essential=True)
    cad_skill = f.skill("TECH-CAD", "Dispatch platform", "technology", systems=[cad])
    erp_skill = f.skill("TECH-ERP", "ERP platform", "technology", systems=[erp])
    ann, bo, cy = f.person("Ann Lee"), f.person("Bo Diaz"), f.person("Cy Park")
    with context.acting("system"):
        for person, skill, level in (
            (ann, cad_skill, 4),
            (bo, cad_skill, 2),
            (bo, erp_skill, 3),
            (cy, erp_skill, 4),
        ):
            services.create(
                context.SYSTEM, Proficiency, {"person": person, "skill": skill, "level": level}
            )
        services.create(
            context.SYSTEM,
            StaffRecord,
            {
                "person": bo,
                "retirement_eligible_on": timezone.localdate() + datetime.timedelta(days=90),
            },
        )


def test_key_person_risk_by_keyboard(
    transactional_db, live_server, users, estate, new_page, sign_in, axe_check
):
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["manager"])
    page.goto(f"{url}/people/key-person-risk/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Key-person risk")
    expect(page.locator("#people-risk-summary")).to_contain_text(
        "1 critical system with fewer than two people who can run it; 1 more within 5 years"
    )
    flags = page.locator("#people-risk-flags")
    expect(flags).to_contain_text("Ann Lee")
    expect(flags).to_contain_text("911 dispatch ← Computer-aided dispatch")
    expect(page.locator("#people-risk-within-1-table")).to_contain_text("Bo Diaz")
    expect(page.locator("#people-risk-essential")).to_contain_text("bus factor 1")
    axe_check(page)

    flags.get_by_role("link", name="Computer-aided dispatch").first.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Computer-aided dispatch")
    expect(page.get_by_role("heading", name="Who can run it")).to_be_visible()
    expect(page.locator("#people-run-list")).to_contain_text("Ann Lee")
    expect(page.locator("#people-run-bus-factor")).to_contain_text("Bus factor: 1")
    axe_check(page)

    page.locator("#people-run").get_by_role("link", name="key-person risk").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Key-person risk")
