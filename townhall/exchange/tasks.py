"""The exchange's background jobs on the one job runner (townhall/jobs/runner.py)."""

from django.urls import reverse

from townhall.exchange import peer_report
from townhall.jobs import runner


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
