from typing import Any

from django import forms
from django.utils import timezone

from townhall.core.forms import DateInput, RecordForm, style_fields
from townhall.core.widgets import PickOne
from townhall.estate.models import Person
from townhall.people import models as m


class TeamForm(RecordForm):
    class Meta:
        model = m.Team
        fields = [
            "name",
            "parent",
            "placement",
            "owner_department",
            "purpose",
            "operations_share",
            "external_id",
            "notes",
        ]


class PositionForm(RecordForm):
    class Meta:
        model = m.Position
        fields = [
            "title",
            "grade",
            "team",
            "funded",
            "person",
            "vacant_since",
            "placement",
            "owner_department",
            "reports_to",
            "fte",
            "skill_pool",
            "available_hours",
            "fill_planned",
            "external_id",
            "notes",
        ]


class OperatingModelForm(RecordForm):
    class Meta:
        model = m.OperatingModel
        fields = ["owner_department", "model", "as_of", "rationale", "notes"]


class SkillForm(RecordForm):
    class Meta:
        model = m.Skill
        fields = [
            "code",
            "name",
            "kind",
            "description",
            "source",
            "systems",
            "components",
            "external_id",
            "notes",
        ]


class ProficiencyForm(RecordForm):
    class Meta:
        model = m.Proficiency
        fields = ["person", "skill", "level", "assessed_on", "notes"]


class CertificationForm(RecordForm):
    class Meta:
        model = m.Certification
        fields = ["person", "name", "issuer", "earned", "expires", "external_id", "notes"]


class CapacitySettingsForm(RecordForm):
    class Meta:
        model = m.CapacitySettings
        fields = ["hours_per_fte", "operations_share", "notes"]


class StaffRecordForm(RecordForm):
    class Meta:
        model = m.StaffRecord
        fields = [
            "person",
            "retirement_eligible_on",
            "annual_pay",
            "performance_rating",
            "reviewed_on",
            "external_id",
            "notes",
        ]


class RequisitionForm(RecordForm):
    # The stage moves only by the buttons on the requisition's page
    # (`services.move_requisition`): an edit shows it held (the model's `transitions`, see
    # core.forms.hold_states); a new requisition, or an import of history, may start at any.

    class Meta:
        model = m.Requisition
        fields = [
            "title",
            "kind",
            "position",
            "team",
            "owner_department",
            "stage",
            "openings",
            "skills",
            "opened_on",
            "approved_on",
            "posted_on",
            "offer_on",
            "filled_on",
            "closed_on",
            "applicants",
            "interviewed",
            "hired",
            "external_id",
            "notes",
        ]
        widgets = {"hired": PickOne}


class DeclinedOfferForm(RecordForm):
    class Meta:
        model = m.DeclinedOffer
        fields = ["requisition", "declined_on", "reason", "note", "notes"]


class MarketRateForm(RecordForm):
    class Meta:
        model = m.MarketRate
        fields = ["name", "market_pay", "source", "as_of", "external_id", "notes"]


class StageMoveForm(forms.Form):
    """The day a requisition reaches its next stage and, when it is filled, who was hired
    (people the reader may see)."""

    day = forms.DateField(label="On", widget=DateInput(), help_text="The day it reached the stage.")
    hired: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="Hired person (when filling)",
        help_text="Fills the requisition's position with this person, if it has one.",
        widget=PickOne,
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"day": timezone.localdate()})
        super().__init__(*args, **kwargs)
        people = Person.objects.all()
        hired = self.fields["hired"]
        assert isinstance(hired, forms.ModelChoiceField)
        hired.queryset = people.restrict(user, "view") if user else people.none()
        hired.widget.choices = hired.choices  # the picker reads its queryset through these
        style_fields(self.fields.values())


class TrainingPlanForm(RecordForm):
    class Meta:
        model = m.TrainingPlan
        fields = [
            "person",
            "skill",
            "system",
            "component",
            "starting_level",
            "target_level",
            "due",
            "how",
            "status",
            "met_on",
            "external_id",
            "notes",
        ]
