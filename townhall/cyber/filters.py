import django_filters

from townhall.core.filters import RecordFilterSet, department_filter
from townhall.cyber import models as m


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
    level = django_filters.NumberFilter(min_value=1, max_value=7)
    below = django_filters.NumberFilter(
        field_name="level", lookup_expr="lt", label="Level below", min_value=1, max_value=8
    )

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


FIVE_POINTS = [(n, str(n)) for n in range(1, 6)]
RISK_STAGES = [
    ("not_closed", "Not closed (open, in treatment or accepted)"),
    ("to_do", "Open or in treatment"),
    ("accepted", "Accepted (and not closed)"),
]


def _risk_stage(qs: m.models.QuerySet, name: str, value: str) -> m.models.QuerySet:
    live = qs.exclude(status=m.Risk.Status.CLOSED)
    if value == "to_do":
        return live.filter(status__in=[m.Risk.Status.OPEN, m.Risk.Status.IN_TREATMENT])
    if value == "accepted":
        return live.filter(
            m.models.Q(treatment=m.Risk.Treatment.ACCEPT)
            | m.models.Q(status=m.Risk.Status.ACCEPTED)
        )
    return live


def _points(label: str) -> django_filters.TypedChoiceFilter:
    return django_filters.TypedChoiceFilter(choices=FIVE_POINTS, coerce=int, label=label)


class RiskFilterSet(RecordFilterSet):
    owner_department = department_filter()
    stage = django_filters.ChoiceFilter(choices=RISK_STAGES, method=_risk_stage, label="Which")
    status = _choice(m.Risk._meta.get_field("status"))
    treatment = _choice(m.Risk._meta.get_field("treatment"))
    inherent_likelihood = _points("Likelihood before controls")
    inherent_impact = _points("Impact before controls")
    residual_likelihood = _points("Likelihood after controls")
    residual_impact = _points("Impact after controls")
    due_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lt", label="Due before"
    )
    acceptance_by = django_filters.DateFilter(
        field_name="acceptance_expires", lookup_expr="lte", label="Acceptance expires by"
    )

    class Meta:
        model = m.Risk
        fields = [
            "owner_department",
            "stage",
            "status",
            "treatment",
            "inherent_likelihood",
            "inherent_impact",
            "residual_likelihood",
            "residual_impact",
            "due_before",
            "acceptance_by",
        ]


class IncidentFilterSet(RecordFilterSet):
    owner_department = department_filter()
    severity = _choice(m.Incident._meta.get_field("severity"))
    kind = _choice(m.Incident._meta.get_field("kind"))
    year = django_filters.NumberFilter(
        field_name="detected", lookup_expr="year", label="Year", min_value=1990, max_value=2100
    )

    class Meta:
        model = m.Incident
        fields = ["owner_department", "severity", "kind", "year"]


class CourseFilterSet(RecordFilterSet):
    class Meta:
        model = m.Course
        fields = ["required"]


class TrainingCompletionFilterSet(RecordFilterSet):
    department = department_filter("person__owner_department")
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


class CveRecordFilterSet(RecordFilterSet):
    class Meta:
        model = m.CveRecord
        fields = ["cve_id"]


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
    version_status = _choice(m.Exposure._meta.get_field("version_status"))
    ransomware = django_filters.BooleanFilter(label="Used in ransomware")
    due_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lt", label="Due before"
    )

    class Meta:
        model = m.Exposure
        fields = ["kind", "status", "version_status", "ransomware", "due_before"]


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
