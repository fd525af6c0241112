import django_filters

from townhall.continuity import models as m
from townhall.core.filters import RecordFilterSet, department_filter


class ImpactAnalysisFilterSet(RecordFilterSet):
    owner_department = department_filter()
    mission_essential = django_filters.BooleanFilter()

    class Meta:
        model = m.ImpactAnalysis
        fields = ["owner_department", "status", "essential_function", "mission_essential"]


class RecoveryCapabilityFilterSet(RecordFilterSet):
    owner_department = department_filter()
    tested = django_filters.BooleanFilter(
        field_name="last_restore_test", lookup_expr="isnull", exclude=True, label="Restore tested"
    )

    class Meta:
        model = m.RecoveryCapability
        fields = ["owner_department", "tested"]


class CampaignFilterSet(RecordFilterSet):
    class Meta:
        model = m.Campaign
        fields = ["status"]


class CampaignRequestFilterSet(RecordFilterSet):
    department = department_filter("department")

    class Meta:
        model = m.CampaignRequest
        fields = ["campaign", "department"]


class RecoveryPlanFilterSet(RecordFilterSet):
    class Meta:
        model = m.RecoveryPlan
        fields = ["status"]


class PlanRoleFilterSet(RecordFilterSet):
    class Meta:
        model = m.PlanRole
        fields = ["plan"]


class ExerciseFilterSet(RecordFilterSet):
    class Meta:
        model = m.Exercise
        fields = ["kind", "scenario"]


class ExerciseResultFilterSet(RecordFilterSet):
    class Meta:
        model = m.ExerciseResult
        fields = ["exercise"]


class FollowUpFilterSet(RecordFilterSet):
    owner_department = department_filter()

    class Meta:
        model = m.FollowUp
        fields = ["exercise", "owner_department", "status"]
