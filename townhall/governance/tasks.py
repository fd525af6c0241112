"""Governance's background jobs: solving a scenario, its efficient frontier and the board
packet, on the one job runner (townhall/jobs/runner.py)."""

from django.urls import reverse

from townhall.governance import packet, portfolio
from townhall.governance.models import BudgetCycle, Scenario
from townhall.jobs import runner


def _scenario(ctx: runner.JobContext, steps: int) -> Scenario:
    try:
        scenario = Scenario.objects.select_related("cycle").get(pk=ctx.params["scenario"])
    except Scenario.DoesNotExist:
        raise runner.JobFailed("the scenario no longer exists.") from None
    ctx.start(steps)
    ctx.link(scenario.get_absolute_url(), "Open the scenario")
    return scenario


@runner.job(portfolio.SOLVE_JOB)
def solve_job(ctx: runner.JobContext) -> str:
    result = portfolio.solve(_scenario(ctx, 1), ctx.user).result
    assert result is not None  # solve() has just saved it
    return portfolio.in_words(result.get("summary", ""), result.get("titles", {}))


@runner.job(portfolio.FRONTIER_JOB)
def frontier_job(ctx: runner.JobContext) -> str:
    scenario = _scenario(ctx, len(portfolio.FRONTIER_LEVELS))
    ctx.link(reverse("governance:scenario_frontier", args=[scenario.pk]), "Open the frontier")
    result = portfolio.compute_frontier(scenario, ctx.user).result
    assert result is not None  # compute_frontier() has just saved it
    frontier = result["frontier"]
    return frontier["error"] or f"{len(frontier['points'])} budget levels solved."


@runner.job(packet.PACKET_JOB)
def packet_job(ctx: runner.JobContext) -> str:
    """The board packet as PDF, holding what the person who asked may see."""
    ctx.start(2, "Gathering the proposals, scores and the selected scenario.")
    cycle = (
        BudgetCycle.objects.restrict(ctx.user, "view")
        .select_related("criteria_set")
        .filter(pk=ctx.params["cycle"])
        .first()
    )
    if cycle is None:
        raise runner.JobFailed("the budget cycle no longer exists.")
    ctx.progress(1, "Laying out the pages.")
    body, name = packet.packet_file(ctx.user, cycle, ctx.params.get("site", ""))
    ctx.save_file(name, body)
    return f"{name} is ready."
