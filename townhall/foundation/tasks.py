"""Foundation's background jobs on the one job runner (townhall/jobs/runner.py): support
suggestions made from the release data, the replacement schedule, and the health of the
estate kept for the pages."""

from django.urls import reverse
from django.utils import timezone

from townhall.foundation import brief, schedule_run, stored, suggestions
from townhall.jobs import runner


@runner.job(suggestions.JOB_KIND)
def make_suggestions(ctx: runner.JobContext) -> str:
    """Match the whole estate once, as the IT staff member who asked."""
    ctx.start(1, "Matching the estate to the release data.")
    report = suggestions.make_suggestions(ctx.user)
    ctx.progress(1)
    ctx.link(reverse("foundation:suggestions"), "Review the pending suggestions")
    return report.text()


@runner.job(brief.JOB_KIND)
def brief_job(ctx: runner.JobContext) -> str:
    """The foundation brief as PDF or DOCX, holding what the person who asked may see."""
    ctx.start(2, "Weighing the health of the estate and the replacement forecast.")
    kind = ctx.params.get("format", "pdf")
    if kind not in brief.FORMATS:
        raise runner.JobFailed(f"no brief is made as {kind!r}.")
    ctx.progress(1, "Laying out the brief.")
    body, name = brief.brief_file(ctx.user, kind, ctx.params.get("site", ""))
    ctx.save_file(name, body)
    return f"{name} is ready."


@runner.job(schedule_run.JOB_KIND)
def make_schedule(ctx: runner.JobContext) -> str:
    """Build the units, solve within the time limit, keep the answer."""
    ctx.start(1, "Working out the replacement schedule.")
    plan = schedule_run.run(ctx.user, timezone.localdate())
    ctx.progress(1)
    ctx.link(reverse("foundation:schedule"), "See the schedule")
    return str(plan.result["summary"])


@runner.job(stored.JOB_KIND)
def health_job(ctx: runner.JobContext) -> str:
    """Weigh the health of the whole estate again for today and keep it."""
    ctx.start(3, "Claiming the changes to include.")
    kept = stored.recompute(ctx.progress)
    counts = kept.summary["counts"]
    return (
        f"The foundation health is up to date: {counts['items']:,} systems and components "
        f"and {counts['services']:,} services in {kept.seconds:.1f} s."
    )
