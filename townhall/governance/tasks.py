"""Governance's background jobs: solving a scenario and its efficient frontier, on the one
job runner (townhall/jobs/runner.py)."""

from django.urls import reverse

from townhall.governance import portfolio
from townhall.governance.models import Scenario
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
    solved = portfolio.solve(_scenario(ctx, 1), ctx.user)
    return portfolio.in_words(solved.result.get("summary", ""), solved.result.get("titles", {}))


@runner.job(portfolio.FRONTIER_JOB)
def frontier_job(ctx: runner.JobContext) -> str:
    scenario = _scenario(ctx, len(portfolio.FRONTIER_LEVELS))
    ctx.link(reverse("governance:scenario_frontier", args=[scenario.pk]), "Open the frontier")
    frontier = portfolio.compute_frontier(scenario, ctx.user).result["frontier"]
    return frontier["error"] or f"{len(frontier['points'])} budget levels solved."
