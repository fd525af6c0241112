"""Single points of failure on the dependency page in a real browser: marked in the
picture by a double outline and a caption with the count (not by colour alone), in the
nested lists in words, and explained in the legend; axe-core and a narrow screen."""

import pytest
from playwright.sync_api import expect

from townhall.continuity.tests import estate
from townhall.tests_browser.test_dependencies import wait_for_graph

pytestmark = pytest.mark.browser


def test_single_points_marked_in_graph_list_and_legend(
    transactional_db, live_server, users, departments, new_page, sign_in, axe_check
):
    # Payroll (mission-essential) → ERP → SQL cluster → SAN; Permits → Permit system → SQL
    # cluster; Dispatch (mission-essential) → CAD server. Seen from the SQL cluster, only
    # Payroll is mission-essential above it: the SQL cluster, the SAN and ERP each stop it;
    # Payroll is not a single point of failure for itself; the permit system and Permits
    # stop none.
    s = estate.build(departments)
    page = new_page()
    sign_in(page, live_server, users["board"])
    page.goto(f"{live_server.url}/estate/components/{s['sql'].pk}/dependencies/")
    wait_for_graph(page)
    drawn = page.evaluate(
        """() => Object.fromEntries(window.townhallGraph.nodes().map(n => [
          n.data('label'),
          {caption: n.style('label'), border: n.style('border-style'), loss: n.data('loss')},
        ]))"""
    )
    assert drawn["SAN"] == {"caption": "SAN (stops 1)", "border": "double", "loss": 1}
    assert drawn["ERP"]["caption"] == "ERP (stops 1)" and drawn["ERP"]["border"] == "double"
    assert drawn["Permit system"] == {"caption": "Permit system", "border": "solid", "loss": 0}
    assert drawn["Permits"]["border"] == "solid"

    legend = page.get_by_role("list", name="Legend")
    expect(legend).to_contain_text("Single point of failure for mission-essential services")
    notice = page.locator("#single-point-notice")
    expect(notice).to_contain_text("SQL cluster is a single point of failure")
    needs = page.locator("section", has=page.locator("#needs-heading"))
    expect(needs).to_contain_text("single point of failure: its loss stops 1 mission-essential")
    payroll = page.locator(f"#needed_by-service-{s['payroll'].pk}")
    expect(payroll).to_contain_text("Payroll (service) runs on ERP")
    expect(payroll).not_to_contain_text("single point of failure")
    permits = page.locator(f"#needed_by-service-{s['permits'].pk}")
    expect(permits).to_contain_text("Permits (service) runs on Permit system")
    expect(permits).not_to_contain_text("single point of failure")
    axe_check(page)
    # The notice's link is reached by keyboard and leads to the ranked list.
    link = notice.get_by_role("link", name="See the continuity analysis")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/continuity/analysis/#single-points")


def test_single_points_on_a_narrow_screen(
    transactional_db, live_server, users, departments, new_page, sign_in, axe_check
):
    s = estate.build(departments)
    page = new_page(width=375, height=740)
    sign_in(page, live_server, users["viewer"])
    page.goto(f"{live_server.url}/estate/systems/{s['erp'].pk}/dependencies/")
    wait_for_graph(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    axe_check(page)
