import django_filters

from townhall.continuity import models as m
from townhall.core.filters import RecordFilterSet
from townhall.org.models import Department


def _dept() -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name="owner_department", queryset=Department.objects.all(), label="Department"
    )


class ImpactAnalysisFilterSet(RecordFilterSet):
    owner_department = _dept()
    mission_essential = django_filters.BooleanFilter()

    class Meta:
        model = m.ImpactAnalysis
        fields = ["owner_department", "status", "essential_function", "mission_essential"]


class RecoveryCapabilityFilterSet(RecordFilterSet):
    owner_department = _dept()
    tested = django_filters.BooleanFilter(
        field_name="last_restore_test", lookup_expr="isnull", exclude=True, label="Restore tested"
    )

    class Meta:
        model = m.RecoveryCapability
        fields = ["owner_department", "tested"]
