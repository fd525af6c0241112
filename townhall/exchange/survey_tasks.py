"""The member's calls to the hub about the survey, on the job runner (no call to the hub is
made in a request): fetch the open survey, send the answer."""

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from townhall.core import services
from townhall.exchange import client, protocol, survey
from townhall.exchange.models import JurisdictionProfile, MemberSurvey
from townhall.jobs import runner

FETCH = "exchange.survey_fetch"
SEND = "exchange.survey_send"


def _profile() -> JurisdictionProfile:
    profile = JurisdictionProfile.objects.first()
    if profile is None:
        raise runner.JobFailed("this Townhall has no jurisdiction profile: join a hub first.")
    return profile


def _call(method: str, doc: Any = None) -> Any:
    try:
        return client.call(_profile(), method, protocol.SURVEY, doc)
    except client.HubError as problem:
        raise runner.JobFailed(str(problem)) from problem


def keep_survey(user: Any, doc: Any) -> MemberSurvey:
    """Keep the hub's description of the open survey (checked for shape)."""
    if not isinstance(doc, dict) or not isinstance(doc.get("year"), int):
        raise runner.JobFailed("the hub described the survey in a way this Townhall cannot read.")
    closes = doc.get("closes", "")
    try:
        datetime.date.fromisoformat(closes if isinstance(closes, str) else "")
    except ValueError as problem:
        raise runner.JobFailed("the hub gave no closing day for the survey.") from problem
    ranks = doc.get("ranks")
    if not isinstance(ranks, int) or not 1 <= ranks <= survey.MAX_RANKS:
        raise runner.JobFailed("the hub did not say how many priorities to rank.")
    data = {"questions": doc, "fetched_at": timezone.now()}
    earlier = MemberSurvey.objects.filter(year=doc["year"]).first()
    if earlier is not None:
        return services.update(user, earlier, data, version=None)
    return services.create(user, MemberSurvey, {"year": doc["year"], **data})


@runner.job(FETCH)
def fetch(ctx: runner.JobContext) -> str:
    kept = keep_survey(ctx.user, _call("GET"))
    ctx.link(reverse("exchange:survey"), "Answer the survey")
    return f"The {kept.year} survey was fetched from the hub."


@runner.job(SEND)
def send(ctx: runner.JobContext) -> str:
    kept = MemberSurvey.objects.filter(pk=ctx.params.get("survey", 0)).first()
    if kept is None or not kept.answer:
        raise runner.JobFailed("there is no answer to send.")
    try:
        answer = survey.check_answer(kept.answer, int(kept.questions.get("ranks", 0)))
    except survey.InvalidAnswer as problem:
        raise runner.JobFailed(f"the answer is not valid: {problem}.") from problem
    doc = {"ranked": list(answer.ranked), "challenges": answer.challenges, "other": answer.other}
    reply = _call("POST", doc)
    status = reply.get("status", "") if isinstance(reply, dict) else ""
    data = {"sent_at": timezone.now(), "hub_answer": str(status)[:200]}
    services.update(ctx.user, kept, data, version=None)
    ctx.link(reverse("exchange:survey"), "See what was sent")
    return f"The answer to the {kept.year} survey was sent; the hub {status or 'took it'}."
