import json
from typing import Any

from django import forms
from django.template import loader
from django.utils.safestring import SafeString, mark_safe

from townhall.continuity import models as m
from townhall.core.forms import DateInput, RecordForm
from townhall.core.http import whole_number
from townhall.core.widgets import PickOne


class ImpactGrid(forms.Widget):
    """The impact grid as a table of selects: a row per category, a column per escalation
    point, each select labelled with both ("Finance after 24 hours") for screen readers."""

    template_name = "continuity/widgets/impact_grid.html"
    use_fieldset = True  # core/_field.html puts the field's label in a legend

    def _render(
        self, template_name: str, context: dict[str, Any], renderer: Any = None
    ) -> SafeString:
        return mark_safe(loader.render_to_string(template_name, context))  # noqa: S308

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        grid = value if isinstance(value, dict) else {}
        rows = []
        for key, label in m.CATEGORIES:
            found = grid.get(key)
            ratings = found if isinstance(found, dict) else {}
            cells = [
                {
                    "name": f"{name}_{key}_{point}",
                    "id": f"id_{name}_{key}_{point}",
                    "label": f"{label} after {point_label}",
                    "value": str(ratings.get(point, "")),
                }
                for point, point_label in m.POINTS
            ]
            rows.append({"label": label, "cells": cells})
        context["grid"] = {
            "points": m.POINTS,
            "rows": rows,
            "levels": [(str(n), text) for n, text in m.LEVELS],
        }
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        grid: dict[str, dict[str, Any]] = {}
        seen = False
        for key, _ in m.CATEGORIES:
            for point, _ in m.POINTS:
                field = f"{name}_{key}_{point}"
                if field in data:
                    seen = True
                    raw = data.get(field)
                    if raw not in ("", None):
                        grid.setdefault(key, {})[point] = raw
        if seen:
            return grid
        return data.get(name)  # a whole grid as JSON text (scripts posting the form)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and not any(k.startswith(f"{name}_") for k in data)


class ImpactGridField(forms.Field):
    """Ratings 1–5 per category and escalation point; blanks mean "not yet assessed"."""

    widget = ImpactGrid

    def to_python(self, value: Any) -> dict:
        if value in (None, ""):
            return {}
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                raise forms.ValidationError(
                    "The impact grid could not be read; choose a rating in each cell."
                ) from None
        if not isinstance(value, dict):
            raise forms.ValidationError("The impact grid must map each category to its ratings.")
        grid: dict = {}
        for key, ratings in value.items():
            if not isinstance(ratings, dict):
                grid[key] = ratings
                continue
            row = {}
            for point, rating in ratings.items():
                if isinstance(rating, str) and whole_number(rating.strip()) is not None:
                    rating = int(rating)
                row[point] = rating
            grid[key] = row
        return grid

    def validate(self, value: Any) -> None:
        super().validate(value)
        errors = m.impact_errors(value)
        if errors:
            raise forms.ValidationError(errors)


class ImpactAnalysisForm(RecordForm):
    impacts = ImpactGridField(
        label="Impact over time",
        required=False,
        help_text=m.ImpactAnalysis._meta.get_field("impacts").help_text,
    )

    class Meta:
        model = m.ImpactAnalysis
        fields = [
            "service",
            "owner_department",
            "status",
            "mission_essential",
            "essential_function",
            "impacts",
            "mtd_hours",
            "rto_hours",
            "rpo_hours",
            "peak_periods",
            "minimum_staff",
            "alternate_locations",
            "manual_workarounds",
            "vital_records",
            "reviewed_on",
            "notes",
        ]
        widgets = {"service": PickOne, "reviewed_on": DateInput}
        help_texts = {"owner_department": "Leave blank: it is the service's department."}


class RecoveryCapabilityForm(RecordForm):
    procedure_link = forms.URLField(
        label="Recovery procedure",
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text="Address of the written procedure for bringing this back.",
    )

    class Meta:
        model = m.RecoveryCapability
        fields = [
            "system",
            "component",
            "owner_department",
            "backup_frequency_hours",
            "restore_hours",
            "last_restore_test",
            "recovery_site",
            "procedure_link",
            "rto_hours",
            "notes",
        ]
        widgets = {
            "system": PickOne,
            "component": PickOne,
            "recovery_site": PickOne,
            "last_restore_test": DateInput,
        }
        help_texts = {
            "owner_department": "Leave blank: it is the department of the system or component."
        }


class CampaignForm(RecordForm):
    class Meta:
        model = m.Campaign
        fields = ["name", "due_on", "departments", "instructions", "notes"]
        widgets = {"due_on": DateInput, "departments": forms.CheckboxSelectMultiple}


class CampaignRequestForm(RecordForm):
    class Meta:
        model = m.CampaignRequest
        fields = ["notes"]


class RecoveryPlanForm(RecordForm):
    class Meta:
        model = m.RecoveryPlan
        fields = [
            "title",
            "purpose",
            "scope",
            "assumptions",
            "activation",
            "notification",
            "reconstitution",
            "coordinator",
            "alternate_coordinator",
            "changes",
            "notes",
        ]
        widgets = {"coordinator": PickOne, "alternate_coordinator": PickOne}


class PlanRoleForm(RecordForm):
    class Meta:
        model = m.PlanRole
        fields = ["plan", "role", "person", "alternate", "responsibilities", "order", "notes"]
        widgets = {"plan": PickOne, "person": PickOne, "alternate": PickOne}


class ExerciseForm(RecordForm):
    class Meta:
        model = m.Exercise
        fields = [
            "name",
            "kind",
            "scenario",
            "held_on",
            "narrative",
            "facilitator",
            "participants",
            "findings",
            "notes",
        ]
        widgets = {"held_on": DateInput}


class ExerciseResultForm(RecordForm):
    class Meta:
        model = m.ExerciseResult
        fields = ["exercise", "service", "measured_hours", "rto_hours", "notes"]
        widgets = {"exercise": PickOne, "service": PickOne}


class FollowUpForm(RecordForm):
    class Meta:
        model = m.FollowUp
        fields = [
            "exercise",
            "title",
            "detail",
            "service",
            "owner_department",
            "owner",
            "due_on",
            "status",
            "done_on",
            "notes",
        ]
        widgets = {
            "exercise": PickOne,
            "service": PickOne,
            "owner": PickOne,
            "due_on": DateInput,
            "done_on": DateInput,
        }
