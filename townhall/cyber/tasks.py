"""Cyber's background jobs on the one job runner (townhall/jobs/runner.py): an uploaded
OSCAL catalog stored as a framework version; an uploaded vulnerability catalog, endoflife.date
data or CVE records stored, then the estate matched again so the exposures follow them; and
the estate matched again on its own ("Match again")."""

from django.urls import reverse

from townhall.core import context
from townhall.cyber import exposure, frameworks, oscal
from townhall.cyber.kev import FeedError
from townhall.cyber.pages import exposure as exposure_pages
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


@runner.job(exposure_pages.CVE_JOB)
def import_cve_records(ctx: runner.JobContext) -> str:
    """Store the uploaded CVE records, all or nothing, then match the estate again."""
    name = ctx.input_name
    try:
        report = exposure.import_cve(ctx.user, ctx.read_input(), file_name=name)
    except FeedError as exc:
        raise runner.JobFailed(f"Nothing was imported. {exc}") from exc
    refresh = exposure.refresh_exposures(ctx.user)
    ctx.link(reverse("cyber:exposure"), "See the exposures")
    return "\n".join([*report.lines(), *refresh.lines()])


@runner.job(exposure_pages.FEED_JOB)
def import_feed(ctx: runner.JobContext) -> str:
    """Store the uploaded catalog or endoflife.date data, all or nothing (entries that
    cannot be used are listed), then match the estate again."""
    name = ctx.input_name[:300]
    ctx.start(2, "Reading the file.")
    try:
        if ctx.params.get("kind") == "kev":
            report = exposure.import_kev(ctx.user, ctx.read_input(), file_name=name)
        else:
            product = ctx.params.get("product") or None
            report = exposure.import_eol(ctx.user, ctx.read_input(), product, file_name=name)
    except FeedError as exc:
        raise runner.JobFailed(f"Nothing was imported. {exc}") from exc
    ctx.progress(1, "Matching the estate again.")
    refresh = exposure.refresh_exposures(ctx.user)
    ctx.progress(2)
    ctx.link(reverse("cyber:exposure"), "See the exposures")
    return "\n".join([*exposure_pages.feed_report(report), *refresh.lines()])


@runner.job(exposure_pages.MATCH_JOB)
def match_exposures(ctx: runner.JobContext) -> str:
    """Match the whole estate against the feeds again, as the person who asked."""
    ctx.start(1, "Matching the estate again.")
    refresh = exposure.refresh_exposures(ctx.user)
    ctx.progress(1)
    ctx.link(reverse("cyber:exposure"), "See the exposures")
    return "\n".join(refresh.lines())


@runner.job(exposure.RECLASSIFY_JOB)
def reclassify_versions(ctx: runner.JobContext) -> str:
    """Classify again the exposures of items whose installed version changed, in batches."""
    ctx.start(1, "Classifying the installed versions that changed.")
    changed = 0
    while True:
        before = exposure.stale_versions().count()
        changed += exposure.reclassify(ctx.user or context.SYSTEM)
        if not before or exposure.stale_versions().count() >= before:
            break
    ctx.progress(1)
    return f"{changed:,} verdicts on the installed version changed."
