"""The search-and-choose picker in a real browser: search by typing, choose with the
keyboard, save; axe-core on the form with results shown."""

import pytest
from playwright.sync_api import expect

from townhall.core import context, services
from townhall.estate import models as m
from townhall.tests_browser.test_pages import focused

pytestmark = pytest.mark.browser


def test_dependency_add_with_pickers(
    transactional_db, live_server, users, departments, new_page, sign_in, axe_check
):
    pw = departments["PW"]
    svc = services.create(
        context.SYSTEM, m.Service, {"name": "Building permits", "owner_department": pw}
    )
    for n in range(30):
        services.create(
            context.SYSTEM, m.Component, {"name": f"srv-{n:03d}", "owner_department": pw}
        )
    target = services.create(
        context.SYSTEM, m.Component, {"name": "db-primary-7", "owner_department": pw}
    )
    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(f"{live_server.url}/estate/dependencies/add/")
    assert "srv-001" not in page.content()  # no full lists in the page
    axe_check(page)

    # The depending service: type, then Down to the match and Space to choose it.
    box = page.locator("#id_from_service_q")
    box.focus()
    page.keyboard.type("permits")
    expect(page.locator("#pick_from_service_results")).to_contain_text("1 match.")
    expect(page.locator("[data-announce-from=pick_from_service_count]")).to_have_text("1 match.")
    page.keyboard.press("ArrowDown")
    assert focused(page)["name"] == "Building permits"
    page.keyboard.press("Space")
    expect(page.get_by_label("Building permits")).to_be_checked()
    expect(page.locator("#pick_from_service_none")).not_to_be_checked()

    # The component it depends on: a broad search first (more than 20 matches), then a
    # narrower one; Enter searches instead of submitting the form.
    box = page.locator("#id_to_component_q")
    box.focus()
    page.keyboard.type("srv")
    results = page.locator("#pick_to_component_results")
    expect(results).to_contain_text("More than 20 matches")
    assert results.locator("input[type=radio]").count() == 20
    axe_check(page)  # the form with results shown
    page.keyboard.press("Control+A")
    page.keyboard.type("db-pri")
    page.keyboard.press("Enter")
    expect(results).to_contain_text("1 match.")
    assert page.url.endswith("/estate/dependencies/add/")
    # By Tab alone: from the box to the Search button, and the button searches as well.
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "Search"
    page.keyboard.press("Enter")
    expect(results).to_contain_text("1 match.")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("ArrowDown")
    assert focused(page)["name"] == "db-primary-7"
    page.keyboard.press("Space")
    expect(results.get_by_label("db-primary-7")).to_be_checked()
    # Searching again keeps the choice: it moves to the chosen list.
    box.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("srv-00")
    expect(results).to_contain_text("10 matches.")
    expect(page.locator("#pick_to_component_chosen").get_by_label("db-primary-7")).to_be_checked()
    axe_check(page)

    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/estate/dependencies/*/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Building permits → db-primary-7")
    dep = m.Dependency.objects.get()
    assert (dep.from_service_id, dep.to_component_id) == (svc.pk, target.pk)

    # The edit page shows both ends chosen; saving unchanged keeps them (no JavaScript
    # needed for that: they are checked inputs).
    page.goto(f"{live_server.url}/estate/dependencies/{dep.pk}/edit/")
    expect(page.get_by_label("db-primary-7")).to_be_checked()
    axe_check(page)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/estate/dependencies/{dep.pk}/")
    dep.refresh_from_db()
    assert (dep.from_service_id, dep.to_component_id) == (svc.pk, target.pk)


def test_contract_components_many(
    transactional_db, live_server, users, departments, new_page, sign_in, axe_check
):
    pw = departments["PW"]
    vendor = services.create(context.SYSTEM, m.Vendor, {"name": "Acme"})
    parts = [
        services.create(context.SYSTEM, m.Component, {"name": f"rack-{n}", "owner_department": pw})
        for n in range(3)
    ]
    contract = services.create(
        context.SYSTEM,
        m.Contract,
        {
            "title": "Racks",
            "vendor": vendor,
            "kind": "support",
            "owner_department": pw,
            "start": "2025-01-01",
            "end": "2027-01-01",
        },
    )
    with context.writing():
        contract.components.set([parts[0]])
    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(f"{live_server.url}/estate/contracts/{contract.pk}/edit/")
    expect(page.get_by_label("rack-0")).to_be_checked()
    box = page.locator("#id_components_q")
    box.focus()
    page.keyboard.type("rack")
    results = page.locator("#pick_components_results")
    expect(results).to_contain_text("2 matches.")  # the chosen one is not repeated
    results.locator("label", has_text="rack-2").click()  # USWDS draws the box on the label
    page.locator("#pick_components_chosen label", has_text="rack-0").click()
    expect(results.get_by_label("rack-2")).to_be_checked()
    expect(page.get_by_label("rack-0")).not_to_be_checked()
    axe_check(page)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/estate/contracts/{contract.pk}/")
    assert set(contract.components.all()) == {parts[2]}
