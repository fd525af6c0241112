"""Training plans on the key-person risk page in a real browser: the flagged critical
system's plan with its progress and an overdue one marked, the "Plan training" link
followed by keyboard to the add form with the system and skill chosen, and the plan on
the system's "Who can run it" panel; all passing axe-core."""

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
    from townhall.people.models import Proficiency, TrainingPlan
    from townhall.people.tests import factories as f

    today = timezone.localdate()
    with context.acting("system"):
        cad = services.create(
            context.SYSTEM, System, {"name": "Computer-aided dispatch", "criticality": 1}
        )
        records = services.create(context.SYSTEM, System, {"name": "Records", "criticality": 2})
        cf.needs(cf.service("911 dispatch"), cad)
    cad_skill = f.skill("TECH-CAD", "Dispatch platform", "technology", systems=[cad])
    f.skill("TECH-REC", "Records platform", "technology", systems=[records])
    ann, bo, cy = f.person("Ann Lee"), f.person("Bo Diaz"), f.person("Cy Park")
    with context.acting("system"):
        for person, level in ((ann, 4), (bo, 2), (cy, 1)):
            services.create(
                context.SYSTEM, Proficiency, {"person": person, "skill": cad_skill, "level": level}
            )
        for person, days in ((bo, 100), (cy, -10)):
            services.create(
                context.SYSTEM,
                TrainingPlan,
                {
                    "person": person,
                    "skill": cad_skill,
                    "system": cad,
                    "starting_level": 1,
                    "due": today + datetime.timedelta(days=days),
                },
            )
    return cad, cad_skill


def test_training_plans_on_the_risk_page_by_keyboard(
    transactional_db, live_server, users, estate, new_page, sign_in, axe_check
):
    cad, skill = estate
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(f"{url}/people/key-person-risk/")
    expect(page.locator("#people-risk-unplanned")).to_contain_text(
        "1 of the flagged critical systems has no open training plan"
    )
    flags = page.locator("#people-risk-flags")
    expect(flags).to_contain_text("Bo Diaz: Dispatch platform to level 3")
    expect(flags).to_contain_text("now at 2 (50% of the way)")
    expect(flags.locator(".th-overdue")).to_have_count(1)
    expect(flags).to_contain_text("Cy Park")
    axe_check(page)

    flags.get_by_role("link", name="Plan training for Computer-aided dispatch").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{url}/people/training-plans/add/?system={cad.pk}&skill={skill.pk}")
    expect(page.locator("#id_system")).to_have_value(str(cad.pk))
    expect(page.locator("#id_skill")).to_have_value(str(skill.pk))
    axe_check(page)

    page.goto(f"{url}/estate/systems/{cad.pk}/")
    plans = page.locator("#people-run-plans")
    expect(plans).to_contain_text("Bo Diaz: Dispatch platform to level 3")
    plans.get_by_role("link", name="Bo Diaz").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bo Diaz")
    axe_check(page)
