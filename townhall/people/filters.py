import django_filters

from townhall.core.filters import RecordFilterSet, department_filter
from townhall.people import models as m


def _vacant(queryset, name, value):  # noqa: ANN001, ANN202
    if value is None:
        return queryset
    return queryset.filter(person__isnull=value)


class TeamFilterSet(RecordFilterSet):
    owner_department = department_filter()
    placement = django_filters.ChoiceFilter(choices=m.Placement.choices)
    parent = django_filters.NumberFilter(label="Part of (team id)")

    class Meta:
        model = m.Team
        fields = ["owner_department", "placement", "parent"]


class PositionFilterSet(RecordFilterSet):
    owner_department = department_filter()
    placement = django_filters.ChoiceFilter(choices=m.Placement.choices)
    team = django_filters.NumberFilter(label="Team (id)")
    person = django_filters.NumberFilter(label="Filled by (person id)")
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
    system = django_filters.NumberFilter(field_name="systems", label="Needed by system (id)")
    component = django_filters.NumberFilter(
        field_name="components", label="Needed by component (id)"
    )

    class Meta:
        model = m.Skill
        fields = ["kind", "system", "component"]


class ProficiencyFilterSet(RecordFilterSet):
    person = django_filters.NumberFilter(label="Person (id)")
    skill = django_filters.NumberFilter(label="Skill (id)")
    level = django_filters.ChoiceFilter(choices=m.LEVELS)
    at_least = django_filters.NumberFilter(
        field_name="level", lookup_expr="gte", label="Level at least"
    )

    class Meta:
        model = m.Proficiency
        fields = ["person", "skill", "level", "at_least"]


class CertificationFilterSet(RecordFilterSet):
    person = django_filters.NumberFilter(label="Person (id)")
    expires_before = django_filters.DateFilter(
        field_name="expires", lookup_expr="lte", label="Expires on or before"
    )

    class Meta:
        model = m.Certification
        fields = ["person", "expires_before"]
