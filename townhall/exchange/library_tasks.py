"""The practice library's jobs: send a document to the hub, off the request (up to 10 MB),
and withdraw one this member shared."""

import base64

from django.urls import reverse

from townhall.exchange import client, library, protocol
from townhall.exchange.models import JurisdictionProfile
from townhall.exchange.pages.library_pages import SHARE_JOB, WITHDRAW_JOB
from townhall.jobs import runner


@runner.job(SHARE_JOB, rerun=False)
def share_job(ctx: runner.JobContext) -> str:
    """Send the checked document and its consent to the hub, signed."""
    ctx.start(1, "Sending the document to the hub.")
    profile = JurisdictionProfile.objects.first()
    if profile is None or not profile.member_id:
        raise runner.JobFailed("this Townhall has not joined a hub.")
    content = ctx.read_input()
    if len(content) > library.MAX_FILE:
        raise runner.JobFailed("the file is larger than the library takes.")
    doc = {k: v for k, v in ctx.params.items() if k not in ("request_id", "input_name")}
    doc["file"] = base64.b64encode(content).decode()
    try:
        answer = client.call(profile, "POST", protocol.LIBRARY, doc)
    except client.HubError as exc:
        raise runner.JobFailed(str(exc)) from exc
    ctx.progress(1)
    ctx.link(reverse("exchange:library"), "Back to the practice library")
    title = answer.get("title") if isinstance(answer, dict) else None
    return f"{title or 'The document'} is in the practice library."


@runner.job(WITHDRAW_JOB, rerun=False)
def withdraw_job(ctx: runner.JobContext) -> str:
    """Ask the hub to take a document this member shared out of the library, signed (the
    hub refuses a document another member shared)."""
    ctx.start(1, "Asking the hub to withdraw the document.")
    profile = JurisdictionProfile.objects.first()
    if profile is None or not profile.member_id:
        raise runner.JobFailed("this Townhall has not joined a hub.")
    pk = ctx.params.get("document")
    if not isinstance(pk, int):
        raise runner.JobFailed("no document was named.")
    try:
        client.call(profile, "POST", f"{protocol.LIBRARY}{pk}/withdraw/")
    except client.HubError as exc:
        raise runner.JobFailed(str(exc)) from exc
    ctx.progress(1)
    ctx.link(reverse("exchange:library"), "Back to the practice library")
    return "The document was withdrawn from the practice library."
