"""Insurance readiness: the insurer's control questions with their answers, where each
came from and the gap; IT staff record answers the records cannot give (cyber/insurance.py)."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from townhall.core import permissions, services
from townhall.core.forms import style_fields
from townhall.cyber import insurance
from townhall.cyber.models import InsuranceAnswer
from townhall.cyber.pages.coverage import conflict_rows

NOT_ALLOWED = "Insurance readiness is for IT staff, auditors and the board."


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=InsuranceAnswer.Answer.choices, label="Our answer")
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="How we know",
        help_text="Who confirmed it, and where the proof is.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self.fields.values())


def _form(slug: str, manual: InsuranceAnswer | None, data: Any = None) -> AnswerForm:
    initial: dict[str, str | int] = {"answer": InsuranceAnswer.Answer.UNKNOWN, "notes": ""}
    if manual is not None:
        initial = {"answer": manual.answer, "notes": manual.notes, "version": manual.version}
    return AnswerForm(data, prefix=slug, initial=initial)


def _visible(request: HttpRequest) -> Any:
    qs = InsuranceAnswer.objects.restrict(request.user, "view")
    if qs.query.is_empty():
        raise PermissionDenied(NOT_ALLOWED)
    return qs


def _page(
    request: HttpRequest,
    slug: str = "",
    bound: AnswerForm | None = None,
    conflict: list[dict] | None = None,
    status: int = 200,
) -> HttpResponse:
    found, assessment = insurance.readiness(request.user)
    may_answer = permissions.can_add(request.user, InsuranceAnswer)
    rows = []
    for a in found:
        mine = a.question.slug == slug
        form = None
        if may_answer:
            form = bound if mine and bound is not None else _form(a.question.slug, a.manual)
        rows.append(
            {
                "a": a,
                "form": form,
                "open": mine,
                "conflict": conflict if mine else None,
            }
        )
    counts = {k: sum(1 for a in found if a.answer == k) for k in insurance.ANSWER_LABELS}
    context = {
        "rows": rows,
        "counts": [(insurance.ANSWER_LABELS[k], n, k) for k, n in counts.items()],
        "gaps": sum(1 for a in found if a.answer != insurance.YES),
        "from_data": sum(1 for a in found if a.basis == "data"),
        "assessment": assessment,
        "may_answer": may_answer,
        "opts": InsuranceAnswer._meta,
    }
    return render(request, "cyber/insurance.html", context, status=status)


@require_safe
def questionnaire(request: HttpRequest) -> HttpResponse:
    _visible(request)
    return _page(request)


@require_POST
def record(request: HttpRequest, slug: str) -> HttpResponse:
    """Save a person's answer to one question."""
    _visible(request)
    if slug not in insurance.BY_SLUG:
        raise Http404("No such question.")
    if not permissions.can_add(request.user, InsuranceAnswer):
        raise PermissionDenied("Only IT staff record answers for the insurer.")
    current = InsuranceAnswer.objects.filter(question=slug).first()
    form = _form(slug, current, request.POST)
    if not form.is_valid():
        return _page(request, slug, form, status=400)
    version = form.cleaned_data["version"]
    if current is not None and version is None:
        version = 0  # someone answered since the page was opened: a conflict, not an overwrite
    values = {"answer": form.cleaned_data["answer"], "notes": form.cleaned_data["notes"]}
    try:
        saved = insurance.record_answer(request.user, slug, values, version)
    except services.ConflictError as exc:
        fresh = InsuranceAnswer.objects.get(pk=exc.current.pk)
        data = request.POST.copy()
        data[f"{slug}-version"] = str(fresh.version)
        again = _form(slug, fresh, data)
        again.is_valid()
        labels = {n: str(f.label) for n, f in again.fields.items()}
        conflict = conflict_rows(exc, InsuranceAnswer, labels)
        return _page(request, slug, again, conflict, status=409)
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return _page(request, slug, form, status=400)
    topic = insurance.BY_SLUG[slug].topic
    messages.success(request, f"Saved the answer to “{topic}”: {saved.get_answer_display()}.")
    return redirect(reverse("cyber:insurance") + f"#question-{slug}")
