"""One form per register record: the fields people edit."""

from django import forms

from townhall.core.forms import DateInput, RecordForm
from townhall.core.widgets import PickMany, PickOne
from townhall.registers import models as m

# --- Social media accounts ---


class SocialAccountForm(RecordForm):
    address = forms.URLField(required=False, assume_scheme="https", max_length=500)

    class Meta:
        model = m.SocialAccount
        fields = [
            "platform",
            "handle",
            "address",
            "owner_department",
            "owner",
            "administrators",
            "multi_factor",
            "credentials_kept_in",
            "recovery_email",
            "recovery_phone",
            "recovery_phone_government",
            "recovery_person",
            "review_owner",
            "last_reviewed_on",
            "next_review_on",
            "external_id",
            "notes",
        ]


# --- AI use cases ---


class AIUseCaseForm(RecordForm):
    class Meta:
        model = m.AIUseCase
        fields = [
            "name",
            "owner_department",
            "topic_area",
            "topic_other",
            "purpose",
            "outputs",
            "stage",
            "initiated_on",
            "implemented_on",
            "retired_on",
            "high_impact",
            "high_impact_reason",
            "development",
            "vendor",
            "contract_number",
            "system",
            "public_facing",
            "personal_data",
            "privacy_assessed",
            "demographic_features",
            "testing",
            "testing_notes",
            "impact_assessment",
            "impact_assessment_notes",
            "monitoring",
            "monitoring_notes",
            "training",
            "training_notes",
            "oversight",
            "oversight_notes",
            "remedy",
            "remedy_notes",
            "feedback",
            "feedback_notes",
            "review_owner",
            "last_reviewed_on",
            "next_review_on",
            "external_id",
            "notes",
        ]
        widgets = {
            "vendor": PickOne,
            "system": PickOne,
            "review_owner": PickOne,
            "initiated_on": DateInput,
            "implemented_on": DateInput,
            "retired_on": DateInput,
            "last_reviewed_on": DateInput,
            "next_review_on": DateInput,
        }


# --- Data inventory ---------------------------------------------------------------------

_REVIEW = ["review_owner", "last_reviewed_on", "next_review_on"]


class DatasetForm(RecordForm):
    landing_page = forms.URLField(
        label="Open-data address",
        required=False,
        assume_scheme="https",
        max_length=500,
        help_text="The dataset's public page.",
    )
    license = forms.URLField(required=False, assume_scheme="https", max_length=500)

    class Meta:
        model = m.Dataset
        fields = [
            "title",
            "identifier",
            "description",
            "keywords",
            "themes",
            "owner_department",
            "steward",
            "contact_name",
            "contact_email",
            "system",
            "classification",
            "personal_data",
            "sensitive_personal_data",
            "childrens_data",
            "retention_schedule",
            "retention_years",
            "accrual_periodicity",
            "access_level",
            "rights",
            "landing_page",
            "license",
            "spatial",
            "temporal",
            "issued",
            "data_modified_on",
            *_REVIEW,
            "notes",
        ]
        widgets = {
            "steward": PickOne,
            "system": PickOne,
            "review_owner": PickOne,
            "issued": DateInput,
            "data_modified_on": DateInput,
            "last_reviewed_on": DateInput,
            "next_review_on": DateInput,
        }


class DistributionForm(RecordForm):
    download_url = forms.URLField(
        label="Download address", required=False, assume_scheme="https", max_length=500
    )
    access_url = forms.URLField(
        label="Access address", required=False, assume_scheme="https", max_length=500
    )

    class Meta:
        model = m.Distribution
        fields = [
            "dataset",
            "title",
            "description",
            "download_url",
            "access_url",
            "media_type",
            "format",
            "notes",
        ]
        widgets = {"dataset": PickOne}


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
    # The answers are given on the questionnaire page (pages/readiness.py), by the API or by
    # an import, each checked by the model; the edit form carries them through unchanged.

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
            "answers": forms.HiddenInput,
            "assessed_on": DateInput,
            "last_reviewed_on": DateInput,
            "next_review_on": DateInput,
        }


# --- Emergency communications ---

REVIEW_FIELDS = ["owner_department", "review_owner", "last_reviewed_on", "next_review_on"]
REVIEW_WIDGETS = {
    "review_owner": PickOne,
    "last_reviewed_on": DateInput,
    "next_review_on": DateInput,
}


class ContinuumAssessmentForm(RecordForm):
    class Meta:
        model = m.ContinuumAssessment
        fields = ["assessed_on", *REVIEW_FIELDS, "notes"]
        widgets = {"assessed_on": DateInput, **REVIEW_WIDGETS}


class LaneRatingForm(RecordForm):
    class Meta:
        model = m.LaneRating
        fields = ["assessment", "lane", "level", "evidence", "evidence_document", "notes"]
        widgets = {"assessment": PickOne, "evidence_document": PickOne}


class TalkgroupForm(RecordForm):
    class Meta:
        model = m.Talkgroup
        fields = [
            "name",
            "radio_system",
            "purpose",
            "encrypted",
            "identifier",
            *REVIEW_FIELDS,
            "notes",
        ]
        widgets = {"radio_system": PickOne, **REVIEW_WIDGETS}


class PartnerAgencyForm(RecordForm):
    class Meta:
        model = m.PartnerAgency
        fields = ["name", "kind", *REVIEW_FIELDS, "notes"]
        widgets = REVIEW_WIDGETS


class InteropLinkForm(RecordForm):
    class Meta:
        model = m.InteropLink
        fields = ["partner", "talkgroup", "how", "tested_on", "works", "notes"]
        widgets = {"partner": PickOne, "talkgroup": PickOne, "tested_on": DateInput}
