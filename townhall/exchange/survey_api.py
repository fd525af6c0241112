"""The hub's survey API for members, `survey/` under /hub/api/ (docs/exchange.md): a signed
GET gives the open survey and this member's answer, a signed POST keeps the answer. Answers
only on a hub (`EXCHANGE_HUB`); refuses in JSON with the reason, never a 500."""

import json
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from townhall.core import context, services
from townhall.exchange import hub_auth, protocol, survey
from townhall.exchange.models import HubMember, Survey, SurveyResponse

MAX_BODY = 64 * 1024  # bytes of an answer read at most


def _refuse(status: int, detail: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"detail": detail, **extra}, status=status)


def open_survey() -> Survey | None:
    """The one survey open to members now: the latest year's, if open."""
    return Survey.objects.filter(status=Survey.Status.OPEN).order_by("-year").first()


def _describe(found: Survey, answer: SurveyResponse | None) -> dict[str, Any]:
    return {
        "year": found.year,
        "title": found.title,
        "closes": found.closes.isoformat(),
        "ranks": found.ranks,
        "priorities": [{"key": k, "label": label} for k, label in survey.LABELS.items()],
        "limits": {"challenges": survey.MAX_CHALLENGES, "other": survey.MAX_OTHER},
        "answer": (
            {"ranked": answer.ranked, "challenges": answer.challenges, "other": answer.other}
            if answer
            else None
        ),
    }


def keep_answer(member: HubMember, found: Survey, answer: survey.Answer) -> SurveyResponse:
    """Keep `member`'s answer to `found`, replacing an earlier one, through the write path."""
    data = {"ranked": list(answer.ranked), "challenges": answer.challenges, "other": answer.other}
    with context.acting("api"):
        earlier = SurveyResponse.objects.filter(survey=found, member=member).first()
        if earlier is not None:
            return services.update(context.SYSTEM, earlier, data, version=None)
        return services.create(
            context.SYSTEM, SurveyResponse, {"survey": found, "member": member, **data}
        )


@csrf_exempt
@login_not_required
def survey_view(request: HttpRequest) -> JsonResponse:
    if not settings.EXCHANGE_HUB:
        return _refuse(404, "this Townhall is not an exchange hub")
    if request.method not in ("GET", "POST"):
        return _refuse(405, "use GET or POST")
    if len(request.body) > MAX_BODY:
        return _refuse(413, f"send at most {MAX_BODY} bytes")
    try:
        member = hub_auth.signed_member(request)
    except protocol.BadSignature as refusal:
        return _refuse(401, str(refusal))
    found = open_survey()
    if found is None:
        return _refuse(404, "no survey is open")
    if request.method == "GET":
        earlier = SurveyResponse.objects.filter(survey=found, member=member).first()
        return JsonResponse(_describe(found, earlier))
    try:
        doc = json.loads(request.body or b"null")
        answer = survey.check_answer(doc, found.ranks)
    except (ValueError, RecursionError) as problem:
        reasons = getattr(problem, "reasons", {"answer": "send the answer as JSON"})
        return _refuse(400, "the answer is not valid", reasons=reasons)
    try:
        keep_answer(member, found, answer)
    except (ValidationError, IntegrityError) as problem:
        return _refuse(409, f"the answer was not kept: {problem}")
    return JsonResponse({"status": "kept", "year": found.year})
