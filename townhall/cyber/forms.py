from django import forms

from townhall.core.forms import DateInput, DateTimeInput, RecordForm
from townhall.core.widgets import PickMany, PickOne
from townhall.cyber import models as m


def _dates(*names: str) -> dict:
    return {name: DateInput for name in names}


def _pick(*names: str, many: bool = False) -> dict:
    return {name: PickMany if many else PickOne for name in names}


class FrameworkForm(RecordForm):
    class Meta:
        model = m.Framework
        fields = ["name", "key", "release", "publisher", "description", "official_text", "notes"]


class RequirementForm(RecordForm):
    class Meta:
        model = m.Requirement
        fields = [
            "framework",
            "parent",
            "identifier",
            "level",
            "title",
            "description",
            "examples",
            "assessable",
            "withdrawn",
            "sort_key",
            "notes",
        ]
        widgets = _pick("parent")


class RequirementMappingForm(RecordForm):
    class Meta:
        model = m.RequirementMapping
        fields = ["source", "target", "relation", "notes"]
        widgets = _pick("source", "target")


class AssessmentForm(RecordForm):
    class Meta:
        model = m.Assessment
        fields = [
            "name",
            "framework",
            "year",
            "status",
            "target",
            "lead",
            "previous",
            "completed_on",
            "notes",
        ]
        widgets = {**_dates("completed_on"), **_pick("lead")}


class ScoreForm(RecordForm):
    class Meta:
        model = m.Score
        fields = ["assessment", "requirement", "level", "not_applicable", "responsible", "notes"]
        widgets = _pick("requirement", "responsible")


class EvidenceForm(RecordForm):
    link = forms.URLField(required=False, assume_scheme="https", max_length=500)

    class Meta:
        model = m.Evidence
        fields = [
            "title",
            "file",
            "link",
            "owner",
            "effective_date",
            "expires",
            "requirements",
            "notes",
        ]
        widgets = {**_dates("effective_date", "expires"), **_pick("owner")}
        widgets["requirements"] = PickMany


class RiskForm(RecordForm):
    class Meta:
        model = m.Risk
        fields = [
            "title",
            "description",
            "owner_department",
            "systems",
            "services",
            "requirements",
            "inherent_likelihood",
            "inherent_impact",
            "residual_likelihood",
            "residual_impact",
            "treatment",
            "treatment_plan",
            "owner",
            "due_date",
            "status",
            "approver",
            "acceptance_expires",
            "notes",
        ]
        widgets = {
            **_dates("due_date", "acceptance_expires"),
            **_pick("owner", "approver"),
            **_pick("systems", "services", "requirements", many=True),
        }


class IncidentForm(RecordForm):
    class Meta:
        model = m.Incident
        fields = [
            "title",
            "summary",
            "owner_department",
            "severity",
            "kind",
            "began",
            "detected",
            "contained",
            "eradicated",
            "recovered",
            "systems",
            "services",
            "risks",
            "reported_ms_isac",
            "reported_state",
            "reported_insurer",
            "reported_law_enforcement",
            "lessons_learned",
            "notes",
        ]
        help_texts = {
            "began": "When it started, if known (often found out later).",
            "detected": "When someone first noticed it. The stages go in this order: began, "
            "detected, contained, eradicated, recovered; leave a later one empty until it happens.",
            "contained": "When it was stopped from spreading.",
            "eradicated": "When its cause was removed (malware cleaned, access closed).",
            "recovered": "When work was back to normal. Until then the incident counts as open.",
        }
        widgets = {
            **{name: DateTimeInput for name in m.Incident.STAGES},
            **{
                name: DateTimeInput
                for name in (
                    "reported_ms_isac",
                    "reported_state",
                    "reported_insurer",
                    "reported_law_enforcement",
                )
            },
            **_pick("systems", "services", "risks", many=True),
        }


class CourseForm(RecordForm):
    class Meta:
        model = m.Course
        fields = ["name", "code", "provider", "required", "renewal_months", "notes"]


class TrainingCompletionForm(RecordForm):
    class Meta:
        model = m.TrainingCompletion
        fields = ["person", "course", "completed_on", "notes"]
        widgets = {**_dates("completed_on"), **_pick("person")}


class FeedImportForm(RecordForm):
    class Meta:
        model = m.FeedImport
        fields = ["kind", "feed_version", "released", "entries", "file_name", "notes"]
        widgets = {"released": DateTimeInput}


class KnownVulnerabilityForm(RecordForm):
    class Meta:
        model = m.KnownVulnerability
        fields = [
            "cve_id",
            "vendor_project",
            "product",
            "name",
            "short_description",
            "required_action",
            "date_added",
            "due_date",
            "ransomware",
            "feed_notes",
            "notes",
        ]
        widgets = _dates("date_added", "due_date")


class CveRecordForm(RecordForm):
    class Meta:
        model = m.CveRecord
        fields = ["cve_id", "date_updated", "affected", "notes"]


class ProductReleaseForm(RecordForm):
    class Meta:
        model = m.ProductRelease
        fields = [
            "product",
            "label",
            "cycle",
            "release_date",
            "support_ends",
            "end_of_life",
            "end_of_life_passed",
            "latest",
            "lts",
            "notes",
        ]
        widgets = _dates("release_date", "support_ends", "end_of_life")


class ProductAliasForm(RecordForm):
    class Meta:
        model = m.ProductAlias
        fields = ["kind", "estate_name", "feed_vendor", "feed_product", "eol_product", "notes"]


class ExposureForm(RecordForm):
    # Matching writes the installed-version verdict each time it runs; an edit would be
    # overwritten, so the form shows it and nobody sets it.
    read_only = ("version_status", "version_reason")

    class Meta:
        model = m.Exposure
        fields = [
            "kind",
            "system",
            "component",
            "vulnerability",
            "release",
            "matched_on",
            "version_status",
            "version_reason",
            "due_date",
            "ransomware",
            "status",
            "notes",
        ]
        widgets = {
            **_dates("due_date"),
            **_pick("system", "component", "vulnerability", "release"),
        }


class ActionForm(RecordForm):
    class Meta:
        model = m.Action
        fields = [
            "title",
            "source",
            "requirement",
            "assessment",
            "risk",
            "exposure",
            "owner",
            "due_date",
            "cost",
            "status",
            "milestones",
            "notes",
        ]
        widgets = {
            **_dates("due_date"),
            **_pick("requirement", "risk", "exposure", "owner"),
        }


class CoverageForm(RecordForm):
    class Meta:
        model = m.Coverage
        fields = ["function", "performer", "provider", "contact", "hours", "order", "notes"]
        widgets = _pick("contact")


def _insurance_questions() -> list[tuple[str, str]]:
    # Read when the form is built: cyber/insurance.py imports the models this module uses.
    from townhall.cyber.insurance import QUESTIONS

    return [(q.slug, q.text) for q in QUESTIONS]


class InsuranceAnswerForm(RecordForm):
    question = forms.ChoiceField(choices=_insurance_questions, label="Question")

    class Meta:
        model = m.InsuranceAnswer
        fields = ["question", "answer", "evidence", "notes"]
        widgets = _pick("evidence")
