"""Exercises in a real browser: the exercise page with its chart and results, the results
form used by keyboard alone (a time changed, a service searched for and chosen, saved with
Enter; then a bad value refused with the row and field named), the result and follow-up
pages, the recovery times tested page, and the continuity panels on estate pages, each
checked by axe-core."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from townhall.continuity import models as m
from townhall.continuity.tests import estate
from townhall.continuity.tests import factories as f
from townhall.core import context, services
from townhall.tests_browser.test_pages import focused, tab_to

pytestmark = pytest.mark.browser


def scenario(departments):
    s = estate.build(departments)
    payroll = s["payroll"].impact_analysis
    services.update(context.SYSTEM, payroll, {"rto_hours": 24}, version=payroll.version)
    s["library"] = f.service("Library", departments["PW"])
    s["drill"] = services.create(
        context.SYSTEM,
        m.Exercise,
        {
            "name": "Ransomware tabletop",
            "scenario": "cyber",
            "held_on": datetime.date(2025, 3, 1),
            "participants": "Ana Ruiz, CIO\nBen Okafor, Finance",
            "findings": "The SAN restore took longer than recorded.",
        },
    )
    s["r_payroll"] = services.create(
        context.SYSTEM,
        m.ExerciseResult,
        {"exercise": s["drill"], "service": s["payroll"], "measured_hours": 30},
    )
    services.create(
        context.SYSTEM,
        m.ExerciseResult,
        {"exercise": s["drill"], "service": s["permits"], "measured_hours": 24},
    )
    s["late"] = services.create(
        context.SYSTEM,
        m.FollowUp,
        {
            "exercise": s["drill"],
            "title": "Test the SAN restore",
            "owner_department": departments["PW"],
            "due_on": datetime.date(2024, 1, 1),
        },
    )
    return s


def look(page: Page, live_server, address: str, axe_check, heading: str | None = None) -> None:
    page.goto(live_server.url + address)
    h1 = page.get_by_role("heading", level=1)
    if heading:
        expect(h1).to_have_text(heading)
    else:
        expect(h1).to_be_visible()
    axe_check(page)


def test_exercise_pages_and_results_form_by_keyboard(
    transactional_db, live_server, users, departments, new_page, sign_in, axe_check
):
    s = scenario(departments)
    drill = s["drill"]
    page = new_page()
    sign_in(page, live_server, users["staff"])

    look(page, live_server, drill.get_absolute_url(), axe_check, str(drill))
    expect(page.get_by_text("Missed by 6 h")).to_be_visible()
    expect(page.locator("#exercise-chart-title")).to_contain_text("Payroll 30 h of RTO 24 h (over)")
    expect(page.get_by_role("listitem").filter(has_text="Ben Okafor, Finance")).to_be_visible()
    expect(page.get_by_text("Overdue by")).to_be_visible()

    # To the results form by keyboard.
    page.get_by_role("link", name="Enter results").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/continuity/exercises/{drill.pk}/results/")
    axe_check(page)

    # Payroll's time: reached through its label, replaced by typing.
    box = page.get_by_label("Payroll: measured recovery time (hours)")
    box.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("18")
    # A new service: type in the first new row's search box, Down to the match, Space.
    search = page.locator("#id_new-0-service_q")
    search.focus()
    page.keyboard.type("Libr")
    expect(page.locator("#pick_new-0-service_results")).to_contain_text("1 match.")
    page.keyboard.press("ArrowDown")
    assert focused(page)["name"] == "Library"
    page.keyboard.press("Space")
    expect(page.locator("#pick_new-0-service").get_by_label("Library")).to_be_checked()
    axe_check(page)  # the form with search results shown
    # Tab on to the new row's measured time, type it, and Enter saves the form.
    el = tab_to(page, "Measured recovery time (hours)")
    assert el["id"] == "id_new-0-measured_hours"
    page.keyboard.type("7.5")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}{drill.get_absolute_url()}")
    expect(page.get_by_text("Saved 2 changes to the results of")).to_be_visible()
    got = {r.service.name: r.measured_hours for r in drill.results.all()}
    assert got == {"Payroll": 18, "Permits": 24, "Library": 7.5}

    # A bad value: nothing saved, the summary names row and field, its link goes there.
    page.goto(f"{live_server.url}/continuity/exercises/{drill.pk}/results/")
    box = page.get_by_label("Permits: measured recovery time (hours)")
    box.fill("-4")
    page.get_by_label("Library: measured recovery time (hours)").fill("2")
    page.get_by_role("button", name="Save all results").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Nothing was saved")
    problem = alert.get_by_role(
        "link", name="Permits, measured recovery time (hours): Enter 0 hours or more."
    )
    expect(problem).to_be_visible()
    axe_check(page)
    problem.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Permits: measured recovery time (hours)")).to_be_focused()
    assert {r.service.name: r.measured_hours for r in drill.results.all()} == got

    # The other pages of the area.
    look(page, live_server, s["r_payroll"].get_absolute_url(), axe_check)
    expect(page.get_by_role("heading", name="Met with 6 h to spare")).to_be_visible()
    look(page, live_server, s["late"].get_absolute_url(), axe_check, "Test the SAN restore")
    expect(page.get_by_text("Overdue by")).to_be_visible()
    look(page, live_server, "/continuity/recovery-tests/", axe_check, "Recovery times tested")
    expect(page.get_by_role("link", name="7.5 h")).to_be_visible()
    look(
        page, live_server, f"/continuity/follow-up-actions/add/for-exercise/{drill.pk}/", axe_check
    )
    look(
        page,
        live_server,
        f"/continuity/impact-analyses/add/for-service/{s['library'].pk}/",
        axe_check,
    )
    look(
        page,
        live_server,
        f"/continuity/recovery-capabilities/add/for-component/{s['cad'].pk}/",
        axe_check,
    )


def test_continuity_panels_on_estate_pages(
    transactional_db, live_server, users, departments, new_page, sign_in, axe_check
):
    s = scenario(departments)
    page = new_page()
    sign_in(page, live_server, users["liaison"])
    look(page, live_server, s["payroll"].get_absolute_url(), axe_check, "Payroll")
    panel = page.locator("section", has=page.locator("#continuity-heading"))
    expect(panel).to_contain_text("Can meet its RTO with 2 h to spare")
    expect(panel.get_by_role("link", name="30 h")).to_have_attribute(
        "href", s["r_payroll"].get_absolute_url()
    )
    look(page, live_server, s["library"].get_absolute_url(), axe_check, "Library")
    add = page.get_by_role("link", name="Add impact analysis")
    add.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/impact-analyses/add/for-service/{s['library'].pk}/")
    expect(page.get_by_label("Library")).to_be_checked()
    look(page, live_server, s["erp"].get_absolute_url(), axe_check, "ERP")
    expect(page.get_by_text("Never tested")).to_be_visible()
    look(page, live_server, s["cad"].get_absolute_url(), axe_check, "CAD server")
    expect(page.get_by_role("link", name="Add recovery capability")).to_be_visible()


def test_results_form_on_a_narrow_screen(
    transactional_db, live_server, users, departments, new_page, sign_in, axe_check
):
    s = scenario(departments)
    page = new_page(width=375, height=740)
    sign_in(page, live_server, users["admin"])
    look(page, live_server, f"/continuity/exercises/{s['drill'].pk}/results/", axe_check)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the results form is {width}px wide on a 375px screen"
    look(page, live_server, s["drill"].get_absolute_url(), axe_check)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
