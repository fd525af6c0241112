import django_filters

from townhall.core.filters import RecordFilterSet, department_filter
from townhall.estate.filters import IdFilter
from townhall.governance import models as m


class SkillPoolFilterSet(RecordFilterSet):
    class Meta:
        model = m.SkillPool
        fields: list[str] = []


class CriteriaSetFilterSet(RecordFilterSet):
    used = django_filters.BooleanFilter(
        label="Used by a budget cycle",
        field_name="cycles",
        lookup_expr="isnull",
        exclude=True,
        distinct=True,
    )

    class Meta:
        model = m.CriteriaSet
        fields = ["used"]


class CriterionFilterSet(RecordFilterSet):
    class Meta:
        model = m.Criterion
        fields = ["criteria_set"]


class BudgetCycleFilterSet(RecordFilterSet):
    status = django_filters.ChoiceFilter(choices=m.BudgetCycle.Status.choices)

    class Meta:
        model = m.BudgetCycle
        fields = ["status"]


class ProposalFilterSet(RecordFilterSet):
    cycle = django_filters.ModelChoiceFilter(
        queryset=m.BudgetCycle.objects.all(), label="Budget cycle"
    )
    owner_department = department_filter(label="Requesting department")
    status = django_filters.MultipleChoiceFilter(choices=m.Proposal.Status.choices)
    kind = django_filters.ChoiceFilter(choices=m.Proposal.Kind.choices)
    mandated = django_filters.BooleanFilter(label="Mandated")

    class Meta:
        model = m.Proposal
        fields = ["cycle", "owner_department", "status", "kind", "mandated"]


class ScenarioFilterSet(RecordFilterSet):
    cycle = django_filters.ModelChoiceFilter(
        queryset=m.BudgetCycle.objects.all(), label="Budget cycle"
    )

    class Meta:
        model = m.Scenario
        fields = ["cycle", "selected"]


# --- Project updates for residents ---


class ProjectUpdateFilterSet(RecordFilterSet):
    # A whole number a database key can hold: a larger one is refused, not a server error.
    proposal = IdFilter(
        field_name="proposal_id", label="Proposal (id)", min_value=1, max_value=2**63 - 1
    )

    class Meta:
        model = m.ProjectUpdate
        fields = ["proposal"]
