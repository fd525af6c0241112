"""Governance in a real browser: a department's request typed in by keyboard and submitted,
a board member's scores chosen by keyboard while the board's stay hidden from a member who
has not scored, and every governance page checked by axe-core, with the portfolio solved
and its frontier computed through the pages (tasks run in the request while testing)."""

import re

import pytest
from playwright.sync_api import Page, expect

from townhall.core import context, services
from townhall.governance import services as gov
from townhall.governance.models import Ballot, Proposal, Scenario
from townhall.governance.tests import conftest as governance_fixtures
from townhall.tests_browser.test_pages import focused, tab_to

pytestmark = pytest.mark.browser
S = Proposal.Status

# The governance fixtures (a budget cycle with the county's six criteria, two skill pools,
# a board of three, make_proposal) are shared with governance's own tests.
pools = governance_fixtures.pools
cycle = governance_fixtures.cycle
board = governance_fixtures.board
make_proposal = governance_fixtures.make_proposal


def every(cycle, mark: int) -> dict[int, int]:
    return {c.pk: mark for c in cycle.criteria_set.criteria.all()}


def type_into(page: Page, name: str, text: str, limit: int = 60) -> None:
    """Tab to the field called `name` and type `text` there, replacing what it held."""
    tab_to(page, name, limit=limit)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


# --- a department's request, from the form to the board -------------------------------------


def test_request_typed_by_keyboard_then_submitted(
    transactional_db, live_server, users, cycle, new_page, sign_in, axe_check
):
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["liaison"])

    page.goto(f"{url}/governance/requests/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Our investment requests")
    expect(page.get_by_text("No requests yet.")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Request an investment").click()
    page.wait_for_url(f"{url}/governance/proposals/add/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Request an investment")
    expect(page.get_by_role("region", name="How a request goes")).to_be_visible()
    axe_check(page)

    # The whole form from the keyboard, in its tab order: type, Tab, type.
    page.get_by_label("Title").focus()
    page.keyboard.type("Body cameras")
    tab_to(page, "Budget cycle")
    page.keyboard.type("FY2027")  # a select chooses the option typed
    expect(page.get_by_label("Budget cycle")).to_have_value(str(cycle.pk))
    tab_to(page, "Requesting department")
    page.keyboard.type("Public")
    tab_to(page, "Kind")
    page.keyboard.type("New")
    expect(page.get_by_label("Kind")).to_have_value("new_capability")
    type_into(page, "Problem", "No video evidence of patrol stops.")
    type_into(page, "Outcome", "Every patrol records; complaints are settled faster.")
    type_into(page, "Earliest start (fiscal year)", "2027")
    type_into(page, "Duration (years)", "2")
    # The cost grid: row by row, one cell per project year.
    type_into(page, "One-time capital, year 1", "$120,000")
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "One-time capital, year 2"
    page.keyboard.type("30000.50")
    type_into(page, "One-time operating, year 1", "5000")
    type_into(page, "Applications hours, year 1", "400")
    page.keyboard.press("Tab")
    page.keyboard.type("120")
    type_into(page, "Recurring operating cost per year", "15000")
    tab_to(page, "Save as draft", limit=80)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Body cameras")
    expect(page.get_by_role("heading", name="Where it stands: Draft")).to_be_visible()
    expect(page.get_by_text("No steps yet: this request is a draft.")).to_be_visible()
    costs = page.get_by_role("region", name="Costs by project year")
    expect(costs.locator("tbody tr").first).to_contain_text("$120,000")
    axe_check(page)
    proposal = Proposal.objects.get(title="Body cameras")
    assert proposal.status == S.DRAFT
    assert proposal.owner_department.code == "PW"
    assert proposal.capital_costs == [120000, 30000.5]
    assert proposal.operating_costs == [5000, 0]
    assert proposal.effort == {"apps": [400, 120]}

    # Submitted from its page, with a comment kept with the step.
    page.get_by_label("Comment").fill("Costs checked with IT; quotes attached to the record.")
    page.get_by_role("button", name="Submit to the board").click()
    expect(page.get_by_role("heading", name="Where it stands: Submitted")).to_be_visible()
    steps = page.get_by_role("list", name="Steps so far")
    expect(steps).to_contain_text("Submitted")
    expect(steps).to_contain_text("Costs checked with IT; quotes attached to the record.")
    expect(page.locator(".th-messages")).to_contain_text("is now submitted")
    axe_check(page)
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED
    assert proposal.submitted_by == users["liaison"]

    # Our requests: where it stands and its latest step.
    page.goto(f"{url}/governance/requests/")
    row = page.get_by_role("region", name="Our requests").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row.get_by_role("link", name="Body cameras")).to_be_visible()
    expect(row).to_contain_text("Submitted")
    expect(row).to_contain_text("liaison1: Costs checked with IT")
    axe_check(page)


# --- board scoring: by keyboard, and independent --------------------------------------------


def choose(page: Page, criterion, mark: int) -> None:
    """Give `mark` on `criterion`: Tab into its radio group (which lands on its first option
    while none is chosen), Space to choose it, then the arrow key to move the choice."""
    first = f"score-{criterion.pk}-1"
    for _ in range(20):
        page.keyboard.press("Tab")
        if (focused(page) or {}).get("id") == first:
            break
    else:
        pytest.fail(f"{criterion.name}: its scores were not reached by Tab")
    page.keyboard.press("Space")
    for _ in range(mark - 1):
        page.keyboard.press("ArrowRight")
    group = page.get_by_role("group", name=criterion.name)
    expect(group.locator(f"#score-{criterion.pk}-{mark}")).to_be_checked()
    assert focused(page)["id"] == f"score-{criterion.pk}-{mark}"


def test_board_member_scores_by_keyboard(
    transactional_db, live_server, users, board, cycle, make_proposal, new_page, sign_in, axe_check
):
    url = live_server.url
    proposal = make_proposal("Permit portal", S.UNDER_REVIEW)
    criteria = list(cycle.criteria_set.criteria.all())
    first, second = board[0], board[1]

    page = new_page()
    sign_in(page, live_server, first)
    page.goto(f"{url}/governance/scoring/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposals to score")
    queue = page.get_by_role("region", name="Proposals to score")
    expect(queue.locator("tbody tr")).to_have_count(1)
    expect(queue).to_contain_text("Not started")
    axe_check(page)
    queue.get_by_role("link", name="Permit portal").click()
    page.wait_for_url(f"{url}/governance/proposals/{proposal.pk}/scores/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Scores: Permit portal")
    expect(page.get_by_text("Submit your scores to see the board's.")).to_be_visible()
    # What the member needs to decide is on the same page: problem, benefits, costs, risks.
    about = page.get_by_role("region", name="The proposal")
    expect(about).to_contain_text("Paper forms and re-keying.")
    expect(about).to_contain_text("Residents apply online.")
    expect(about).to_contain_text("One-time cost in all: $260,000")
    expect(about.get_by_role("heading", name="Risks and what it relies on")).to_be_visible()
    axe_check(page)

    # Every criterion from the keyboard; a comment on the first.
    marks = [4, 3, 5, 2, 4, 3]
    page.get_by_role("heading", name="Your scores").click()  # start the tab order here
    for criterion, mark in zip(criteria, marks, strict=True):
        choose(page, criterion, mark)
        if criterion == criteria[0]:
            page.keyboard.press("Tab")
            assert focused(page)["id"] == f"comment-{criterion.pk}"
            page.keyboard.type("Residents ask for this every week.")
    tab_to(page, "Submit scores", limit=10)
    page.keyboard.press("Enter")

    expect(page.locator(".th-messages")).to_contain_text("Your scores for “Permit portal” are")
    expect(page.get_by_text("Your scores are final")).to_be_visible()
    table = page.get_by_role("region", name="The board's scores by criterion")
    expect(table.locator("thead")).to_contain_text("board1")
    expect(table.locator("tbody tr").first).to_contain_text("4")
    expect(page.get_by_text("1 of 3 board members submitted.")).to_be_visible()
    expect(page.get_by_text("Residents ask for this every week.")).to_be_visible()
    axe_check(page)
    ballot = Ballot.objects.get(member=first, proposal=proposal)
    assert ballot.submitted_at is not None
    assert ballot.scores == {str(c.pk): m for c, m in zip(criteria, marks, strict=True)}
    page.goto(f"{url}/governance/scoring/")
    expect(page.get_by_text("Nothing waiting")).to_be_visible()
    expect(
        page.get_by_text("You have submitted scores for 1 proposal under review.")
    ).to_be_visible()
    axe_check(page)

    # Another member, on a narrow screen, has not submitted: no scores of the first.
    other = new_page(width=375)
    sign_in(other, live_server, second)
    other.goto(f"{url}/governance/proposals/{proposal.pk}/scores/")
    expect(other.get_by_text("Submit your scores to see the board's.")).to_be_visible()
    expect(other.get_by_role("region", name="The board's scores by criterion")).to_have_count(0)
    expect(other.get_by_text("Residents ask for this every week.")).to_have_count(0)
    axe_check(other)
    # Submitting half a ballot: refused, each missing score named and linked to its options.
    choose(other, criteria[0], 2)
    other.get_by_role("button", name="Submit scores").click()
    errors = other.get_by_role("alert")
    expect(errors).to_contain_text("Your scores were not saved")
    missing = errors.get_by_role("link", name=re.compile(rf"^{re.escape(criteria[1].name)}:"))
    expect(missing).to_have_attribute("href", f"#score-{criteria[1].pk}-1")
    expect(other.locator(f"#score-{criteria[0].pk}-2")).to_be_checked()
    expect(other.get_by_role("region", name="The board's scores by criterion")).to_have_count(0)
    axe_check(other)
    other.get_by_role("button", name="Save draft").click()
    expect(other.locator(".th-messages")).to_contain_text("Draft saved")
    expect(other.get_by_text("Submit your scores to see the board's.")).to_be_visible()
    axe_check(other)
    # The cycle's ranking keeps the proposal's total from them too.
    other.goto(f"{url}/governance/budget-cycles/{cycle.pk}/scores/")
    expect(other.get_by_role("link", name="Submit your scores to see the board's.")).to_be_visible()
    axe_check(other)
    assert not Ballot.objects.get(member=second, proposal=proposal).submitted_at


# --- every governance page, with data in it --------------------------------------------------


@pytest.fixture
def portfolio_data(users, board, cycle, make_proposal, departments):
    """Three scored proposals (the board disagrees on one), one approved, one under review
    with a ballot of one member, one mandated, one draft, and an unsolved scenario."""
    for title, marks in (("Permit portal", (5, 4, 4)), ("Radio core", (3, 3, 2))):
        p = make_proposal(title, S.UNDER_REVIEW)
        for member, mark in zip(board, marks, strict=True):
            gov.save_ballot(member, p, every(cycle, mark), submit=True)
        gov.move(users["staff"], p, S.SCORED)
    kiosks = make_proposal("Kiosk refresh", S.UNDER_REVIEW, owner_department=departments["FIN"])
    for member, mark in zip(board, (1, 5, 2), strict=True):
        gov.save_ballot(member, kiosks, every(cycle, mark), {}, submit=True)
    gov.move(users["staff"], kiosks, S.SCORED)
    mandated = make_proposal(
        "Records retention", S.UNDER_REVIEW, mandated=True, mandate="State records act"
    )
    decision = {"rationale": "Required by law.", "votes_for": 4, "approved_start": 2027}
    gov.move(users["staff"], mandated, S.APPROVED, "Required by law.", decision=decision)
    fleet = make_proposal("Fleet telematics", S.UNDER_REVIEW)
    gov.save_ballot(board[1], fleet, every(cycle, 3), submit=True)
    make_proposal("Half an idea")
    scenario = services.create(
        context.SYSTEM, Scenario, {"cycle": cycle, "name": "Base", "time_limit": 5}
    )
    return {"scenario": scenario, "fleet": fleet}


def test_governance_pages(
    transactional_db, live_server, users, cycle, portfolio_data, new_page, sign_in, axe_check
):
    url = live_server.url
    scenario = portfolio_data["scenario"]
    page = new_page()
    sign_in(page, live_server, users["staff"])

    def h1(text: str | re.Pattern) -> None:
        expect(page.get_by_role("heading", level=1)).to_have_text(text)

    # The cycle, and the pages it leads to.
    page.goto(f"{url}/governance/budget-cycles/{cycle.pk}/")
    h1("FY2027")
    expect(page.get_by_role("link", name="3 scored")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Scores and ranking").click()
    h1("Scores and ranking: FY2027")
    expect(page.get_by_role("heading", name="Kiosk refresh")).to_be_visible()  # disagreement
    axe_check(page)

    page.goto(f"{url}/governance/budget-cycles/{cycle.pk}/")
    page.get_by_role("link", name="Budgets and staff hours").click()
    h1("Budgets and staff hours: FY2027")
    axe_check(page)
    page.get_by_label("Capital budget, FY2028").fill("1,200,000")  # not a number: an error
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#form-errors")).to_be_visible()
    axe_check(page)
    page.get_by_label("Capital budget, FY2028").fill("1200000")
    page.get_by_role("button", name="Save").click()
    h1("FY2027")
    expect(page.locator(".th-messages")).to_contain_text("Saved the budgets")
    expect(
        page.get_by_role("region", name="Budgets and staff hours by fiscal year")
    ).to_contain_text("$1,200,000")

    page.locator("#cycle-criteria").get_by_role("link", name=cycle.criteria_set.name).click()
    h1(re.compile(r"^County six-criteria set"))
    axe_check(page)

    # A new criteria set from a preset.
    page.goto(f"{url}/governance/criteria-sets/presets/")
    h1("Start a criteria set from a preset")
    axe_check(page)
    page.get_by_role("button", name="Use “100-point rubric”").click()
    h1(re.compile(r"^100-point rubric"))
    expect(page.locator(".th-messages")).to_contain_text("Created")
    expect(page.get_by_role("link", name="Add a criterion")).to_be_visible()
    axe_check(page)

    # A scenario: unsolved, solved through the page, then its frontier and the comparison.
    page.goto(f"{url}/governance/scenarios/{scenario.pk}/")
    h1("FY2027: Base")
    expect(page.get_by_text("Not solved yet")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Solve", exact=True).click()
    expect(page.locator(".th-messages")).to_contain_text("Solved.")
    expect(page.get_by_role("heading", name=re.compile(r"^Funded proposals"))).to_be_visible()
    expect(page.get_by_role("region", name="Funded proposals", exact=True)).to_contain_text(
        "Permit portal"
    )
    axe_check(page)

    page.get_by_role("link", name="Efficient frontier").click()
    h1("Efficient frontier: Base")
    expect(page.get_by_text("The frontier has not been computed yet.")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Compute the frontier").click()
    expect(page.get_by_role("img", name="Value against budget level")).to_be_visible()
    expect(page.get_by_role("region", name="Frontier values")).to_contain_text("(this scenario)")
    axe_check(page)

    page.goto(f"{url}/governance/scenarios/{scenario.pk}/")
    page.get_by_role("link", name="Compare the cycle’s scenarios").click()
    h1("Compare scenarios: FY2027")
    axe_check(page)

    # The governance dashboard and the board packet as a web page (its own style sheet).
    page.goto(f"{url}/governance/dashboard/")
    h1("Governance health")
    axe_check(page)
    page.goto(f"{url}/governance/budget-cycles/{cycle.pk}/packet.pdf?format=html")
    h1("FY2027 board packet")
    axe_check(page)

    # The proposals, filtered (htmx swaps the results in and pushes the address).
    page.goto(f"{url}/governance/proposals/")
    h1("Proposals")
    expect(page.locator("#results-count")).to_contain_text("6 proposals")
    axe_check(page)
    page.get_by_label("Requesting department").select_option(label="Finance")
    page.wait_for_url(re.compile(r"owner_department="))
    expect(page.locator("#results-count")).to_contain_text("1 proposal")
    expect(page.get_by_role("link", name="Kiosk refresh")).to_be_visible()
    axe_check(page)

    # A scored proposal: the board's decision, recorded with its reason and vote.
    page.get_by_role("link", name="Kiosk refresh").click()
    h1("Kiosk refresh")
    expect(page.get_by_role("group", name="Record the board's decision")).to_be_visible()
    axe_check(page)
    # The decision from the keyboard: on the first choice, the arrow moves to the next.
    page.get_by_role("radio", name="Approve").focus()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="Defer")).to_be_checked()
    page.get_by_label("Rationale").fill(
        "The board is split; ask Finance for a smaller first phase."
    )
    page.get_by_label("Votes for").fill("3")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".th-messages")).to_contain_text("Decision recorded")
    expect(page.get_by_role("heading", name="Where it stands: Deferred")).to_be_visible()
    axe_check(page)
    kiosks = Proposal.objects.get(title="Kiosk refresh")
    assert (kiosks.status, kiosks.votes_for) == (S.DEFERRED, 3)

    # The scoring queue of someone who does not score; a proposal's page and its scores.
    page.goto(f"{url}/governance/scoring/")
    h1("Proposals to score")
    expect(page.get_by_role("link", name="Scores and ranking: FY2027")).to_be_visible()
    axe_check(page)
    page.goto(f"{url}/governance/proposals/{portfolio_data['fleet'].pk}/scores/")
    h1("Scores: Fleet telematics")
    expect(page.get_by_role("heading", name="Board members")).to_be_visible()
    axe_check(page)


# --- the governance front page ------------------------------------------------------------


def test_front_page_leads_each_role_to_its_next_step(
    transactional_db, live_server, users, board, cycle, make_proposal, new_page, sign_in, axe_check
):
    url = live_server.url
    make_proposal("Permit portal", S.UNDER_REVIEW)
    make_proposal("Half an idea")

    page = new_page()
    sign_in(page, live_server, board[0])
    page.goto(f"{url}/governance/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Governance")
    todo = page.get_by_role("region", name="What to do next")
    expect(todo).to_contain_text("1 proposal waits for your scores.")
    axe_check(page)
    page.get_by_role("heading", name="What to do next").click()  # start the tab order here
    tab_to(page, "Score proposals", limit=5)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/governance/scoring/")

    liaison = new_page(width=390)
    sign_in(liaison, live_server, users["liaison"])
    liaison.goto(f"{url}/governance/")
    expect(liaison.get_by_role("region", name="What to do next")).to_contain_text(
        "1 draft is not yet submitted to the board"
    )
    axe_check(liaison)
