"""Foundation's background jobs on the one job runner (townhall/jobs/runner.py): support
suggestions made from the release data."""

from django.urls import reverse

from townhall.foundation import suggestions
from townhall.jobs import runner


@runner.job(suggestions.JOB_KIND)
def make_suggestions(ctx: runner.JobContext) -> str:
    """Match the whole estate once, as the IT staff member who asked."""
    ctx.start(1, "Matching the estate to the release data.")
    report = suggestions.make_suggestions(ctx.user)
    ctx.progress(1)
    ctx.link(reverse("foundation:suggestions"), "Review the pending suggestions")
    return report.text()
