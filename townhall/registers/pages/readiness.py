"""Filling in a readiness assessment: the technology's questionnaire as radio buttons
(0 to 3, each answer in words, with the guidance beside the question), saved through the
write path, and the result beside it."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from townhall.core import permissions, services
from townhall.core.http import whole_number
from townhall.core.services import ConflictError
from townhall.registers import readiness
from townhall.registers.models import ReadinessAssessment


def result_context(request: HttpRequest, obj: ReadinessAssessment) -> dict[str, Any]:
    """The assessment's result, for its record page."""
    return {"result": obj.result, "can_answer": permissions.can(request.user, "change", obj)}


def _rows(technology: str, answers: dict[str, Any], errors: dict[str, str]) -> list[dict]:
    rows = []
    for q in readiness.questionnaire(technology):
        chosen = answers.get(q.key)
        rows.append(
            {
                "question": q,
                "error": errors.get(q.key, ""),
                "options": [
                    {
                        "id": f"answer-{q.key}-{a.score}",
                        "score": a.score,
                        "label": a.label,
                        "checked": chosen == a.score,
                    }
                    for a in q.answers
                ],
            }
        )
    return rows


@require_http_methods(["GET", "HEAD", "POST"])
def answers(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = ReadinessAssessment.objects.restrict(request.user, "view").filter(pk=pk).first()
    if assessment is None:
        raise Http404("No such readiness assessment.")
    may_answer = permissions.can(request.user, "change", assessment)
    given: dict[str, Any] = dict(assessment.answers or {})
    errors: dict[str, str] = {}
    problems: list[str] = []
    if request.method == "POST":
        if not may_answer:
            raise PermissionDenied("You may not change this readiness assessment.")
        given = {}
        for q in readiness.questionnaire(assessment.technology):
            raw = request.POST.get(f"answer-{q.key}", "").strip()
            if not raw:
                continue
            if raw.isdecimal() and int(raw) in readiness.SCORES:
                given[q.key] = int(raw)
            else:
                errors[q.key] = f"Choose an answer from 0 to {readiness.TOP}."
        if not errors:
            try:
                services.update(
                    request.user,
                    assessment,
                    {"answers": given},
                    version=_version(request.POST.get("version")),
                )
            except ConflictError:
                problems.append(
                    "Someone changed this assessment since you opened it: your answers were "
                    "not saved. Reload the page to see theirs."
                )
            except ValidationError as error:
                problems.extend(error.messages)
            else:
                return HttpResponseRedirect(request.path + "#readiness-result")
    result = readiness.score(
        assessment.technology, {k: v for k, v in given.items() if isinstance(v, int)}
    )
    return render(
        request,
        "registers/readiness_answers.html",
        {
            "object": assessment,
            "rows": _rows(assessment.technology, given, errors),
            "errors": errors,
            "problems": problems,
            "result": result,
            "may_answer": may_answer,
        },
        status=400 if errors or problems else 200,
    )


def _version(raw: str | None) -> int | None:
    return whole_number(raw)
