import django_filters

from townhall.core.filters import RecordFilterSet
from townhall.cyber import models as m
from townhall.org.models import Department


def _dept() -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name="owner_department", queryset=Department.objects.all(), label="Department"
    )


def _choice(field: m.models.Field) -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(choices=field.choices)


class FrameworkFilterSet(RecordFilterSet):
    class Meta:
        model = m.Framework
        fields = ["key"]


class RequirementFilterSet(RecordFilterSet):
    assessable = django_filters.BooleanFilter(label="Scored in assessments")
    withdrawn = django_filters.BooleanFilter()

    class Meta:
        model = m.Requirement
        fields = ["framework", "level", "assessable", "withdrawn"]


class RequirementMappingFilterSet(RecordFilterSet):
    source__framework = django_filters.ModelChoiceFilter(
        queryset=m.Framework.objects.all(), label="From framework"
    )
    target__framework = django_filters.ModelChoiceFilter(
        queryset=m.Framework.objects.all(), label="To framework"
    )

    class Meta:
        model = m.RequirementMapping
        fields = ["source__framework", "target__framework", "relation"]


class AssessmentFilterSet(RecordFilterSet):
    class Meta:
        model = m.Assessment
        fields = ["framework", "year", "status"]


class ScoreFilterSet(RecordFilterSet):
    level = django_filters.NumberFilter()
    below = django_filters.NumberFilter(field_name="level", lookup_expr="lt", label="Level below")

    class Meta:
        model = m.Score
        fields = ["assessment", "level", "below", "not_applicable"]


class EvidenceFilterSet(RecordFilterSet):
    expires_before = django_filters.DateFilter(
        field_name="expires", lookup_expr="lt", label="Expires before"
    )

    class Meta:
        model = m.Evidence
        fields = ["expires_before"]


class RiskFilterSet(RecordFilterSet):
    owner_department = _dept()
    status = _choice(m.Risk._meta.get_field("status"))
    treatment = _choice(m.Risk._meta.get_field("treatment"))
    due_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lt", label="Due before"
    )

    class Meta:
        model = m.Risk
        fields = ["owner_department", "status", "treatment", "due_before"]


class IncidentFilterSet(RecordFilterSet):
    owner_department = _dept()
    severity = _choice(m.Incident._meta.get_field("severity"))
    kind = _choice(m.Incident._meta.get_field("kind"))
    year = django_filters.NumberFilter(field_name="detected", lookup_expr="year", label="Year")

    class Meta:
        model = m.Incident
        fields = ["owner_department", "severity", "kind", "year"]


class CourseFilterSet(RecordFilterSet):
    class Meta:
        model = m.Course
        fields = ["required"]


class TrainingCompletionFilterSet(RecordFilterSet):
    department = django_filters.ModelChoiceFilter(
        field_name="person__owner_department",
        queryset=Department.objects.all(),
        label="Department",
    )
    after = django_filters.DateFilter(
        field_name="completed_on", lookup_expr="gte", label="Completed on or after"
    )

    class Meta:
        model = m.TrainingCompletion
        fields = ["course", "department", "after"]


class FeedImportFilterSet(RecordFilterSet):
    class Meta:
        model = m.FeedImport
        fields = ["kind"]


class KnownVulnerabilityFilterSet(RecordFilterSet):
    ransomware = django_filters.BooleanFilter(label="Used in ransomware")
    added_after = django_filters.DateFilter(
        field_name="date_added", lookup_expr="gte", label="Added on or after"
    )

    class Meta:
        model = m.KnownVulnerability
        fields = ["ransomware", "added_after"]


class ProductReleaseFilterSet(RecordFilterSet):
    class Meta:
        model = m.ProductRelease
        fields = ["product", "lts"]


class ProductAliasFilterSet(RecordFilterSet):
    class Meta:
        model = m.ProductAlias
        fields = ["kind"]


class ExposureFilterSet(RecordFilterSet):
    kind = _choice(m.Exposure._meta.get_field("kind"))
    status = _choice(m.Exposure._meta.get_field("status"))
    ransomware = django_filters.BooleanFilter(label="Used in ransomware")
    due_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lt", label="Due before"
    )

    class Meta:
        model = m.Exposure
        fields = ["kind", "status", "ransomware", "due_before"]


class ActionFilterSet(RecordFilterSet):
    source = _choice(m.Action._meta.get_field("source"))
    status = _choice(m.Action._meta.get_field("status"))
    due_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lt", label="Due before"
    )

    class Meta:
        model = m.Action
        fields = ["source", "status", "due_before"]


class CoverageFilterSet(RecordFilterSet):
    performer = _choice(m.Coverage._meta.get_field("performer"))

    class Meta:
        model = m.Coverage
        fields = ["performer"]


class InsuranceAnswerFilterSet(RecordFilterSet):
    class Meta:
        model = m.InsuranceAnswer
        fields = ["answer"]
