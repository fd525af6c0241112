"""Shadow IT's triage queue in a real browser: merchants worked out from purchases, the
queue filtered, a merchant adopted into the estate by keyboard alone, several ticked with
"select all on this page" and marked known together, and the queue and the merchant's page
passing axe-core."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from townhall.estate.models import System
from townhall.shadowit.models import Merchant

pytestmark = pytest.mark.browser


def _purchases(departments):
    from townhall.core import context, services
    from townhall.shadowit import merchants
    from townhall.shadowit.models import Purchase

    today = datetime.date.today()
    rows = [
        {
            "purchased_on": today - datetime.timedelta(days=days),
            "descriptor": descriptor,
            "amount": Decimal(amount),
            "mcc": "5734",
            "owner_department": departments[code],
            "cardholder": "Pat",
        }
        for days, descriptor, amount, code in (
            (70, "ZOOM.US 888-799-9666", "14.99", "PW"),
            (40, "ZOOM.US 888-799-9666", "14.99", "PW"),
            (10, "ZOOM.US 888-799-9666", "14.99", "PW"),
            (12, "DOCUSIGN INC", "300.00", "FIN"),
            (9, "CANVA* 0412", "12.99", "FIN"),
        )
    ]
    with context.acting("system"):
        services.create_many(context.SYSTEM, Purchase, rows)
    merchants.work_out(context.SYSTEM, today)


def test_the_queue_and_adopting_by_keyboard(
    transactional_db, live_server, users, departments, new_page, sign_in, axe_check
):
    _purchases(departments)
    zoom = Merchant.objects.get(key="zoom")
    page = new_page()
    sign_in(page, live_server, users["staff"])
    url = live_server.url
    page.goto(url + reverse("shadowit:queue"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Triage queue")
    expect(page.get_by_role("link", name="Zoom", exact=True)).to_be_visible()
    expect(page.get_by_text("Public Works: 44.97")).to_be_visible()
    axe_check(page)

    page.get_by_label("Department bought by").select_option(label="Finance")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name="DocuSign", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Zoom", exact=True)).to_have_count(0)
    axe_check(page)

    # Keyboard alone: open Zoom's decisions, keep the suggested department and name, adopt.
    page.goto(url + reverse("shadowit:queue"))
    page.locator("summary", has_text="Decide on Zoom").focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#adopt-department-{zoom.pk}")).to_be_visible()
    axe_check(page)
    page.keyboard.press("Tab")  # the owning department
    page.keyboard.press("Tab")  # the system's name
    page.keyboard.press("Tab")  # the button
    page.keyboard.press("Enter")
    expect(page.get_by_text("Zoom adopted into the estate as Zoom (Public Works).")).to_be_visible()
    zoom.refresh_from_db()
    assert zoom.status == "adopted"
    system = System.objects.get(pk=zoom.system_id)
    assert system.discovered_outside_it and system.owner_department == departments["PW"]
    expect(page.get_by_role("link", name="Zoom", exact=False).first).to_be_visible()
    axe_check(page)

    page.goto(url + zoom.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Zoom")
    axe_check(page)


def test_selecting_all_on_the_page_by_keyboard(
    transactional_db, live_server, users, departments, new_page, sign_in, axe_check
):
    _purchases(departments)
    new = list(Merchant.objects.exclude(category="not_technology").filter(status="new"))
    assert len(new) >= 3
    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(live_server.url + reverse("shadowit:queue"))
    page.get_by_label("Select all on this page").focus()
    page.keyboard.press("Space")
    for merchant in new:
        expect(page.get_by_label(f"Select {merchant}", exact=True)).to_be_checked()
    # A row cleared clears "all", so what is sent is what is ticked.
    page.get_by_label(f"Select {new[0]}", exact=True).focus()
    page.keyboard.press("Space")
    expect(page.get_by_label("Select all on this page")).not_to_be_checked()
    page.get_by_label("Mark as known and allowed").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Decide on the selected merchants").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"{len(new) - 1} merchants marked known and allowed")).to_be_visible()
    axe_check(page)
    statuses = dict(Merchant.objects.filter(pk__in=[m.pk for m in new]).values_list("pk", "status"))
    assert statuses.pop(new[0].pk) == "new"
    assert set(statuses.values()) == {"known"}


def test_an_application_nobody_bought_in_the_queue_by_keyboard(
    transactional_db, live_server, users, departments, new_page, sign_in, axe_check
):
    from townhall.core import context, services
    from townhall.shadowit import sign_ins
    from townhall.shadowit.models import SignInApp

    _purchases(departments)
    today = datetime.date.today()
    rows = [
        {
            "application": "Notion",
            "username": who,
            "last_sign_in": today,
            "owner_department": departments[code],
        }
        for who, code in (("ana@x.gov", "FIN"), ("bo@x.gov", "FIN"), ("cy@x.gov", "PW"))
    ]
    with context.acting("system"):
        services.create_many(context.SYSTEM, SignInApp, rows)
    sign_ins.work_out(context.SYSTEM)
    notion = Merchant.objects.get(key="notion")
    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(live_server.url + reverse("shadowit:queue"))
    page.get_by_label("Found in").select_option(label="Only in sign-ins")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name="Notion", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Zoom", exact=True)).to_have_count(0)
    expect(page.get_by_text("Nothing bought; used in")).to_be_visible()
    axe_check(page)

    page.locator("summary", has_text="Decide on Notion").focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#adopt-department-{notion.pk}")).to_be_visible()
    axe_check(page)
    page.keyboard.press("Tab")  # the owning department: the one with the most people
    page.keyboard.press("Tab")  # the system's name
    page.keyboard.press("Tab")  # the button
    page.keyboard.press("Enter")
    expect(page.get_by_text("Notion adopted into the estate as Notion (Finance).")).to_be_visible()
    system = System.objects.get(pk=Merchant.objects.get(pk=notion.pk).system_id)
    assert system.cost_license is None
