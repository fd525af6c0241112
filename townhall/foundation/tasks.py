"""Foundation's background jobs on the one job runner (townhall/jobs/runner.py): support
suggestions made from the release data, and the replacement schedule."""

from django.urls import reverse
from django.utils import timezone

from townhall.foundation import schedule_run, suggestions
from townhall.jobs import runner


@runner.job(suggestions.JOB_KIND)
def make_suggestions(ctx: runner.JobContext) -> str:
    """Match the whole estate once, as the IT staff member who asked."""
    ctx.start(1, "Matching the estate to the release data.")
    report = suggestions.make_suggestions(ctx.user)
    ctx.progress(1)
    ctx.link(reverse("foundation:suggestions"), "Review the pending suggestions")
    return report.text()


@runner.job(schedule_run.JOB_KIND)
def make_schedule(ctx: runner.JobContext) -> str:
    """Build the units, solve within the time limit, keep the answer."""
    ctx.start(1, "Working out the replacement schedule.")
    plan = schedule_run.run(ctx.user, timezone.localdate())
    ctx.progress(1)
    ctx.link(reverse("foundation:schedule"), "See the schedule")
    return str(plan.result["summary"])
