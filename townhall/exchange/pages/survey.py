"""The annual priorities survey's pages (docs/exchange.md). The member's page, where
administrators and IT managers fetch the hub's open survey and answer it (the calls to the
hub run as jobs); the hub administrators' pages, where they make, open, close and publish a
survey and choose the quotes; and the published report, open to everyone."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from townhall.core import exports, permissions, services
from townhall.core.http import whole_number
from townhall.exchange import survey, survey_report, survey_tasks
from townhall.exchange.models import MemberSurvey, Survey, SurveyQuote, SurveyResponse
from townhall.exchange.survey_models import may_answer
from townhall.jobs import runner

# --- the member's page -----------------------------------------------------------------


def _answer_form(kept: MemberSurvey, data: Any = None) -> forms.Form:
    """One select per rank (no dragging), the challenges and the other priority."""
    questions = kept.questions
    asked = questions.get("ranks") if isinstance(questions, dict) else None
    ranks = min(max(asked, 1), survey.MAX_RANKS) if isinstance(asked, int) else 5
    choices = [("", "—")] + [(k, label) for k, label in survey.LABELS.items()]
    fields: dict[str, forms.Field] = {}
    for n in range(1, ranks + 1):
        fields[f"rank_{n}"] = forms.ChoiceField(
            label=f"Priority ranked {n}", choices=choices, required=n == 1
        )
    fields["challenges"] = forms.CharField(
        label="Your greatest challenges this year",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=survey.MAX_CHALLENGES,
        required=False,
        help_text="The hub may publish a sentence of it, edited so no one can tell who wrote it.",
    )
    fields["other"] = forms.CharField(
        label="A priority not in the list", max_length=survey.MAX_OTHER, required=False
    )
    form_class = type("SurveyAnswerForm", (forms.Form,), fields)
    initial = {}
    if kept.answer:
        for n, key in enumerate(kept.answer.get("ranked", []), start=1):
            initial[f"rank_{n}"] = key
        initial["challenges"] = kept.answer.get("challenges", "")
        initial["other"] = kept.answer.get("other", "")
    form: forms.Form = form_class(data, initial=initial)
    form.ranks = ranks  # type: ignore[attr-defined]
    return form


def _answer_from(form: forms.Form) -> survey.Answer:
    ranks: int = form.ranks  # type: ignore[attr-defined]
    picked = [form.cleaned_data[f"rank_{n}"] for n in range(1, ranks + 1)]
    ranked = [k for k in picked if k]
    doc = {
        "ranked": ranked,
        "challenges": form.cleaned_data["challenges"],
        "other": form.cleaned_data["other"],
    }
    return survey.check_answer(doc, ranks)


@require_http_methods(["GET", "POST"])
def member_survey(request: HttpRequest) -> HttpResponse:
    if not may_answer(request.user):
        raise PermissionDenied("Only administrators and IT managers answer the hub's survey.")
    kept = MemberSurvey.objects.restrict(request.user, "view").order_by("-year").first()
    form = _answer_form(kept) if kept else None
    if request.method == "POST":
        if request.POST.get("action") == "fetch" or kept is None:
            job = runner.submit(request.user, survey_tasks.FETCH, "Fetch the hub's survey", {})
            return redirect(job.get_absolute_url())
        form = _answer_form(kept, request.POST)
        if form.is_valid():
            try:
                answer = _answer_from(form)
            except survey.InvalidAnswer as problem:
                for field, reason in problem.reasons.items():
                    target = "rank_1" if field == "ranked" else field
                    form.add_error(target if target in form.fields else None, reason.capitalize())
            else:
                data = {
                    "answer": {
                        "ranked": list(answer.ranked),
                        "challenges": answer.challenges,
                        "other": answer.other,
                    },
                    "sent_at": None,
                    "hub_answer": "",
                }
                services.update(request.user, kept, data, version=None)
                job = runner.submit(
                    request.user, survey_tasks.SEND, "Send the survey answer", {"survey": kept.pk}
                )
                return redirect(job.get_absolute_url())
    sent = []
    if kept and kept.answer:
        sent = [survey.LABELS.get(k, k) for k in kept.answer.get("ranked", [])]
    return render(
        request, "exchange/survey_member.html", {"kept": kept, "form": form, "sent": sent}
    )


# --- the hub's administrators ----------------------------------------------------------


def _hub_admin(request: HttpRequest) -> None:
    if not settings.EXCHANGE_HUB:
        raise Http404("This Townhall is not an exchange hub.")
    if not permissions.is_admin(request.user):
        raise PermissionDenied("Only the hub's administrators keep its surveys.")


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["year", "title", "opens", "closes", "ranks"]
        widgets = {
            "opens": forms.DateInput(attrs={"type": "date"}),
            "closes": forms.DateInput(attrs={"type": "date"}),
        }


MOVES = {
    "open": "Open to members",
    "closed": "Close",
    "published": "Publish the report",
}


@require_http_methods(["GET", "POST"])
def hub_surveys(request: HttpRequest) -> HttpResponse:
    _hub_admin(request)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.create(request.user, Survey, form.cleaned_data)
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, f"{made} is drafted.")
            return redirect("hub:survey_admin", year=made.year)
    surveys = Survey.objects.restrict(request.user, "view").annotate(answers=Count("responses"))
    return render(request, "exchange/hub_surveys.html", {"surveys": surveys, "form": form})


@require_http_methods(["GET", "POST"])
def hub_survey(request: HttpRequest, year: int) -> HttpResponse:
    """One survey: how many answered, the challenges and other priorities written (without
    who wrote them), the quotes chosen, and its moves."""
    _hub_admin(request)
    if not 2000 <= year <= 2100:
        raise Http404("There is no survey for that year.")
    found = get_object_or_404(Survey.objects.restrict(request.user, "view"), year=year)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in MOVES:
                services.transition(request.user, found, action)
                messages.success(request, f"{found}: {Survey.Status(action).label.lower()}.")
            elif action == "quote":
                text = request.POST.get("text", "").strip()[:600]
                if not text:
                    raise ValidationError({"text": "Write the quote to publish."})
                services.create(request.user, SurveyQuote, {"survey": found, "text": text})
                messages.success(request, "The quote is added to the report.")
            elif action == "unquote":
                pk = whole_number(request.POST.get("quote", ""), 12)
                quote = get_object_or_404(found.quotes.all(), pk=pk)
                services.delete(request.user, quote)
                messages.success(request, "The quote is taken out of the report.")
        except ValidationError as problem:
            for reason in problem.messages:
                messages.error(request, reason)
        return redirect("hub:survey_admin", year=found.year)
    written = list(SurveyResponse.objects.filter(survey=found).values_list("challenges", "other"))
    challenges = [c for c, _ in written if c]
    # Priorities members named beyond the list: for the administrators to weigh, never in
    # the published report (a free text may tell who wrote it).
    others = [o for _, o in written if o]
    moves = [
        (to, label)
        for to, label in MOVES.items()
        if (found.status, to) in Survey.transitions["status"]
    ]
    context = {
        "survey": found,
        "answers": found.responses.count(),
        "minimum": settings.EXCHANGE_MIN_COHORT,
        "challenges": challenges,
        "others": others,
        "quotes": found.quotes.all(),
        "moves": moves,
    }
    return render(request, "exchange/hub_survey.html", context)


# --- the published report --------------------------------------------------------------


def _published(year: int) -> Survey:
    if not settings.EXCHANGE_HUB:
        raise Http404("This Townhall is not an exchange hub.")
    if not 2000 <= year <= 2100:
        raise Http404("No report is published for that year.")
    found = Survey.objects.filter(year=year, status=Survey.Status.PUBLISHED).first()
    if found is None:
        raise Http404("No report is published for that year.")
    return found


@login_not_required
@require_safe
def report(request: HttpRequest, year: int) -> HttpResponse:
    data = survey_report.report(_published(year))
    return render(
        request, "exchange/survey_report.html", {"report": data, "weights": _weights(data)}
    )


def _weights(data: survey_report.Report) -> str:
    ranks = data.survey.ranks
    return ", ".join(f"rank {n}: {survey.points(n, ranks)}" for n in range(1, ranks + 1))


@login_not_required
@require_safe
def report_csv(request: HttpRequest, year: int) -> HttpResponseBase:
    data = survey_report.report(_published(year))
    if data.refused:
        return HttpResponse(
            f"Not published: {data.refused}.", status=404, content_type="text/plain"
        )
    header = [
        "Priority",
        f"Members naming it in their top {data.survey.ranks}",
        "Ranked first",
        "Score",
    ]
    body = ([exports.safe_cell(r.label), r.named, r.first, r.score] for r in data.rows)
    response = StreamingHttpResponse(exports.csv_lines(header, body), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="priorities-survey-{year}.csv"'
    return response
