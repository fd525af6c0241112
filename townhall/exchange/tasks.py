"""The exchange's background jobs on the one job runner (townhall/jobs/runner.py)."""

from django.urls import reverse
from django.utils import timezone

from townhall.core import context
from townhall.exchange import hub, peer_report
from townhall.jobs import runner
from townhall.jobs.models import Job

READINGS = "exchange_scorecard_readings"


@runner.job(peer_report.JOB_KIND)
def peer_report_job(ctx: runner.JobContext) -> str:
    """The peer report as PDF. Its figures are aggregates every reader of the page sees."""
    ctx.start(2, "Comparing our metrics with the cohorts.")
    year = ctx.params.get("year")
    ctx.progress(1, "Laying out the report.")
    body, name = peer_report.report_file(
        year if isinstance(year, int) else None, ctx.params.get("site", "")
    )
    ctx.save_file(name, body)
    ctx.link(reverse("exchange:peers") + (f"?year={year}" if year else ""), "Back to peers")
    return f"{name} is ready."


@runner.job(READINGS)
def readings_job(ctx: runner.JobContext) -> str:
    """Keep today's reading of every priority, as the whole city stands, for the trend.
    Continuity's and the foundation's figures are read from what they keep (never worked
    out here: a reader would wait on a whole analysis); none kept yet reads as no data."""
    from townhall.exchange import scorecard, scorecard_input
    from townhall.exchange.models import ScorecardReading

    today = timezone.localdate()
    ctx.start(1, "Reading the priorities.")
    kept = set(ScorecardReading.objects.filter(day=today).values_list("priority", flat=True))
    fresh = []
    for key, (value, _) in scorecard_input.measure(context.SYSTEM, today).items():
        if key not in kept:
            status = scorecard.status_of(key, value)
            fresh.append(ScorecardReading(day=today, priority=key, status=status, value=value))
    # Bookkeeping kept by this job alone, never edited by a person: no audit entry.
    ScorecardReading.objects.bulk_create(fresh, ignore_conflicts=True)
    ctx.progress(1)
    ctx.link(reverse("exchange:scorecard"), "See the scorecard")
    return f"{len(fresh)} priorities read for {today:%d %B %Y}."


def ask_for_readings() -> Job:
    """Ask for today's readings; one job however many ask (submitted as the system)."""
    return runner.submit(context.SYSTEM, READINGS, "Priorities scorecard readings", {})


@runner.job(hub.JOB_KIND)
def recompute_job(ctx: runner.JobContext) -> str:
    """Work out every cohort statistic again, after submissions (one job for many)."""
    ctx.start(1, "Working out the cohort statistics.")
    user = ctx.user if ctx.user is not None else context.SYSTEM
    with context.acting("task"):
        rows = hub.recompute(user)
    ctx.progress(1)
    return f"{rows} cohort statistics worked out."
