"""Shadow IT's background jobs on the one job runner (townhall/jobs/runner.py)."""

from django.urls import reverse
from django.utils import timezone

from townhall.core import context
from townhall.jobs import runner
from townhall.shadowit import merchants, sign_ins


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
