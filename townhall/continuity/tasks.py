"""Continuity's background jobs on the one job runner (townhall/jobs/runner.py): a large
plan or contact list drawn as PDF or Word, and a campaign's large actions."""

from townhall.continuity import campaigns, plan_views
from townhall.continuity.models import Campaign, RecoveryPlan
from townhall.jobs import runner


@runner.job(plan_views.EXPORT_JOB)
def export(ctx: runner.JobContext) -> str:
    """Draw a plan or the contact lists, as the person who asked."""
    params, user = ctx.params, ctx.user
    ctx.start(2)
    if params["what"] == "contacts":
        ctx.progress(1, "Laying out the pages.")
        body, _, name = plan_views.contacts_file(user, params["site"])
    else:
        plan = RecoveryPlan.objects.restrict(user, "view").filter(pk=params["plan"]).first()
        if plan is None:
            raise runner.JobFailed("the plan no longer exists or is no longer yours to see.")
        ctx.progress(1, "Laying out the pages.")
        body, _, name = plan_views.plan_file(user, plan, params["format"], params["site"])
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
