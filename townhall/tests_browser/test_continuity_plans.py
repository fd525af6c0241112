"""The recovery plan in a real browser: a version started and approved by keyboard (the
approval form's errors too), the Word file downloaded, and axe-core on the plan's page, the
approval form, a runbook and the contact lists."""

import pytest
from playwright.sync_api import expect

from townhall.continuity.models import RecoveryPlan
from townhall.continuity.tests import estate
from townhall.core import context, services
from townhall.estate.models import Person
from townhall.tests_browser.test_pages import tab_to

pytestmark = pytest.mark.browser


def test_plan_started_approved_and_read(
    transactional_db, live_server, users, departments, new_page, sign_in, axe_check
):
    s = estate.build(departments)
    coordinator = services.create(
        context.SYSTEM, Person, {"name": "Casey Coordinator", "phone": "555-0199"}
    )
    services.update(context.SYSTEM, departments["FIN"], {"head": coordinator}, version=None)
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["staff"])

    page.goto(f"{url}/continuity/recovery-plans/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Start a new version of the recovery plan"
    )
    axe_check(page)
    page.get_by_role("button", name="Start version 1").focus()
    page.keyboard.press("Enter")
    plan_url = f"{url}/continuity/recovery-plans/1/"
    page.wait_for_url(plan_url)
    expect(page.get_by_text("Started version 1 as a draft")).to_be_visible()
    expect(page.get_by_text("DRAFT — version 1, not approved.")).to_be_visible()
    runbook = page.locator(f'a[href="/continuity/runbooks/{s["payroll"].pk}/"]')
    expect(runbook).to_have_text("Payroll")
    axe_check(page)

    # Not ready: the approval page says what is missing instead of offering the form.
    page.get_by_role("link", name="Approve", exact=True).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{plan_url}approve/")
    expect(page.get_by_text("choose a continuity coordinator")).to_be_visible()
    axe_check(page)

    plan = RecoveryPlan.objects.get()
    services.update(context.SYSTEM, plan, {"coordinator": coordinator}, version=None)
    page.reload()
    name = page.get_by_label("Approved by")
    name.focus()
    tab_to(page, "Approve version 1")
    page.keyboard.press("Enter")  # nothing filled in: errors, linked to their fields
    expect(page.get_by_role("heading", name="Not approved")).to_be_visible()
    axe_check(page)
    page.get_by_label("Approved by").focus()
    page.keyboard.type("Dana Reyes")
    page.keyboard.press("Tab")
    page.keyboard.type("County Manager")
    page.get_by_label("Date approved").fill("2026-01-05")
    tab_to(page, "Approve version 1")
    page.keyboard.press("Enter")
    page.wait_for_url(plan_url)
    line = "Version 1, approved by Dana Reyes, County Manager on January 5, 2026"
    expect(page.get_by_text(line).first).to_be_visible()
    expect(page.get_by_role("button", name="New version")).to_be_visible()
    axe_check(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download Word (DOCX)").click()
    assert download.value.suggested_filename == "recovery-plan-v1.docx"

    page.locator(f'a[href="/continuity/runbooks/{s["payroll"].pk}/?plan=1"]').click()
    page.wait_for_url(f"{url}/continuity/runbooks/{s['payroll'].pk}/?plan=1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Runbook: Payroll")
    for item in ("ERP", "SQL cluster", "SAN"):
        expect(page.get_by_role("link", name=item).first).to_be_visible()
    axe_check(page)

    reader = new_page()
    sign_in(reader, live_server, users["liaison"])
    for address in (
        "/continuity/recovery-plans/1/",
        f"/continuity/runbooks/{s['dispatch'].pk}/",
        "/continuity/contacts/",
        "/continuity/recovery-plans/",
    ):
        reader.goto(url + address)
        expect(reader.get_by_role("heading", level=1)).to_be_visible()
        axe_check(reader)
    expect(reader.get_by_role("button", name="New version")).to_have_count(0)
