"""Continuity's background jobs on the one job runner (townhall/jobs/runner.py): a large
plan or contact list drawn as PDF or Word, a campaign's large actions, and the analysis of
the estate kept for the pages."""

import datetime

from townhall.continuity import campaigns, plans, stored
from townhall.continuity.models import Campaign, RecoveryPlan
from townhall.continuity.pages import plan as plan_pages
from townhall.core import services
from townhall.jobs import runner


@runner.job(plan_pages.EXPORT_JOB)
def export(ctx: runner.JobContext) -> str:
    """Draw a plan or the contact lists, as the person who asked."""
    params, user = ctx.params, ctx.user
    ctx.start(2)
    if params["what"] == "contacts":
        ctx.progress(1, "Laying out the pages.")
        body, _, name = plan_pages.contacts_file(user, params["site"])
    else:
        plan = RecoveryPlan.objects.restrict(user, "view").filter(pk=params["plan"]).first()
        if plan is None:
            raise runner.JobFailed("the plan no longer exists or is no longer yours to see.")
        ctx.progress(1, "Laying out the pages.")
        body, _, name = plan_pages.plan_file(user, plan, params["format"], params["site"])
    ctx.save_file(name, body)
    return f"{name} is ready."


# Opening a campaign or sending reminders sends e-mails: never twice because a worker
# stopped; the job fails and the person asks again after checking what was sent.
@runner.job(campaigns.JOB_KIND, rerun=False)
def campaign_action(ctx: runner.JobContext) -> str:
    """A campaign's large action, as the person who asked for it."""
    campaign = Campaign.objects.filter(pk=ctx.params["campaign"]).first()
    if campaign is None:
        raise runner.JobFailed("the campaign no longer exists.")
    action = ctx.params["action"]
    size = campaigns.work_size(campaign, ctx.user, action)
    # Everything is saved in one transaction, so other pages see it all at once.
    ctx.start(size, f"Writing {size:,} requests; they are saved together at the end.")
    return campaigns.run_action(ctx.user, campaign, action, ctx.params.get("base_url", ""))


@runner.job(stored.JOB_KIND)
def analysis(ctx: runner.JobContext) -> str:
    """Work the continuity analysis of the whole estate out again and keep it."""
    ctx.start(3, "Claiming the changes to include.")
    kept = stored.recompute(ctx.progress)
    counts = kept.summary["counts"]
    return (
        f"The continuity analysis is up to date: {counts['services']:,} services, "
        f"{counts['items']:,} items and {counts['dependencies']:,} dependencies "
        f"in {kept.seconds:.1f} s."
    )


@runner.job(plans.APPROVE_JOB)
def approve_plan(ctx: runner.JobContext) -> str:
    """Approve a plan version, freezing its generated part, as the person who asked."""
    params = ctx.params
    plan = RecoveryPlan.objects.restrict(ctx.user, "view").filter(pk=params["plan"]).first()
    if plan is None:
        raise runner.JobFailed("the plan version no longer exists.")
    ctx.start(2, "Checking the version.")
    ctx.progress(1, "Freezing the recovery sequence, runbooks and contacts as they stand.")
    try:
        plan = plans.approve(
            ctx.user,
            plan,
            approver_name=params["approver_name"],
            approver_title=params["approver_title"],
            approved_on=datetime.date.fromisoformat(params["approved_on"]),
            version=params["version"],
        )
    except services.ConflictError as exc:
        raise runner.JobFailed(str(exc)) from None
    ctx.link(plan.get_absolute_url(), f"Open version {plan.number}")
    return (
        f"Approved version {plan.number}. Its recovery sequence, runbooks and contacts are "
        "kept as they stand today."
    )
