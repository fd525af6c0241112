"""One form per register record: the fields people edit."""

from townhall.core.forms import DateInput, RecordForm
from townhall.core.widgets import PickMany, PickOne
from townhall.registers import models as m

# --- Innovation pilots and emerging technology ---


class PilotForm(RecordForm):
    class Meta:
        model = m.Pilot
        fields = [
            "title",
            "technology",
            "description",
            "stage",
            "idea_on",
            "pilot_on",
            "evaluation_on",
            "scaled_on",
            "stopped_on",
            "owner_department",
            "vendor",
            "data_collected",
            "personal_data",
            "evaluation_criteria",
            "results",
            "systems",
            "components",
            "review_owner",
            "last_reviewed_on",
            "next_review_on",
            "notes",
        ]
        labels = {"owner_department": "Sponsor department"}
        widgets = {
            "vendor": PickOne,
            "systems": PickMany,
            "components": PickMany,
            "review_owner": PickOne,
            "idea_on": DateInput,
            "pilot_on": DateInput,
            "evaluation_on": DateInput,
            "scaled_on": DateInput,
            "stopped_on": DateInput,
            "last_reviewed_on": DateInput,
            "next_review_on": DateInput,
        }


class SurveillanceReviewForm(RecordForm):
    class Meta:
        model = m.SurveillanceReview
        fields = [
            "pilot",
            "system",
            "owner_department",
            "collected",
            "retention",
            "access",
            "community_input",
            "community_input_on",
            "decision",
            "conditions",
            "decided_on",
            "review_owner",
            "last_reviewed_on",
            "next_review_on",
            "notes",
        ]
        widgets = {
            "pilot": PickOne,
            "system": PickOne,
            "review_owner": PickOne,
            "community_input_on": DateInput,
            "decided_on": DateInput,
            "last_reviewed_on": DateInput,
            "next_review_on": DateInput,
        }


class ReadinessAssessmentForm(RecordForm):
    read_only = ("answers",)

    class Meta:
        model = m.ReadinessAssessment
        fields = [
            "title",
            "technology",
            "assessed_on",
            "pilot",
            "owner_department",
            "answers",
            "review_owner",
            "last_reviewed_on",
            "next_review_on",
            "notes",
        ]
        widgets = {
            "pilot": PickOne,
            "review_owner": PickOne,
            "assessed_on": DateInput,
            "last_reviewed_on": DateInput,
            "next_review_on": DateInput,
        }
