"""Scenario pages: the plan on the detail page, solving, the frontier, scenarios side by side."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from townhall.core import context, services
from townhall.governance import portfolio
from townhall.governance import services as gov
from townhall.governance.models import Proposal, Scenario

S = Proposal.Status
ROLES = ("admin", "staff", "liaison", "board", "viewer")


def score(proposal, board, mark):
    criteria = list(proposal.cycle.criteria_set.criteria.all())
    for member in board:
        gov.save_ballot(member, proposal, {c.pk: mark for c in criteria}, submit=True)


def scored_proposal(make_proposal, board, title, mark, status=S.SCORED, **values):
    p = make_proposal(title, S.UNDER_REVIEW, **values)
    score(p, board, mark)
    if status != S.UNDER_REVIEW:
        p = gov.move(context.SYSTEM, p, status)
    return p


def new_scenario(cycle, name="Base", **values):
    return services.create(context.SYSTEM, Scenario, {"cycle": cycle, "name": name, **values})


def text(response):
    """The page's words without tags, spaces collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", body)


def save_result(scenario, result):
    return services.update(context.SYSTEM, scenario, {"result": result}, version=None)


@pytest.fixture
def proposals(make_proposal, board):
    return [
        scored_proposal(make_proposal, board, "Permits online", 4),
        scored_proposal(make_proposal, board, "Records system", 3),
    ]


@pytest.fixture
def solved(cycle, users, proposals):
    return portfolio.solve(new_scenario(cycle), users["staff"])


# --- detail page ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_plan(client_for, solved, role):
    response = client_for(role).get(solved.get_absolute_url())
    assert response.status_code == 200
    page = text(response)
    assert "Optimal" in page
    assert "Permits online" in page and "FY2027" in page
    assert (
        "A budget office funding down the board's ranking year by year would fund 2 proposals"
        in page
    )
    assert "How the budget office's plan is built" in page
    assert "What does not fit waits for the next year and keeps its place" in page
    assert "Efficient frontier" in page
    solve_url = reverse("governance:scenario_solve", args=[solved.pk])
    assert (f'action="{solve_url}"' in response.content.decode()) == (role in ("admin", "staff"))


def test_unsolved_scenario_invites_a_solve(client_for, cycle, proposals):
    scenario = new_scenario(cycle)
    page = text(client_for("staff").get(scenario.get_absolute_url()))
    assert "Not solved yet" in page
    assert "Solve the scenario to see which proposals it funds." in page


def test_solve_from_the_page(client_for, cycle, proposals):
    scenario = new_scenario(cycle)
    client = client_for("staff")
    url = reverse("governance:scenario_solve", args=[scenario.pk])
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == scenario.get_absolute_url()
    scenario.refresh_from_db()
    assert scenario.result["status"] == "optimal"
    assert scenario.solved_at is not None
    page = text(client.get(scenario.get_absolute_url()))
    assert "Solved." in page  # the message after the job finished in-process
    assert "Solve again" in page


@pytest.mark.parametrize("role", ("liaison", "board", "viewer"))
def test_solve_needs_the_right_to_change_the_scenario(client_for, cycle, proposals, role):
    scenario = new_scenario(cycle)
    response = client_for(role).post(reverse("governance:scenario_solve", args=[scenario.pk]))
    assert response.status_code == 403
    scenario.refresh_from_db()
    assert scenario.result is None


def test_solve_is_post_only_for_changes(client_for, solved):
    url = reverse("governance:scenario_solve", args=[solved.pk])
    response = client_for("viewer").get(url)
    assert response.status_code == 302  # plain GET goes back to the scenario
    response = client_for("viewer").get(url, headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Refresh"] == "true"  # nothing running


def test_infeasible_scenario_names_the_conflicting_constraints(
    client_for, cycle, users, make_proposal
):
    make_proposal(
        "State mandate",
        S.UNDER_REVIEW,
        mandated=True,
        mandate="State law 12",
        capital_costs=[1_500_000, 0],
    )
    scenario = portfolio.solve(new_scenario(cycle), users["staff"])
    page = text(client_for("viewer").get(scenario.get_absolute_url()))
    assert "Infeasible" in page
    assert "These constraints conflict" in page
    assert re.search(r"capital budget in 2027 is short by [\d,.]+ .* State mandate", page)
    assert "p" + str(scenario.pk) not in page.split("These constraints conflict")[1][:300]


def test_a_plan_stopped_at_the_time_limit_is_never_called_optimal(client_for, solved):
    result = dict(solved.result)
    result.update(
        status="time_limit",
        gap=0.0525,
        bound=result["value"] * 1.0525,
        summary="Stopped at the time limit: not proven optimal.",
    )
    save_result(solved, result)
    for role in ("staff", "viewer"):
        page = text(client_for(role).get(solved.get_absolute_url()))
        assert "Stopped at the time limit: not proven optimal, gap 5.25%" in page
        assert "Optimal" not in page
        assert "optimal plan is worth" not in page
        assert "this plan is worth" in page
    compare = text(
        client_for("viewer").get(reverse("governance:cycle_compare", args=[solved.cycle_id]))
    )
    assert "gap 5.25%" in compare
    assert "Optimal" not in compare


def test_a_stale_plan_says_so(client_for, solved, make_proposal, board):
    page = text(client_for("staff").get(solved.get_absolute_url()))
    assert "have changed since it was solved" not in page
    scored_proposal(make_proposal, board, "Late arrival", 5)
    page = text(client_for("staff").get(solved.get_absolute_url()))
    assert "have changed since it was solved" in page


def test_values_stay_hidden_from_the_board_until_scoring_closes(
    client_for, cycle, users, make_proposal, board
):
    open_one = scored_proposal(make_proposal, board[1:], "Open scoring", 5, status=S.UNDER_REVIEW)
    scenario = portfolio.solve(new_scenario(cycle), users["staff"])
    assert portfolio.pid(open_one) in {f["id"] for f in scenario.result["funded"]}
    staff = client_for("staff").get(scenario.get_absolute_url()).content.decode()
    board1 = client_for("board").get(scenario.get_absolute_url()).content.decode()
    assert "Hidden until scoring closes" not in staff
    assert "Hidden until scoring closes" in board1  # board1 has not scored it


# --- compare -----------------------------------------------------------------------------


def test_compare_puts_scenarios_side_by_side(client_for, cycle, users, proposals):
    portfolio.solve(new_scenario(cycle, "Full budget"), users["staff"])
    portfolio.solve(new_scenario(cycle, "Lean year", budget_level="0.3"), users["staff"])
    new_scenario(cycle, "Not yet")
    url = reverse("governance:cycle_compare", args=[cycle.pk])
    for role in ROLES:
        assert client_for(role).get(url).status_code == 200
    response = client_for("viewer").get(url)
    page = text(response)
    for name in ("Full budget", "Lean year", "Not yet"):
        assert name in page
    assert "Budget office: value" in page
    assert "Difference from the budget office" in page
    assert "How the budget office's plan is built" in page
    assert "Permits online" in page and "Records system" in page
    assert "Spending by fiscal year: used of available" in page
    assert "Staff hours by skill pool and fiscal year" in page
    assert "Applications" in page  # pools by name
    assert "of $300,000" in page  # 0.3 of the 1,000,000 capital budget
    html = response.content.decode()
    assert 'scope="colgroup"' in html and "<caption>" in html


def test_compare_shows_the_chosen_scenarios(client_for, cycle, users, proposals):
    a = portfolio.solve(new_scenario(cycle, "Alpha"), users["staff"])
    new_scenario(cycle, "Beta")
    url = reverse("governance:cycle_compare", args=[cycle.pk])
    page = text(client_for("staff").get(url, {"scenario": [a.pk]}))
    header = page.split("Each scenario’s status")[1][:200]
    assert "Alpha" in header and "Beta" not in header


def test_compare_shows_infeasible_conflicts(client_for, cycle, users, make_proposal, proposals):
    make_proposal(
        "State mandate", S.UNDER_REVIEW, mandated=True, mandate="Law", capital_costs=[2_000_000, 0]
    )
    portfolio.solve(new_scenario(cycle, "Impossible"), users["staff"])
    page = text(client_for("viewer").get(reverse("governance:cycle_compare", args=[cycle.pk])))
    assert "Infeasible" in page and "State mandate" in page


# --- frontier ------------------------------------------------------------------------------


def test_frontier_is_computed_and_drawn(client_for, cycle, proposals, monkeypatch):
    monkeypatch.setattr(portfolio, "FRONTIER_LEVELS", (0.5, 1.0, 1.5))
    scenario = new_scenario(cycle)
    url = reverse("governance:scenario_frontier", args=[scenario.pk])
    page = text(client_for("viewer").get(url))
    assert "has not been computed yet" in page
    assert client_for("viewer").post(url).status_code == 403
    response = client_for("staff").post(url)
    assert response.status_code == 302
    response = client_for("viewer").get(url)
    html = response.content.decode()
    assert '<svg role="img"' in html and 'aria-labelledby="frontier-title frontier-desc"' in html
    assert "<caption>Value at each budget level</caption>" in html
    page = text(response)
    assert "50%" in page and "150%" in page and "100% (this scenario)" in page
    assert "Optimal" in page
    scenario.refresh_from_db()
    assert len(scenario.result["frontier"]["points"]) == 3
    assert "status" not in scenario.result
    detail = text(client_for("viewer").get(scenario.get_absolute_url()))
    assert "See the value this scenario buys" in detail


def test_frontier_chart_geometry():
    from townhall.governance.pages.scenario import frontier_chart

    points = [
        {"level": 0.5, "value": 50.0, "status": "optimal", "gap": 0.0},
        {"level": 1.0, "value": 100.0, "status": "time_limit", "gap": 0.1},
        {"level": 1.5, "value": None, "status": "infeasible", "gap": None},
    ]
    chart = frontier_chart(points, 1.0)
    assert [p.proven for p in chart["points"]] == [True, False]
    first, second = chart["points"]
    assert first.x == chart["left"] and second.y == chart["top"]
    assert chart["current_x"] == second.x
    assert chart["x_ticks"][-1][1] == "150%"


# --- queries -----------------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_the_number_of_proposals(
    client_for, cycle, users, make_proposal, board
):
    def grow(n, start):
        for i in range(start, start + n):
            scored_proposal(make_proposal, board, f"Request {i}", 2 + i % 4, effort={})

    grow(3, 0)
    one = portfolio.solve(new_scenario(cycle, "One"), users["staff"])
    portfolio.solve(new_scenario(cycle, "Two", budget_level="0.5"), users["staff"])
    client = client_for("board")
    detail, compare = one.get_absolute_url(), reverse("governance:cycle_compare", args=[cycle.pk])
    before = (_queries(client, detail), _queries(client, compare))
    grow(9, 3)
    for scenario in Scenario.objects.filter(cycle=cycle):
        portfolio.solve(scenario, users["staff"])
    one.refresh_from_db()
    assert len(one.result["funded"]) > 3
    after = (_queries(client, detail), _queries(client, compare))
    assert after == before


# --- background work in progress -----------------------------------------------------------


def test_a_running_solve_shows_and_polls(client_for, solved, users):
    from townhall.jobs.models import Job

    job = Job.objects.create(
        kind=portfolio.SOLVE_JOB,
        title="Solve",
        created_by=users["staff"],
        status=Job.Status.RUNNING,
        params={"scenario": solved.pk},
    )
    Job.objects.create(kind=portfolio.SOLVE_JOB, title="Other", params={"scenario": solved.pk + 1})
    assert portfolio.running(solved, portfolio.SOLVE_JOB) == job
    url = reverse("governance:scenario_solve", args=[solved.pk])
    page = client_for("staff").get(solved.get_absolute_url()).content.decode()
    assert 'id="scenario-solving"' in page and f'hx-get="{url}"' in page
    assert job.get_absolute_url() in page  # the person who started it may follow the job
    viewer = client_for("viewer").get(solved.get_absolute_url()).content.decode()
    assert 'id="scenario-solving"' in viewer and job.get_absolute_url() not in viewer
    poll = client_for("viewer").get(url, headers={"HX-Request": "true"})
    assert poll.status_code == 200 and 'id="scenario-solving"' in poll.content.decode()
    response = client_for("staff").post(url)  # not twice at once
    assert response.status_code == 302
    assert Job.objects.filter(kind=portfolio.SOLVE_JOB).count() == 2
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE)
    poll = client_for("viewer").get(url, headers={"HX-Request": "true"})
    assert poll.status_code == 204 and poll["HX-Refresh"] == "true"


def test_a_running_frontier_polls(client_for, solved, users):
    from townhall.jobs.models import Job

    Job.objects.create(
        kind=portfolio.FRONTIER_JOB,
        title="Frontier",
        created_by=users["staff"],
        status=Job.Status.QUEUED,
        params={"scenario": solved.pk},
    )
    url = reverse("governance:scenario_frontier", args=[solved.pk])
    assert 'id="frontier-computing"' in client_for("viewer").get(url).content.decode()
    poll = client_for("viewer").get(url, headers={"HX-Request": "true"})
    assert poll.status_code == 200 and 'id="frontier-computing"' in poll.content.decode()
    Job.objects.filter(kind=portfolio.FRONTIER_JOB).update(status=Job.Status.FAILED)
    poll = client_for("viewer").get(url, headers={"HX-Request": "true"})
    assert poll.status_code == 204
