"""A budget year's public page in a real browser, signed out: the criteria table with the
scale in plain words and a funded project, followed by keyboard to the investment's page
and its updates; both pages passing axe-core."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def budget_year(departments):
    from townhall.core import context
    from townhall.governance.models import Proposal
    from townhall.public import kinds
    from townhall.public.tests import samples
    from townhall.public.tests.test_portfolio import _funded, _request

    with context.acting("system"):
        cycle = samples.budget_cycle()
    _funded(cycle, departments["PW"], "Online permits")
    _request(
        cycle,
        departments["PW"],
        "New phone system",
        Proposal.Status.REJECTED,
        decision_rationale="The current one lasts two more years",
    )
    for key in ("budget_cycle", "proposal"):
        samples.publish(key, list(kinds.get(key).field_names))  # type: ignore[union-attr]
    return cycle


def test_budget_year_page_by_keyboard(
    transactional_db, live_server, budget_year, new_page, axe_check
):
    page = new_page()
    page.goto(f"{live_server.url}/public/budget-cycles/{budget_year.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zqyear 2031")
    criteria = page.get_by_role("table", name="How the board scores requests")
    expect(criteria.get_by_role("row", name="Zqrisk")).to_contain_text("25%")
    expect(page.locator("#main-content")).to_contain_text("a score from 1 (lowest) to 5")
    expect(page.locator("#main-content")).to_contain_text("The current one lasts two more years")
    axe_check(page)

    link = page.get_by_role("link", name="Online permits")
    for _ in range(40):  # Tab from the top of the page to the funded project's link
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the funded project's link is not reached by Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Online permits")
    updates = page.get_by_role("table", name="How the project is going")
    expect(updates.get_by_role("row", name="2031-03-01")).to_contain_text("Online permits began")
    axe_check(page)
