"""Shadow IT's background jobs on the one job runner (townhall/jobs/runner.py)."""

from django.urls import reverse
from django.utils import timezone

from townhall.core import context
from townhall.jobs import runner
from townhall.shadowit import brief, merchants, sign_ins


@runner.job(merchants.JOB_KIND)
def merchants_job(ctx: runner.JobContext) -> str:
    """Key the new purchases, bring the merchants up to date and find the subscriptions."""
    ctx.start(3, "Reading the merchants of the new purchases.")
    # Asked for after an import, it is the system's job (no person asked for it).
    user = ctx.user if ctx.user is not None else context.SYSTEM
    report = merchants.work_out(user, timezone.localdate(), ctx.progress)
    sign_ins.work_out(user)  # who signs in to each merchant's service
    ctx.progress(3)
    ctx.link(reverse("shadowit:merchant_list"), "See the merchants")
    return report.text()


@runner.job(brief.JOB_KIND)
def brief_job(ctx: runner.JobContext) -> str:
    """The shadow IT brief as PDF, holding what the person who asked may see."""
    ctx.start(2, "Working out the findings from the purchases.")
    ctx.progress(1, "Laying out the brief.")
    body, name = brief.brief_file(ctx.user, ctx.params.get("site", ""))
    ctx.save_file(name, body)
    ctx.link(reverse("shadowit:home"), "Back to shadow IT")
    return f"{name} is ready."
