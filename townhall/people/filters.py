import django_filters
from django.utils import timezone

from townhall.core.filters import RecordFilterSet, department_filter
from townhall.estate.filters import IdFilter
from townhall.people import models as m


def _id(label: str, field_name: str | None = None) -> IdFilter:
    """A record's id, as the "see all" links of a record's page use it."""
    extra = {"field_name": field_name} if field_name else {}
    return IdFilter(label=label, min_value=1, max_value=2**63 - 1, **extra)


def _vacant(queryset, name, value):  # noqa: ANN001, ANN202
    if value is None:
        return queryset
    return queryset.filter(person__isnull=value)


class TeamFilterSet(RecordFilterSet):
    owner_department = department_filter()
    placement = django_filters.ChoiceFilter(choices=m.Placement.choices)
    parent = _id("Part of (team id)")

    class Meta:
        model = m.Team
        fields = ["owner_department", "placement", "parent"]


class PositionFilterSet(RecordFilterSet):
    owner_department = department_filter()
    placement = django_filters.ChoiceFilter(choices=m.Placement.choices)
    team = _id("Team (id)")
    person = _id("Filled by (person id)")
    funded = django_filters.BooleanFilter()
    vacant = django_filters.BooleanFilter(method=_vacant, label="Vacant")

    class Meta:
        model = m.Position
        fields = ["owner_department", "placement", "team", "person", "funded", "vacant"]


class OperatingModelFilterSet(RecordFilterSet):
    owner_department = department_filter()
    model = django_filters.ChoiceFilter(choices=m.OperatingModel.Model.choices)

    class Meta:
        model = m.OperatingModel
        fields = ["owner_department", "model"]


class SkillFilterSet(RecordFilterSet):
    kind = django_filters.ChoiceFilter(choices=m.Skill.Kind.choices)
    system = _id("Needed by system (id)", "systems")
    component = _id("Needed by component (id)", "components")

    class Meta:
        model = m.Skill
        fields = ["kind", "system", "component"]


class ProficiencyFilterSet(RecordFilterSet):
    person = _id("Person (id)")
    skill = _id("Skill (id)")
    level = django_filters.ChoiceFilter(choices=m.LEVELS)
    at_least = IdFilter(
        field_name="level", lookup_expr="gte", label="Level at least", min_value=0, max_value=4
    )

    class Meta:
        model = m.Proficiency
        fields = ["person", "skill", "level", "at_least"]


class CertificationFilterSet(RecordFilterSet):
    person = _id("Person (id)")
    expires_before = django_filters.DateFilter(
        field_name="expires", lookup_expr="lte", label="Expires on or before"
    )

    class Meta:
        model = m.Certification
        fields = ["person", "expires_before"]


class StaffRecordFilterSet(RecordFilterSet):
    person = _id("Person (id)")
    retiring_before = django_filters.DateFilter(
        field_name="retirement_eligible_on",
        lookup_expr="lte",
        label="Eligible to retire on or before",
    )

    class Meta:
        model = m.StaffRecord
        fields = ["person", "retiring_before", "performance_rating"]


class RequisitionFilterSet(RecordFilterSet):
    owner_department = department_filter()
    kind = django_filters.ChoiceFilter(choices=m.Requisition.Kind.choices)
    stage = django_filters.ChoiceFilter(choices=m.Requisition.Stage.choices)
    team = _id("Team (id)")
    position = _id("Position (id)")
    opened_after = django_filters.DateFilter(
        field_name="opened_on", lookup_expr="gte", label="Opened on or after"
    )

    class Meta:
        model = m.Requisition
        fields = ["owner_department", "kind", "stage", "team", "position", "opened_after"]


class DeclinedOfferFilterSet(RecordFilterSet):
    requisition = _id("Requisition (id)")
    reason = django_filters.ChoiceFilter(choices=m.DeclinedOffer.Reason.choices)
    declined_after = django_filters.DateFilter(
        field_name="declined_on", lookup_expr="gte", label="Declined on or after"
    )

    class Meta:
        model = m.DeclinedOffer
        fields = ["requisition", "reason", "declined_after"]


class MarketRateFilterSet(RecordFilterSet):
    class Meta:
        model = m.MarketRate
        fields: list[str] = []


def _overdue(queryset, name, value):  # noqa: ANN001, ANN202
    if value is None:
        return queryset
    late = {"status": m.TrainingPlan.Status.OPEN, "due__lt": timezone.localdate()}
    return queryset.filter(**late) if value else queryset.exclude(**late)


class TrainingPlanFilterSet(RecordFilterSet):
    person = _id("Who is trained (person id)")
    skill = _id("Skill (id)")
    system = _id("System (id)")
    component = _id("Component (id)")
    status = django_filters.ChoiceFilter(choices=m.TrainingPlan.Status.choices)
    overdue = django_filters.BooleanFilter(method=_overdue, label="Overdue")
    due_before = django_filters.DateFilter(
        field_name="due", lookup_expr="lte", label="Due on or before"
    )

    class Meta:
        model = m.TrainingPlan
        fields = ["person", "skill", "system", "component", "status", "overdue", "due_before"]
