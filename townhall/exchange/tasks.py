"""The exchange's background jobs on the one job runner (townhall/jobs/runner.py)."""

from townhall.core import context
from townhall.exchange import hub
from townhall.jobs import runner


@runner.job(hub.JOB_KIND)
def recompute_job(ctx: runner.JobContext) -> str:
    """Work out every cohort statistic again, after submissions (one job for many)."""
    ctx.start(1, "Working out the cohort statistics.")
    user = ctx.user if ctx.user is not None else context.SYSTEM
    with context.acting("task"):
        rows = hub.recompute(user)
    ctx.progress(1)
    return f"{rows} cohort statistics worked out."
