"""The assessment pages: the workspace where a team scores every subcategory (saved one at a
time, by htmx or by a plain form post), the comparison with last time, the guided first
assessment, starting an assessment, completing it, and evidence coming due.

Every read starts from `restrict(user, "view")`; every write goes through
`townhall.cyber.services` (and so through the write path). The workspace costs the same
number of queries at 6 or 106 subcategories: the tree, the scores (with their responsible
people), last time's levels, the evidence links and the permission check are one query
each, and the people pickers are given the chosen person's name instead of looking it up.
"""

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Self
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from townhall.core import permissions
from townhall.core import services as core_services
from townhall.core.charts import Item, bar_chart
from townhall.core.forms import field_of, style_fields
from townhall.core.http import SignedInRequest
from townhall.core.views import form_data
from townhall.core.widgets import PickOne, clean_ids
from townhall.cyber import levels, rollup, services
from townhall.cyber.forms import EvidenceForm
from townhall.cyber.models import Assessment, Evidence, Framework, Requirement, Score
from townhall.estate.models import Person

SHOW = {
    "all": "All subcategories",
    "unscored": "Not yet scored",
    "below": "Below target",
}
NA = "na"
EVIDENCE_DAYS_MAX = services.EXPIRY_WINDOW_MAX


# --- the score form ------------------------------------------------------------------------


class KnownPickOne(PickOne):
    """A people picker told the chosen person's name up front (the workspace loads scores
    with their responsible person), so a page of a hundred pickers adds no query each."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.known: dict[str, str] = {}

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        obj = super().__deepcopy__(memo)
        obj.known = dict(self.known)
        return obj

    def chosen(self, values: list[str]) -> list[tuple[str, str]]:
        if values and all(str(v) in self.known for v in values):
            return [(str(v), self.known[str(v)]) for v in values]
        return super().chosen(values)


def _level_choices() -> list[tuple[str, str]]:
    return [(str(lv.value), lv.name) for lv in levels.LEVELS] + [
        (NA, levels.NOT_APPLICABLE_NAME),
        ("", "Not scored"),
    ]


class ScoreEntryForm(forms.Form):
    """One subcategory's answer in the workspace: a level or not applicable, notes, the
    responsible person, and the version of the score the page showed."""

    level = forms.ChoiceField(choices=_level_choices, required=False, label="Level")
    notes = forms.CharField(
        required=False,
        max_length=services.NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "class": "usa-textarea"}),
        label="Notes",
    )
    responsible = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        widget=KnownPickOne,
        label="Responsible person",
    )
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, people: Any, known: dict[str, str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        responsible = field_of(self, "responsible", forms.ModelChoiceField)
        responsible.queryset = people  # the people the user may see
        assert isinstance(responsible.widget, KnownPickOne)
        responsible.widget.known = known or {}

    def values(self) -> dict[str, Any]:
        level = self.cleaned_data["level"]
        return {
            "level": int(level) if level not in ("", NA) else None,
            "not_applicable": level == NA,
            "notes": self.cleaned_data["notes"],
            "responsible": self.cleaned_data["responsible"],
        }


def _people(user: Any) -> Any:
    return Person.objects.restrict(user, "view")


def _initial(score: Score | None) -> dict[str, Any]:
    if score is None:
        return {"level": "", "notes": "", "responsible": None, "version": None}
    level = NA if score.not_applicable else (str(score.level) if score.level else "")
    return {
        "level": level,
        "notes": score.notes,
        "responsible": score.responsible_id,
        "version": score.version,
    }


def _options(form: ScoreEntryForm) -> list[dict[str, Any]]:
    """The radios of one form's level, with the value chosen so far (posted or saved)."""
    current = form["level"].value()
    current = "" if current is None else str(current)
    prefix = form.prefix
    options: list[dict[str, str | bool]] = []
    for lv in levels.LEVELS:
        value = str(lv.value)
        options.append(
            {"value": value, "id": f"{prefix}-level-{value}", "short": value, "long": lv.name}
        )
    options.append({"value": NA, "id": f"{prefix}-level-na", "short": "Not applicable"})
    options.append({"value": "", "id": f"{prefix}-level-none", "short": "Not scored"})
    for o in options:
        o["checked"] = o["value"] == current
    return options


def _escape(text: Any) -> str:
    """Django's `escape` (the standard library's, on the text), without its check for lazy
    text around each of the thousand values a workspace writes."""
    return html.escape(str(text))


def options_html(prefix: str, options: list[dict[str, Any]]) -> SafeString:
    """The level radios of one subcategory, written in Python: nine radios on each of a
    hundred rows were a third of the workspace's drawing through the template."""
    e = _escape
    parts = []
    for o in options:
        checked = " checked" if o["checked"] else ""
        long = f'<span class="usa-sr-only"> · {e(o["long"])}</span>' if o.get("long") else ""
        parts.append(
            '\n        <div class="usa-radio margin-right-3">\n'
            f'          <input class="usa-radio__input" type="radio" id="{e(o["id"])}" '
            f'name="{e(prefix)}-level" value="{e(o["value"])}"{checked}>\n'
            f'          <label class="usa-radio__label margin-top-1" for="{e(o["id"])}">'
            f"{e(o['short'])}{long}</label>\n"
            "        </div>\n        "
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


# --- loading one assessment ----------------------------------------------------------------


def _assessment(request: HttpRequest, pk: int) -> Assessment:
    return get_object_or_404(
        Assessment.objects.restrict(request.user, "view").select_related(
            "framework", "previous", "previous__framework", "lead"
        ),
        pk=pk,
    )


def _int(value: str | None) -> int | None:
    found = clean_ids(Assessment, [value]) if value else []
    return found[0] if found else None


@dataclass
class Filters:
    show: str = "all"
    function: str = ""
    derived: int | None = None
    notices: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, query: Any) -> "Filters":
        """The workspace's filters from the address; a value that makes no sense is
        dropped with a notice, never an error."""
        result = cls()
        show = query.get("show", "all") or "all"
        if show in SHOW:
            result.show = show
        else:
            result.notices.append("That filter is unknown; showing all subcategories.")
        result.function = (query.get("function", "") or "")[:60]
        derived = query.get("derived", "")
        if derived:
            result.derived = _int(derived)
            if result.derived is None:
                result.notices.append("That assessment to derive levels from is unknown.")
        return result

    def query(self, **changes: Any) -> str:
        values = {"show": self.show, "function": self.function, "derived": self.derived}
        values.update(changes)
        kept = {k: v for k, v in values.items() if v not in (None, "", "all")}
        return ("?" + urlencode(kept)) if kept else ""


def _summary_text(s: rollup.NodeSummary, target: int) -> str:
    mean = f"mean {s.mean}" if s.mean is not None else "nothing scored yet"
    return f"{mean} (target {target}); {s.answered} of {s.total} answered"


def _level_chart(summaries: list[rollup.NodeSummary], target: int) -> dict[str, Any]:
    """Bars of rolled-up means against the target; below target reads (and looks) apart."""
    items = []
    for s in summaries:
        label = f"{s.identifier} {s.title}".strip()
        if s.mean is None:
            text = "not scored"
        else:
            text = f"{s.mean}{' (below)' if s.below else ''}"
        items.append(
            Item(label=label, value=s.mean or 0, text=text, limit=target, limit_text=str(target))
        )
    chart = bar_chart(items, label_width=200, value_room=100)
    return {
        "chart": chart,
        "bars": [
            {"bar": bar, "below": s.below, "none": s.mean is None}
            for bar, s in zip(chart.bars, summaries, strict=True)
        ],
    }


def _evidence_by_requirement(user: Any, framework_id: int) -> dict[int, list[Evidence]]:
    """The evidence the user may see, per requirement of the framework (one query)."""
    through = Evidence.requirements.through
    links = (
        through.objects.filter(
            requirement__framework_id=framework_id,
            evidence__in=Evidence.objects.restrict(user, "view"),
        )
        .select_related("evidence")
        .order_by("evidence__title", "evidence__pk")
    )
    found: dict[int, list[Evidence]] = {}
    for link in links:
        found.setdefault(link.requirement_id, []).append(link.evidence)
    return found


def _derived_choice(
    user: Any, assessment: Assessment, filters: Filters
) -> tuple[list[Assessment], Assessment | None]:
    sources = services.mapping_sources(user, assessment)
    chosen = None
    if filters.derived is not None:
        chosen = next((a for a in sources if a.pk == filters.derived), None)
        if chosen is None:
            filters.notices.append(
                "Levels can be derived only from an assessment of a framework mapped to this one."
            )
            filters.derived = None
    return sources, chosen


def _per_row(name: str, *args: Any) -> Callable[[int], str]:
    """`pk → reverse(name, args=[*args, pk])`, reversing once for a page of rows (a hundred
    reverses were a tenth of the workspace)."""
    marker = "987654321"
    head, tail = reverse(name, args=[*args, int(marker)]).split(marker)
    return lambda pk: f"{head}{pk}{tail}"


def workspace_context(
    request: HttpRequest,
    assessment: Assessment,
    filters: Filters,
    *,
    only: int | None = None,
    bound: ScoreEntryForm | None = None,
    conflict: dict[str, Any] | None = None,
    saved: int | None = None,
) -> dict[str, Any]:
    """Everything the workspace shows. With `only` (a requirement pk), rows are built for
    that subcategory alone (the answer to one save), with `bound` as its form when the
    save failed, and the notice of a `conflict` or of a successful save beside it."""
    user = request.user
    target = assessment.target
    requirements = services.requirements_of(assessment.framework_id)
    by_pk = {r.pk: r for r in requirements}
    scores = {
        s.requirement_id: s
        for s in Score.objects.filter(assessment=assessment)
        .select_related("responsible")
        .order_by("pk")
    }
    marks = {
        by_pk[rid].identifier: rollup.Mark(s.level, s.not_applicable)
        for rid, s in scores.items()
        if rid in by_pk
    }
    nodes = services.nodes_of(requirements)
    now = rollup.roll_up(nodes, marks, target)
    previous = assessment.previous
    if previous is not None and permissions.can(user, "view", previous):
        before_marks = services.marks_of(previous)
        before_reqs = (
            requirements
            if previous.framework_id == assessment.framework_id
            else services.requirements_of(previous.framework_id)
        )
        before = rollup.roll_up(services.nodes_of(before_reqs), before_marks, target)
    else:
        previous, before_marks, before = None, {}, None
    editable = services.may_edit(user, assessment)
    people = _people(user)
    evidence = _evidence_by_requirement(user, assessment.framework_id)
    sources, derived_from = _derived_choice(user, assessment, filters)
    implied = services.derived_levels(assessment, derived_from) if derived_from else {}
    today = timezone.localdate()

    tops = {s.identifier: s for s in now.functions}
    if filters.function and filters.function not in tops:
        filters.notices.append(f"There is no function “{filters.function}”; showing them all.")
        filters.function = ""
    page_url = reverse("cyber:assessment_workspace", args=[assessment.pk]) + filters.query()
    score_url = _per_row("cyber:assessment_score", assessment.pk)
    evidence_url = _per_row("cyber:evidence_add_for")
    evidence_query = "?" + urlencode({"assessment": assessment.pk})

    def row(r: Requirement) -> dict[str, Any]:
        score = scores.get(r.pk)
        mark = marks.get(r.identifier, rollup.Mark())
        old = before_marks.get(r.identifier)
        result: dict[str, Any] = {
            "req": r,
            # Numbers as text: the template would format each through the locale, some
            # thousand times a page.
            "pk": str(r.pk),
            "score": score,
            "label": levels.label(mark.level, mark.not_applicable),
            "state": "na" if mark.not_applicable else ("none" if mark.level is None else "set"),
            "below": mark.level is not None and mark.level < target,
            "previous": levels.label(old.level, old.not_applicable) if old else None,
            "evidence": [
                {
                    "item": e,
                    "expired": e.is_expired(today),
                    "soon": e.expires_within(today, services.EXPIRY_WINDOW_DAYS),
                }
                for e in evidence.get(r.pk, [])
            ],
            "implied": implied.get(r.identifier),
            "saved": saved == r.pk,
            "conflict": conflict if conflict and only == r.pk else None,
            "action": score_url(r.pk),
            "add_evidence": evidence_url(r.pk) + evidence_query,
        }
        if editable:
            if bound is not None and only == r.pk:
                form = bound
            else:
                known = {str(score.responsible_id): str(score.responsible)} if score else {}
                if score and score.responsible_id is None:
                    known = {}
                form = ScoreEntryForm(
                    initial=_initial(score), prefix=f"s{r.pk}", people=people, known=known
                )
            result["form"] = form
            result["options"] = _options(form)
            result["options_html"] = options_html(form.prefix or "", result["options"])
            result["prefix"] = form.prefix
            result["notes"] = form["notes"].value() or ""
            result["version"] = form["version"].value() or ""
            result["notes_errors"] = form.errors.get("notes")
        return result

    def shown(r: Requirement) -> bool:
        mark = marks.get(r.identifier, rollup.Mark())
        if filters.show == "unscored":
            return mark.level is None and not mark.not_applicable
        if filters.show == "below":
            return mark.level is not None and mark.level < target
        return True

    # Sections: one per function; inside, a group per node whose children are scored
    # leaves (the categories, for NIST CSF), each with its rows.
    sections: dict[str | None, dict[str, Any]] = {}
    groups: dict[int, dict[str, Any]] = {}
    rows_by_pk: dict[int, dict[str, Any]] = {}
    for r in requirements:
        if not r.assessable:
            continue
        if only is not None and r.pk != only:
            continue
        top = now.function_of.get(r.identifier)
        if filters.function and top != filters.function:
            continue
        if only is None and not shown(r):
            continue
        parent = by_pk.get(r.parent_id) if r.parent_id is not None else None
        section = sections.get(top)
        if section is None:
            section = sections[top] = {"top": top, "groups": []}
        key = parent.pk if parent else 0
        group = groups.get(key)
        if group is None:
            summary = now.nodes.get(parent.identifier) if parent else None
            group = groups[key] = {
                "node": parent,
                "summary": summary,
                "text": _summary_text(summary, target) if summary else "",
                "rows": [],
            }
            section["groups"].append(group)
        built = row(r)
        rows_by_pk[r.pk] = built
        group["rows"].append(built)

    top_pks = {r.identifier: r.pk for r in requirements if r.identifier in tops}
    function_blocks: list[dict[str, Any]] = []
    for s in now.functions:
        if filters.function and s.identifier != filters.function:
            continue
        children = now.children(s.identifier)
        function_blocks.append(
            {
                "summary": s,
                "pk": top_pks.get(s.identifier),
                "text": _summary_text(s, target),
                "previous": before.nodes.get(s.identifier) if before else None,
                "chart": _level_chart(children, target) if children else None,
                "chart_id": f"chart-fn-{top_pks.get(s.identifier)}",
                "chart_title": f"Mean level by category of {s.identifier} {s.title}".strip(),
                "children": [
                    {
                        "summary": c,
                        "previous": before.nodes.get(c.identifier) if before else None,
                    }
                    for c in children
                ],
                "section": sections.get(s.identifier, {"groups": []}),
            }
        )
    orphans = sections.get(None)

    return {
        "assessment": assessment,
        "previous": previous,
        "target": target,
        "filters": filters,
        "show_choices": SHOW.items(),
        "functions": function_blocks,
        "all_functions": now.functions,
        "function_overview": [
            {
                "summary": s,
                "previous": before.nodes.get(s.identifier) if before else None,
                "url": reverse("cyber:assessment_workspace", args=[assessment.pk])
                + filters.query(function=s.identifier),
            }
            for s in now.functions
        ],
        "overview_chart": _level_chart(now.functions, target) if now.functions else None,
        "orphans": orphans,
        "overall": now.overall,
        "overall_before": before.overall if before else None,
        "below_count": len(now.below_target),
        "editable": editable,
        "may_change": permissions.can(user, "change", assessment),
        "sees_evidence": services.sees_evidence(user),
        "notes_max": str(services.NOTES_MAX),
        "may_add_evidence": permissions.may_add_any(user, Evidence),
        "levels": levels.LEVELS,
        "not_applicable_text": levels.NOT_APPLICABLE,
        "derived_sources": sources,
        "derived_from": derived_from,
        "page_url": page_url,
        "rows_by_pk": rows_by_pk,
        "empty": not any(b["section"]["groups"] for b in function_blocks) and not orphans,
    }


# --- the workspace -------------------------------------------------------------------------


def workspace(request: HttpRequest, pk: int) -> HttpResponse:
    """Functions → categories → subcategories, each subcategory with its score form."""
    assessment = _assessment(request, pk)
    filters = Filters.parse(request.GET)
    context = workspace_context(request, assessment, filters)
    return render(request, "cyber/assessment_workspace.html", context)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "") or request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _current_score(exc: core_services.ConflictError) -> Score:
    """The score as someone else saved it: save_score's conflicts are about a score."""
    current = exc.current
    assert isinstance(current, Score)
    return current


def _conflict_notice(exc: core_services.ConflictError) -> dict[str, Any]:
    current = _current_score(exc)
    names = sorted({e.actor_name for e in exc.entries}) or ["someone else"]
    return {
        "who": ", ".join(names),
        "now": levels.label(current.level, current.not_applicable),
        "notes": current.notes,
    }


def score(request: SignedInRequest, pk: int, requirement: int) -> HttpResponse:
    """Save one subcategory's answer. With htmx the answer is the subcategory's block (and,
    out of band, the progress and the roll-ups); without, a redirect back to the workspace,
    or this subcategory's own page with the problem when the save failed."""
    assessment = _assessment(request, pk)
    req = get_object_or_404(
        Requirement.objects.filter(framework_id=assessment.framework_id, assessable=True),
        pk=requirement,
    )
    filters = Filters()  # one subcategory: the workspace's filters do not apply
    workspace_url = reverse("cyber:assessment_workspace", args=[assessment.pk])
    status = 200
    text = ""
    bound = None
    conflict = None
    saved = None
    problems: list[str] = []
    if request.method == "POST":
        if not services.may_edit(request.user, assessment):
            if assessment.status != Assessment.Status.IN_PROGRESS:
                problems.append("This assessment is complete; reopen it to change its scores.")
                status = 409
            else:
                raise PermissionDenied("Only IT staff and administrators score assessments.")
        else:
            form = ScoreEntryForm(request.POST, prefix=f"s{req.pk}", people=_people(request.user))
            if form.is_valid():
                try:
                    result = services.save_score(
                        request.user,
                        assessment,
                        req,
                        **form.values(),
                        version=form.cleaned_data["version"],
                    )
                except core_services.ConflictError as exc:
                    data = request.POST.copy()
                    data[f"s{req.pk}-version"] = str(_current_score(exc).version)
                    bound = ScoreEntryForm(data, prefix=f"s{req.pk}", people=_people(request.user))
                    bound.is_valid()
                    conflict = _conflict_notice(exc)
                    status = 409
                except ValidationError as exc:
                    bound = form
                    for message in exc.messages:
                        form.add_error(None, message)
                    status = 400
                else:
                    saved = req.pk
                    shown = levels.label(result.level, result.not_applicable)
                    text = f"Saved {req.identifier}: {shown}."
                    if not request.htmx:
                        messages.success(request, text)
                        return redirect(_safe_next(request, workspace_url) + f"#req-{req.pk}")
            else:
                bound = form
                status = 400
    context = workspace_context(
        request, assessment, filters, only=req.pk, bound=bound, conflict=conflict, saved=saved
    )
    context["row"] = context["rows_by_pk"].get(req.pk)
    context["page_url"] = _safe_next(request, workspace_url)
    context["requirement"] = req
    context["problems"] = problems
    context["row_problems"] = problems if request.htmx else []
    if saved:
        context["announce"] = text
    elif problems:
        context["announce"] = f"Not saved: {problems[0]}"
    elif bound is not None:
        context["announce"] = f"Not saved: {req.identifier}. See the message beside it."
    if request.htmx:
        # htmx swaps only successful answers; the problem is shown in the block itself.
        return render(request, "cyber/assessment_score_swap.html", context)
    return render(request, "cyber/assessment_score.html", context, status=status)


@require_POST
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Complete the assessment, or reopen a complete one."""
    assessment = _assessment(request, pk)
    action = request.POST.get("action", "")
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        if action == "complete":
            services.complete(request.user, assessment, version=version)
            messages.success(
                request,
                f"“{assessment}” is complete. Its scores are now the record of {assessment.year}.",
            )
        elif action == "reopen":
            services.reopen(request.user, assessment, version=version)
            messages.success(request, f"“{assessment}” is open again; its scores can change.")
        else:
            messages.error(request, "Choose to complete or to reopen the assessment.")
    except core_services.ConflictError as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("cyber:assessment_workspace", pk=assessment.pk)


# --- the comparison with last time ---------------------------------------------------------


def compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Per function and category: last time, this time and the change; then the
    subcategories whose level moved."""
    assessment = _assessment(request, pk)
    previous = assessment.previous
    if previous is not None and not permissions.can(request.user, "view", previous):
        previous = None
    requirements = services.requirements_of(assessment.framework_id)
    now = services.rollup_of(assessment, requirements)
    context: dict[str, Any] = {
        "assessment": assessment,
        "previous": previous,
        "target": assessment.target,
        "may_change": permissions.can(request.user, "change", assessment),
    }
    if previous is not None:
        before = services.previous_rollup(assessment, requirements)
        changes = rollup.compare(now, before)
        tops = set(now.tops)
        context["rows"] = [
            {"change": c, "is_function": c.identifier in tops, "overall": c.identifier == ""}
            for c in changes
        ]
        marks_now = services.marks_of(assessment)
        marks_before = services.marks_of(previous)
        moved = []
        for r in requirements:
            if not r.assessable:
                continue
            a = marks_now.get(r.identifier)
            b = marks_before.get(r.identifier)
            delta, status = rollup.change(b.level if b else None, a.level if a else None)
            if status in (rollup.IMPROVED, rollup.DECLINED) and a is not None and b is not None:
                moved.append(
                    {
                        "req": r,
                        "before": b.level,
                        "after": a.level,
                        "delta": delta,
                        "status": status,
                    }
                )
        context["moved"] = moved
        context["counts"] = {
            "improved": sum(1 for m in moved if m["status"] == rollup.IMPROVED),
            "declined": sum(1 for m in moved if m["status"] == rollup.DECLINED),
        }
    return render(request, "cyber/assessment_compare.html", context)


# --- the guided first assessment -----------------------------------------------------------


def guide(request: HttpRequest, pk: int) -> HttpResponse:
    """The scale in plain words, where to start, and one function at a time with its
    progress and a link into the workspace filtered to it."""
    assessment = _assessment(request, pk)
    now = services.rollup_of(assessment)
    workspace_url = reverse("cyber:assessment_workspace", args=[assessment.pk])
    order = levels.recommended_order([s.identifier for s in now.functions])
    by_id = {s.identifier: s for s in now.functions}
    steps = []
    for n, identifier in enumerate(order, start=1):
        s = by_id[identifier]
        steps.append(
            {
                "n": n,
                "summary": s,
                "advice": levels.advice_for(identifier),
                "done": s.total > 0 and s.answered == s.total,
                "url": workspace_url + "?" + urlencode({"function": identifier}),
                "todo_url": workspace_url
                + "?"
                + urlencode({"function": identifier, "show": "unscored"}),
            }
        )
    next_step = next((s for s in steps if not s["done"]), None)
    return render(
        request,
        "cyber/assessment_guide.html",
        {
            "assessment": assessment,
            "levels": levels.LEVELS,
            "not_applicable_text": levels.NOT_APPLICABLE,
            "target_text": levels.TARGET_EXPLAINED,
            "who": levels.WHO_AND_HOW_LONG,
            "honest": levels.HONEST_SCORING,
            "afterwards": levels.AFTERWARDS,
            "steps": steps,
            "next_step": next_step,
            "overall": now.overall,
            "workspace_url": workspace_url,
            "sees_evidence": services.sees_evidence(request.user),
        },
    )


# --- starting an assessment ----------------------------------------------------------------


class StartForm(forms.Form):
    framework = forms.ModelChoiceField(queryset=Framework.objects.none(), label="Framework")
    name = forms.CharField(max_length=200, help_text="Such as “2026 self-assessment”.")
    year = forms.IntegerField(min_value=2000, max_value=2100)
    previous = forms.ModelChoiceField(
        queryset=Assessment.objects.none(),
        required=False,
        label="Compare with",
        help_text="Usually last year's assessment. Leave empty for a first assessment.",
    )
    copy = forms.BooleanField(
        required=False,
        label="Start from its answers",
        help_text="Each subcategory starts with last time's level, notes and responsible "
        "person, to confirm or change. Needs an assessment of the same framework.",
    )
    target = forms.IntegerField(
        min_value=levels.SCALE_MIN,
        max_value=levels.SCALE_MAX,
        initial=levels.TARGET,
        help_text="The level every subcategory should reach; 5 is the recommended minimum.",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "framework", forms.ModelChoiceField).queryset = Framework.objects.restrict(
            user, "view"
        ).order_by("name", "release", "pk")
        field_of(self, "previous", forms.ModelChoiceField).queryset = (
            Assessment.objects.restrict(user, "view")
            .select_related("framework")
            .order_by("-year", "name", "pk")
        )
        style_fields(self.fields.values())


def start(request: HttpRequest) -> HttpResponse:
    if not permissions.can_add(request.user, Assessment):
        raise PermissionDenied("Only IT staff and administrators start assessments.")
    year = timezone.localdate().year
    latest = Assessment.objects.restrict(request.user, "view").order_by("-year", "-pk").first()
    initial = {"year": year, "name": f"{year} self-assessment", "target": levels.TARGET}
    if latest is not None:
        initial.update({"framework": latest.framework_id, "previous": latest.pk, "copy": True})
    form = StartForm(request.POST or None, user=request.user, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = services.start_assessment(
                    request.user,
                    data["framework"],
                    data["year"],
                    data["name"],
                    previous=data["previous"],
                    copy_from_previous=data["copy"],
                    target=data["target"],
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for name, errors in exc.error_dict.items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    form.add_error(None, exc.messages)
            else:
                messages.success(request, f"Started “{created}”.")
                if data["previous"] is None:
                    return redirect("cyber:assessment_guide", pk=created.pk)
                return redirect("cyber:assessment_workspace", pk=created.pk)
        status = 400
    return render(request, "cyber/assessment_start.html", {"form": form}, status=status)


# --- evidence ------------------------------------------------------------------------------


def evidence_expiring(request: HttpRequest) -> HttpResponse:
    """Evidence that has expired and that expires soon, with owners and requirements."""
    if not services.sees_evidence(request.user):
        raise PermissionDenied("Evidence is for IT staff, auditors and the board.")
    notices = []
    raw = request.GET.get("days", "")
    days = services.EXPIRY_WINDOW_DAYS
    if raw:
        try:
            days = int(raw)
        except ValueError:
            notices.append(f"“{raw[:20]}” is not a number of days; showing {days}.")
        else:
            if not 1 <= days <= EVIDENCE_DAYS_MAX:
                days = min(max(days, 1), EVIDENCE_DAYS_MAX)
                notices.append(
                    f"The number of days must be between 1 and {EVIDENCE_DAYS_MAX}; showing {days}."
                )
    due = services.expiring_evidence(request.user, within_days=days)
    today = due["today"]

    def rows(items: list[Evidence]) -> list[dict[str, Any]]:
        return [{"item": e, "when": services.expiry_text(e.expires, today)} for e in items]

    within = f"Expiring within {days} day{'s' if days != 1 else ''}"
    return render(
        request,
        "cyber/evidence_expiring.html",
        {
            **due,
            "groups": [
                ("Expired", rows(due["expired"]), "expired"),
                (within, rows(due["expiring"]), "expiring"),
            ],
            "days": days,
            "notices": notices,
            "assessment": _assessment_from(request),
        },
    )


def _assessment_from(request: HttpRequest) -> Assessment | None:
    pk = _int(request.GET.get("assessment"))
    if pk is None:
        return None
    return Assessment.objects.restrict(request.user, "view").filter(pk=pk).first()


def evidence_add_for(request: HttpRequest, requirement: int) -> HttpResponse:
    """Add evidence for one requirement (chosen already), then go back to the workspace."""
    if not permissions.may_add_any(request.user, Evidence):
        raise PermissionDenied("Only IT staff and administrators add evidence.")
    req = get_object_or_404(
        Requirement.objects.restrict(request.user, "view").select_related("framework"),
        pk=requirement,
    )
    assessment = _assessment_from(request)
    back = (
        reverse("cyber:assessment_workspace", args=[assessment.pk]) + f"#req-{req.pk}"
        if assessment
        else req.get_absolute_url()
    )
    status = 200
    if request.method == "POST":
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                created = core_services.create(request.user, Evidence, form_data(form))
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for name, errors in exc.error_dict.items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    form.add_error(None, exc.messages)
            else:
                messages.success(request, f"Added evidence “{created}” for {req.identifier}.")
                return redirect(back)
        status = 400
    else:
        form = EvidenceForm(initial={"requirements": [req.pk]})
    return render(
        request,
        "cyber/evidence_add.html",
        {"form": form, "requirement": req, "assessment": assessment, "back": back},
        status=status,
    )


# --- the Assessment's own page -------------------------------------------------------------


def detail_context(request: HttpRequest, obj: Assessment) -> dict[str, Any]:
    """The summary shown on the assessment's record page, above its history."""
    summary = services.assessment_summary(obj)
    now_functions = [
        rollup.NodeSummary(
            f["identifier"], f["title"], "function", mean=f["mean"], below=f["below"]
        )
        for f in summary["functions"]
    ]
    return {
        "summary": summary,
        "summary_chart": _level_chart(now_functions, obj.target) if now_functions else None,
        "below_first": summary["below_target"][:10],
        "may_edit": services.may_edit(request.user, obj),
    }
