"""Exercise pages: an exercise's results against RTO and computed recovery time (the detail
page's context), the results entry form for many services at once, every service's tested
recovery times, and add pages that start from the record they describe (an impact analysis
for a service, a recovery capability for a system or component, a follow-up action for an
exercise). Reading is in `exercises.py`; judging in `exercise_rules.py`."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models, transaction
from django.forms import formset_factory
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from townhall.continuity import estate_links, exercises, subgraph
from townhall.continuity import exercise_rules as rules
from townhall.continuity import models as m
from townhall.core import permissions, services
from townhall.core.forms import field_of, style_fields
from townhall.core.http import SignedInRequest
from townhall.core.models import TrackedModel
from townhall.core.views import CreatePage
from townhall.core.widgets import PickOne
from townhall.estate.models import Component, Service, System

NEW_ROWS = 5  # blank rows offered for new results
MAX_NEW_ROWS = 50
OVERDUE_SHOWN = 100

# --- detail pages ------------------------------------------------------------------------


def exercise_context(request: HttpRequest, obj: m.Exercise) -> dict[str, Any]:
    """An exercise's page: participants, results against RTO and computed time with a
    chart, follow-up actions with what is overdue."""
    user = request.user
    rows = exercises.exercise_results(user, obj)
    today = timezone.localdate()
    follow_ups = exercises.exercise_follow_ups(user, obj, today)
    counts = {
        status: sum(1 for r in rows if r.verdict.status == status)
        for status in (rules.MET, rules.MISSED, rules.NO_RTO)
    }
    return {
        "participants": obj.participant_list(),
        "result_rows": rows,
        "result_counts": counts,
        "chart": exercises.results_chart(rows) if rows else None,
        "follow_up_rows": follow_ups,
        "overdue_count": sum(1 for f in follow_ups if f.overdue_days),
        "can_enter_results": permissions.can_add(user, m.ExerciseResult),
        "can_add_follow_up": permissions.may_add_any(user, m.FollowUp),
        "results_url": reverse("continuity:exercise_results", args=[obj.pk]),
        "add_follow_up_url": reverse("continuity:followup_add_for", args=[obj.pk]),
        "tests_url": reverse("continuity:recovery_tests"),
        "analysis_url": reverse("continuity:analysis"),
    }


def result_context(request: HttpRequest, obj: m.ExerciseResult) -> dict[str, Any]:
    """One result's page: met or missed, and against the computed recovery time."""
    user = request.user
    analysis = m.ImpactAnalysis.objects.restrict(user, "view").filter(service_id=obj.service_id)
    current = analysis.first()
    rto = obj.rto_hours if obj.rto_hours is not None else (current.rto_hours if current else None)
    seeds = Service.objects.filter(pk=obj.service_id).values("pk")
    try:
        times, names = subgraph.recovery_times(user, seeds, limit=estate_links.COMPUTE_LIMIT)
    except subgraph.TooLarge:
        computed, too_large = None, True
    else:
        key = ("service", obj.service_id)
        computed, too_large = exercises.computed_for(times, names, key, exercises.Urls()), False
    return {
        "too_large": too_large,
        "verdict": rules.verdict(obj.measured_hours, rto),
        "rto_text": rules.hours_text(rto),
        "rto_is_current": obj.rto_hours is None and rto is not None,
        "current_analysis": current,
        "computed": computed,
        "prediction": rules.against_computed(
            obj.measured_hours,
            computed.hours if computed else None,
            computed.at_least if computed else False,
        ),
        "tests_url": reverse("continuity:recovery_tests"),
        "analysis_url": reverse("continuity:analysis"),
    }


def follow_up_context(request: HttpRequest, obj: m.FollowUp) -> dict[str, Any]:
    """A follow-up action's page: how overdue it is."""
    done = obj.status == m.FollowUp.Status.DONE
    return {"overdue_days": rules.days_overdue(obj.due_on, done, timezone.localdate())}


# --- recovery times tested ---------------------------------------------------------------


@require_safe
def recovery_tests(request: HttpRequest) -> HttpResponse:
    """Every tested service: RTO, latest measured and computed recovery time, worst first."""
    user = request.user
    rows = exercises.recovery_tests(user)
    overdue, overdue_count = exercises.overdue_follow_ups(user, timezone.localdate(), OVERDUE_SHOWN)
    counts = {
        status: sum(1 for r in rows if r.verdict.status == status)
        for status in (rules.MET, rules.MISSED, rules.NO_RTO)
    }
    return render(
        request,
        "continuity/recovery_tests.html",
        {
            "rows": rows,
            "counts": counts,
            "overdue": overdue,
            "overdue_count": overdue_count,
            "exercises_url": reverse("continuity:exercise_list"),
            "follow_ups_url": reverse("continuity:followup_list"),
            "analysis_url": reverse("continuity:analysis"),
        },
    )


# --- entering results for many services at once ------------------------------------------


def _hours_field(name: str, required: bool) -> forms.DecimalField:
    """The model's own field (its limits and messages), for one cell of the table."""
    model_field = m.ExerciseResult._meta.get_field(name)
    assert isinstance(model_field, models.DecimalField)
    field = model_field.formfield(required=required)
    assert isinstance(field, forms.DecimalField)
    field.validators += [v for v in model_field.validators if v not in field.validators]
    field.widget.attrs.update({"class": "usa-input usa-input--small", "inputmode": "decimal"})
    return field


class RecordedRowForm(forms.Form):
    """A result already recorded: change its times, or remove it."""

    measured_hours = _hours_field("measured_hours", True)
    rto_hours = _hours_field("rto_hours", False)
    remove = forms.BooleanField(required=False, label="Remove")
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": "The form is missing its version; reload the page."},
    )


class NewRowForm(forms.Form):
    """A service not yet in the exercise, and its times."""

    service = forms.ModelChoiceField(
        queryset=Service.objects.none(), required=False, widget=PickOne
    )
    measured_hours = _hours_field("measured_hours", False)
    rto_hours = _hours_field("rto_hours", False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = field_of(self, "service", forms.ModelChoiceField)
        field.queryset = Service.objects.restrict(user, "view") if user else Service.objects.none()
        field.widget.choices = field.choices  # the picker reads its queryset through these
        field.help_text = "The service whose recovery was timed."
        style_fields([field])

    service_label = ""  # the chosen service's name, for messages naming the row

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        service, measured = data.get("service"), data.get("measured_hours")
        self.service_label = str(service) if service is not None else ""
        if service is None and "service" not in self.errors:
            if measured is not None or data.get("rto_hours") is not None:
                self.add_error("service", "Choose the service this time is for.")
        elif measured is None and "measured_hours" not in self.errors and service is not None:
            self.add_error("measured_hours", f"Enter how long {service} took to come back.")
        return data


def new_rows(extra: int = 0) -> type[forms.BaseFormSet]:
    """The formset of new results, offering `extra` blank rows."""
    return formset_factory(
        NewRowForm,
        extra=extra,
        max_num=MAX_NEW_ROWS,
        absolute_max=MAX_NEW_ROWS,
        validate_max=True,
    )


@dataclass
class Problem:
    """One line of the error summary: where, and what is wrong."""

    anchor: str
    text: str


def _recorded_forms(
    results: list[m.ExerciseResult], data: Any = None
) -> list[tuple[m.ExerciseResult, RecordedRowForm]]:
    """A form per recorded result. When posted, only the results that were on the page
    (their version was posted): one added meanwhile by someone else is left alone."""
    if data is not None:
        results = [r for r in results if f"r{r.pk}-version" in data]
    return [
        (
            r,
            RecordedRowForm(
                data,
                prefix=f"r{r.pk}",
                initial={
                    "measured_hours": r.measured_hours,
                    "rto_hours": r.rto_hours,
                    "version": r.version,
                },
            ),
        )
        for r in results
    ]


def _rows_wanted(request: HttpRequest) -> int:
    try:
        wanted = int(request.GET.get("rows", NEW_ROWS))
    except ValueError:
        return NEW_ROWS
    return min(max(wanted, 1), MAX_NEW_ROWS)


def _mark_invalid(form: forms.Form) -> None:
    for name in form.errors:
        if name in form.fields:
            form.fields[name].widget.attrs["aria-invalid"] = "true"


def _field_label(form: forms.Form, name: str) -> str:
    """The field's label as it reads mid-sentence: "measured …", but "RTO …" stays."""
    field = form.fields.get(name)
    label = str(field.label) if field is not None and field.label else name.replace("_", " ")
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def _anchor(form: forms.Form, name: str) -> str:
    if name not in form.fields:
        return "results-form"
    widget = form.fields[name].widget
    return widget.id_for_label(form[name].auto_id) if hasattr(widget, "id_for_label") else ""


def _problems(recorded: list[tuple[m.ExerciseResult, RecordedRowForm]], new: Any) -> list[Problem]:
    """Every error, naming the row (by service) and the field."""
    out = []
    for result, form in recorded:
        for name, errors in form.errors.items():
            where = (
                result.service.name
                if name == "__all__"
                else (f"{result.service.name}, {_field_label(form, name).lower()}")
            )
            out += [Problem(_anchor(form, name), f"{where}: {e}") for e in errors]
    for n, form in enumerate(new.forms, start=1):
        service = getattr(form, "service_label", "")
        row = f"New result {n}" + (f" ({service})" if service else "")
        for name, errors in form.errors.items():
            where = row if name == "__all__" else f"{row}, {_field_label(form, name)}"
            out += [Problem(_anchor(form, name), f"{where}: {e}") for e in errors]
    out += [Problem("results-form", str(e)) for e in new.non_form_errors()]
    return out


def _save(
    user: Any,
    exercise: m.Exercise,
    recorded: list[tuple[m.ExerciseResult, RecordedRowForm]],
    new: Any,
) -> int:
    """Write every change in one transaction; the first refusal undoes them all and is put
    on the row it came from (raises ValidationError after adding it to that form)."""
    changed = 0
    with transaction.atomic():
        for result, form in recorded:
            if not form.has_changed():
                continue
            data = form.cleaned_data
            try:
                if data["remove"]:
                    services.delete(user, result, version=data["version"])
                else:
                    services.update(
                        user,
                        result,
                        {"measured_hours": data["measured_hours"], "rto_hours": data["rto_hours"]},
                        version=data["version"],
                    )
            except services.ConflictError as exc:
                names = ", ".join(sorted({e.actor_name for e in exc.entries})) or "someone else"
                form.add_error(
                    None,
                    f"changed by {names} after you opened this page; reload it to see the "
                    "change and enter yours again.",
                )
                raise ValidationError("conflict") from exc
            except ValidationError as exc:
                _attach(form, exc)
                raise
            changed += 1
        for form in new.forms:
            data = getattr(form, "cleaned_data", {})
            if not data.get("service"):
                continue
            try:
                services.create(
                    user,
                    m.ExerciseResult,
                    {
                        "exercise": exercise,
                        "service": data["service"],
                        "measured_hours": data["measured_hours"],
                        "rto_hours": data.get("rto_hours"),
                    },
                )
            except ValidationError as exc:
                _attach(form, exc)
                raise
            changed += 1
    return changed


def _attach(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                text = " ".join(error.messages) if hasattr(error, "messages") else str(error)
                if "already exists" in text and name in ("__all__", "service"):
                    text = "This service already has a result in this exercise; change that row."
                    name = "service" if "service" in form.fields else "__all__"
                form.add_error(name if name in form.fields else None, text)
    else:
        form.add_error(None, " ".join(exc.messages))


def _duplicates(exercise_services: set[int], new: Any) -> None:
    """Refuse a service given twice, or one the exercise already has a result for."""
    seen: dict[int, int] = {}
    for n, form in enumerate(new.forms, start=1):
        service = getattr(form, "cleaned_data", {}).get("service")
        if service is None:
            continue
        if service.pk in exercise_services:
            form.add_error(
                "service",
                f"{service} already has a result in this exercise; change it in the table above.",
            )
        elif service.pk in seen:
            form.add_error("service", f"{service} is already in new result {seen[service.pk]}.")
        else:
            seen[service.pk] = n


@require_http_methods(["GET", "HEAD", "POST"])
def exercise_results(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter or change the measured recovery times of many services at once: all saved,
    or none (IT staff and administrators)."""
    user = request.user
    exercise = get_object_or_404(m.Exercise.objects.restrict(user, "view"), pk=pk)
    if not permissions.can_add(user, m.ExerciseResult):
        raise PermissionDenied("Only IT staff enter exercise results.")
    results = list(
        exercises.visible_results(user)
        .filter(exercise=exercise)
        .select_related("service")
        .order_by("service__name", "pk")
    )
    status = 200
    problems: list[Problem] = []
    if request.method == "POST":
        recorded = _recorded_forms(results, request.POST)
        new = new_rows()(request.POST, prefix="new", form_kwargs={"user": user})
        valid = all([form.is_valid() for _, form in recorded]) & new.is_valid()
        _duplicates({r.service_id for r in results}, new)
        valid = valid and not any(form.errors for form in new.forms)
        if valid:
            try:
                changed = _save(user, exercise, recorded, new)
            except ValidationError:
                pass  # put on its row by _save; nothing was written
            else:
                if changed:
                    messages.success(
                        request,
                        f"Saved {changed} change{'s' if changed != 1 else ''} to the results of "
                        f"{exercise}.",
                    )
                else:
                    messages.info(request, "Nothing was changed.")
                return redirect(exercise.get_absolute_url())
        problems = _problems(recorded, new)
        status = 400
    else:
        recorded = _recorded_forms(results)
        new = new_rows(_rows_wanted(request))(prefix="new", form_kwargs={"user": user})
    for _, form in recorded:
        _mark_invalid(form)
    for form in new.forms:
        _mark_invalid(form)
    more = min(MAX_NEW_ROWS, len(new.forms) + NEW_ROWS)
    return render(
        request,
        "continuity/exercise_results.html",
        {
            "object": exercise,
            "opts": m.Exercise._meta,
            "list_url": reverse("continuity:exercise_list"),
            "here": "Enter results",
            "recorded": [{"result": r, "form": f, "label": r.service.name} for r, f in recorded],
            "new": new,
            "problems": problems,
            "more_url": f"?rows={more}" if more > len(new.forms) else "",
        },
        status=status,
    )


# --- add pages that start from the record described --------------------------------------


class AddFor(CreatePage):
    """The add page of `resource`, with `field` filled in from the record in the address.

    A one-to-one record that exists already (a service's impact analysis) is opened
    instead of adding a second."""

    parent: type[TrackedModel] | None = None  # set in the address's as_view()
    field: str = ""
    one_to_one: bool = False

    def _parent(self) -> models.Model:
        if self.parent is None:
            raise ImproperlyConfigured("AddFor needs the parent model of the record it adds.")
        return get_object_or_404(
            self.parent.objects.restrict(self.request.user, "view"),
            pk=self.kwargs["parent"],
        )

    def get(self, request: SignedInRequest, parent: int) -> HttpResponse:  # type: ignore[override]
        item = self._parent()
        if self.one_to_one:
            existing = self.visible().filter(**{self.field: item}).first()
            if existing is not None:
                return redirect(existing.get_absolute_url())
        if not permissions.may_add_any(request.user, self.model):
            raise PermissionDenied(f"You may not add {self.resource.verbose_name_plural}.")
        initial: dict[str, Any] = {self.field: item.pk}
        department = getattr(self.model, "department_field", None)
        if department and department != "pk" and request.user.department_id:
            if not isinstance(item, Service | System | Component):
                initial[department] = request.user.department_id
        return self.render_form(self.form_class()(initial=initial))

    def post(self, request: HttpRequest, parent: int) -> HttpResponse:  # type: ignore[override]
        self._parent()
        return super().post(request)
