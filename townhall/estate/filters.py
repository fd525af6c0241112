import django_filters
from django import forms
from django.db.models import Q, QuerySet

from townhall.core.filters import RecordFilterSet, department_filter
from townhall.estate import models as m


class PersonFilterSet(RecordFilterSet):
    owner_department = department_filter()
    is_it_staff = django_filters.BooleanFilter(label="IT staff")

    class Meta:
        model = m.Person
        fields = ["owner_department", "is_it_staff"]


class LocationFilterSet(RecordFilterSet):
    kind = django_filters.ChoiceFilter(choices=m.Location.Kind.choices)

    class Meta:
        model = m.Location
        fields = ["kind"]


class VendorFilterSet(RecordFilterSet):
    class Meta:
        model = m.Vendor
        fields: list[str] = []


class ServiceFilterSet(RecordFilterSet):
    owner_department = department_filter()
    audience = django_filters.ChoiceFilter(choices=m.Service.Audience.choices)

    class Meta:
        model = m.Service
        fields = ["owner_department", "audience"]


class SystemFilterSet(RecordFilterSet):
    owner_department = department_filter()
    lifecycle = django_filters.ChoiceFilter(choices=m.System.Lifecycle.choices)
    hosting = django_filters.ChoiceFilter(choices=m.System.Hosting.choices)
    criticality = django_filters.ChoiceFilter(
        choices=[(i, f"Tier {i}") for i in range(1, 5)], label="Criticality tier"
    )
    criticality_missing = django_filters.BooleanFilter(
        field_name="criticality", lookup_expr="isnull", label="Tier not set"
    )
    vendor = django_filters.ModelChoiceFilter(queryset=m.Vendor.objects.all())
    support_state = django_filters.ChoiceFilter(
        choices=m.SupportState.choices, label="Support status"
    )
    end_of_support_after = django_filters.DateFilter(
        field_name="end_of_support", lookup_expr="gte", label="End of support on or after"
    )
    end_of_support_before = django_filters.DateFilter(
        field_name="end_of_support", lookup_expr="lt", label="End of support before"
    )
    sanctioned = django_filters.BooleanFilter(label="Known to IT")
    discovered_outside_it = django_filters.BooleanFilter(label="Discovered outside IT")
    time_disposition = django_filters.ChoiceFilter(
        choices=m.System.Disposition.choices, label="TIME disposition"
    )
    without_owner = django_filters.BooleanFilter(
        method="filter_without_owner", label="Missing a business or technical owner"
    )

    class Meta:
        model = m.System
        fields = [
            "owner_department",
            "lifecycle",
            "hosting",
            "criticality",
            "criticality_missing",
            "vendor",
            "support_state",
            "end_of_support_after",
            "end_of_support_before",
            "sanctioned",
            "discovered_outside_it",
            "time_disposition",
            "without_owner",
        ]

    def filter_without_owner(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        missing = Q(business_owner__isnull=True) | Q(technical_owner__isnull=True)
        if value is None:
            return queryset
        return queryset.filter(missing) if value else queryset.exclude(missing)


class ComponentFilterSet(RecordFilterSet):
    owner_department = department_filter()
    kind = django_filters.ChoiceFilter(choices=m.Component.Kind.choices)
    status = django_filters.ChoiceFilter(choices=m.Component.Status.choices)
    location = django_filters.ModelChoiceFilter(queryset=m.Location.objects.all())
    support_state = django_filters.ChoiceFilter(
        choices=m.SupportState.choices, label="Support status"
    )
    end_of_support_after = django_filters.DateFilter(
        field_name="end_of_support", lookup_expr="gte", label="End of support on or after"
    )
    end_of_support_before = django_filters.DateFilter(
        field_name="end_of_support", lookup_expr="lt", label="End of support before"
    )

    class Meta:
        model = m.Component
        fields = [
            "owner_department",
            "kind",
            "status",
            "location",
            "support_state",
            "end_of_support_after",
            "end_of_support_before",
        ]


class ContractFilterSet(RecordFilterSet):
    owner_department = department_filter()
    vendor = django_filters.ModelChoiceFilter(queryset=m.Vendor.objects.all())
    kind = django_filters.ChoiceFilter(choices=m.Contract.Kind.choices)
    ends_before = django_filters.DateFilter(field_name="end", lookup_expr="lt", label="Ends before")
    notice_after = django_filters.DateFilter(
        field_name="notice_deadline", lookup_expr="gte", label="Notice due on or after"
    )
    notice_before = django_filters.DateFilter(
        field_name="notice_deadline", lookup_expr="lte", label="Notice due on or before"
    )

    class Meta:
        model = m.Contract
        fields = [
            "owner_department",
            "vendor",
            "kind",
            "ends_before",
            "notice_after",
            "notice_before",
        ]


class RedundancyGroupFilterSet(RecordFilterSet):
    owner_department = department_filter()

    class Meta:
        model = m.RedundancyGroup
        fields = ["owner_department"]


class IdFilter(django_filters.NumberFilter):
    """A record's id: a whole number a database key can hold (anything else is refused)."""

    field_class = forms.IntegerField


def _end_filter(side: str, end: str) -> IdFilter:
    """The dependencies of one record, by its id: the "see all" link of a record's page."""
    return IdFilter(
        field_name=f"{side}_{end}",
        label=f"{'What depends' if side == 'from' else 'On what'} ({end} id)",
        widget=forms.HiddenInput,
        min_value=1,
        max_value=2**63 - 1,
    )


class DependencyFilterSet(RecordFilterSet):
    kind = django_filters.ChoiceFilter(choices=m.Dependency.Kind.choices)
    from_service = _end_filter("from", "service")
    from_system = _end_filter("from", "system")
    from_component = _end_filter("from", "component")
    to_service = _end_filter("to", "service")
    to_system = _end_filter("to", "system")
    to_component = _end_filter("to", "component")
    to_group = _end_filter("to", "group")

    class Meta:
        model = m.Dependency
        fields = ["kind"]
