"""The plan of action, boots on the ground and insurance readiness in a real browser: actions
generated with the button, a coverage row changed by keyboard alone, an insurer's question
answered by keyboard, and axe-core on every page along the way."""

import datetime

import pytest
from playwright.sync_api import expect

from townhall.cyber import models as m
from townhall.cyber.tests import factories as f
from townhall.cyber.tests import plan_factories as pf
from townhall.tests_browser.test_pages import focused, tab_to

pytestmark = pytest.mark.browser


def name_of_focus(page) -> str:
    """The focused element's name with its spacing evened out (a visually hidden part of a
    name starts a new line in innerText)."""
    return " ".join(focused(page)["name"].split())


def test_plan_generated_and_exported(
    transactional_db, live_server, users, new_page, sign_in, axe_check
):
    owner = f.person(1)
    pf.scored({"GV.OC-01": 2, "PR.AA-03": 6}, responsible=owner)
    pf.risk("Flat network", owner=owner, due_date=datetime.date.today() - datetime.timedelta(1))
    vuln = f.vulnerability(ransomware=True)
    for n in (1, 2, 3):  # one action for the vulnerability, whatever the systems
        pf.exposure(f.system(n), vuln, ransomware=True)
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["staff"])

    page.goto(f"{url}/cyber/plan/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan of action and milestones")
    expect(page.get_by_text("No actions match these filters.")).to_be_visible()
    axe_check(page)

    button = page.get_by_role(
        "button", name="Generate actions from the assessment, risks and exposures"
    )
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/cyber/plan/")
    expect(page.get_by_text("Added 3 actions to the plan.")).to_be_visible()
    expect(
        page.get_by_role("link", name="Raise GV.OC-01 from 2 to 5: Outcome GV.OC-01")
    ).to_be_visible()
    expect(
        page.get_by_role(
            "link",
            name="Patch or mitigate CVE-2024-0001 (Acme Widget Server) on 3 systems "
            "— used in ransomware",
        )
    ).to_be_visible()
    expect(
        page.get_by_role("row", name="Open exposures covered by an open action")
    ).to_contain_text("3 of 3")
    # The risk is a day late; the exposure's KEV due date (2026-01-01) has passed too.
    expect(page.locator(".usa-tag", has_text="Overdue")).to_have_count(2)
    axe_check(page)

    page.get_by_label("Group by").select_option("status")
    page.get_by_label("Only overdue actions").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Show").click()
    heading = "Planned: 2 actions, 2 overdue, $0 estimated (2 without an estimate)"
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    axe_check(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Export to Excel, with milestones").click()
    assert download.value.suggested_filename.startswith("plan-of-action-")

    viewer = new_page()
    sign_in(viewer, live_server, users["viewer"])
    viewer.goto(f"{url}/cyber/plan/?status=bogus")
    expect(viewer.get_by_text("Some filters were not understood")).to_be_visible()
    axe_check(viewer)


def test_coverage_row_changed_by_keyboard(
    transactional_db, live_server, users, new_page, sign_in, axe_check
):
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["staff"])

    page.goto(f"{url}/cyber/coverage/")
    expect(page.get_by_text("No cyber functions are listed yet.")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Add the standard functions").click()
    page.wait_for_url(f"{url}/cyber/coverage/")
    expect(page.get_by_text("Added 18 standard functions")).to_be_visible()
    axe_check(page)

    row = m.Coverage.objects.get(function="Security monitoring and alert triage")
    summary = page.locator(f"#coverage-{row.pk} summary")
    summary.focus()
    assert name_of_focus(page) == "Change who performs Security monitoring and alert triage"
    page.keyboard.press("Enter")  # opens the row's form
    tab_to(page, "Performed by")
    page.keyboard.type("Managed")
    expect(page.locator(f"#id_c{row.pk}-performer")).to_have_value("managed")
    tab_to(page, "Provider")
    page.keyboard.type("Acme SOC")
    tab_to(page, "Hours")
    page.keyboard.type("business hours")
    axe_check(page)
    page.keyboard.press("Tab")
    assert name_of_focus(page) == "Save who performs Security monitoring and alert triage"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/cyber/coverage/#coverage-{row.pk}")
    expect(
        page.get_by_text(
            "Saved: “Security monitoring and alert triage” is performed by managed service "
            "(Acme SOC)."
        )
    ).to_be_visible()
    expect(page.locator(f"#coverage-{row.pk}")).to_contain_text(
        "Needs 24×7 coverage; covered only business hours."
    )
    row.refresh_from_db()
    assert (row.performer, row.provider, row.hours) == ("managed", "Acme SOC", "business hours")
    axe_check(page)

    viewer = new_page()
    sign_in(viewer, live_server, users["viewer"])
    viewer.goto(f"{url}/cyber/coverage/")
    expect(viewer.locator("main details")).to_have_count(0)
    expect(viewer.get_by_role("columnheader", name="Change")).to_have_count(0)
    axe_check(viewer)


def test_insurance_questionnaire_answered_by_keyboard(
    transactional_db, live_server, users, new_page, sign_in, axe_check
):
    pf.scored({"PR.AA-03": 5, "PR.DS-11": 3})
    pf.coverage("Endpoint detection and response", "managed", provider="Acme MDR")
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["staff"])

    page.goto(f"{url}/cyber/insurance/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Insurance readiness")
    axe_check(page)

    summary = page.locator("#question-remote-desktop summary")
    summary.focus()
    page.keyboard.press("Enter")
    tab_to(page, "Our answer")
    page.keyboard.type("No")
    expect(page.locator("#id_remote-desktop-answer")).to_have_value("no")
    tab_to(page, "How we know")
    page.keyboard.type("Port 3389 is open on the old permit server.")
    page.keyboard.press("Tab")
    assert name_of_focus(page) == "Save the answer to “Remote desktop closed to the internet”"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/cyber/insurance/#question-remote-desktop")
    expect(page.locator("#question-remote-desktop")).to_contain_text(
        "IT staff answered “No”: Port 3389 is open on the old permit server."
    )
    axe_check(page)

    viewer = new_page()
    sign_in(viewer, live_server, users["viewer"])
    viewer.goto(f"{url}/cyber/insurance/")
    expect(viewer.locator("main details")).to_have_count(0)
    axe_check(viewer)
