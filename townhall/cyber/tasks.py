"""Cyber's background jobs on the one job runner (townhall/jobs/runner.py): an uploaded
OSCAL catalog stored as a framework version."""

from django.urls import reverse

from townhall.cyber import frameworks, oscal
from townhall.cyber.pages import framework as framework_pages
from townhall.jobs import runner


@runner.job(framework_pages.CATALOG_JOB)
def import_catalog(ctx: runner.JobContext) -> str:
    """Store the uploaded catalog, all or nothing, as the person who sent it."""
    name = ctx.input_name

    def progress(done: int, total: int) -> None:
        if ctx.job.total != total:
            ctx.start(total, "Storing the requirements.")
        ctx.progress(done)

    try:
        report = frameworks.import_catalog(
            ctx.user,
            ctx.read_input(),
            key=ctx.params.get("key"),
            name=ctx.params.get("name"),
            release=ctx.params.get("release"),
            source=f"Upload of {name}"[:200],
            progress=progress,
        )
    except oscal.OscalError as exc:
        raise runner.JobFailed(f"{name}: {exc}") from exc
    framework = report.framework
    ctx.link(
        reverse("cyber:framework_requirements", args=[framework.pk]),
        f"Browse the requirements of {framework}",
    )
    return framework_pages.import_report(report)
