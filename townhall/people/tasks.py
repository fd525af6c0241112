"""The people module's background jobs on the one job runner (townhall/jobs/runner.py)."""

from django.urls import reverse

from townhall.jobs import runner
from townhall.people import brief, nice, services

TECHNOLOGY_JOB = "people_technology"


@runner.job(TECHNOLOGY_JOB)
def technology_job(ctx: runner.JobContext) -> str:
    """Work out the technology skills from the whole estate: a large county's components
    take longer than a page may wait."""
    ctx.start(2, "Reading the products and platforms of the estate.")
    loaded = services.derive_technology(ctx.user, ctx.progress)
    ctx.progress(2)
    ctx.link(reverse("people:skill_list") + "?kind=technology", "See the technology skills")
    return loaded.text("technology skills")


NICE_JOB = "people_nice_import"


@runner.job(NICE_JOB)
def nice_job(ctx: runner.JobContext) -> str:
    """Read NIST's NICE Framework components file sent with the request, all or nothing."""
    ctx.start(2, "Reading the NICE Framework file.")
    try:
        loaded = services.import_nice(ctx.user, ctx.read_input())
    except nice.NiceError as e:
        raise runner.JobFailed(str(e)) from None
    ctx.progress(2)
    ctx.link(reverse("people:skill_list") + "?kind=work_role", "See the work roles")
    return loaded.text("NICE work roles and competency areas")


@runner.job(brief.JOB_KIND)
def brief_job(ctx: runner.JobContext) -> str:
    """The workforce brief as PDF or DOCX, holding what the person who asked may see."""
    ctx.start(2, "Weighing key-person risk, vacancies and skills.")
    kind = ctx.params.get("format", "pdf")
    if kind not in brief.FORMATS:
        raise runner.JobFailed(f"no brief is made as {kind!r}.")
    ctx.progress(1, "Laying out the brief.")
    body, name = brief.brief_file(ctx.user, kind, ctx.params.get("site", ""))
    ctx.save_file(name, body)
    return f"{name} is ready."
