import django_filters

from townhall.core.filters import RecordFilterSet, department_filter
from townhall.shadowit import models as m


class PurchaseFilterSet(RecordFilterSet):
    owner_department = department_filter()
    paid_by = django_filters.ChoiceFilter(choices=m.Purchase.PaidBy.choices, label="Paid by")
    after = django_filters.DateFilter(
        field_name="purchased_on", lookup_expr="gte", label="On or after"
    )
    before = django_filters.DateFilter(
        field_name="purchased_on", lookup_expr="lte", label="On or before"
    )
    mcc = django_filters.CharFilter(label="Merchant category code")

    class Meta:
        model = m.Purchase
        fields = ["owner_department", "paid_by", "after", "before", "mcc"]


class SignInAppFilterSet(RecordFilterSet):
    owner_department = department_filter()
    system = django_filters.ChoiceFilter(choices=m.SignInApp.System.choices)

    class Meta:
        model = m.SignInApp
        fields = ["owner_department", "system"]


class DomainUseFilterSet(RecordFilterSet):
    owner_department = department_filter()
    after = django_filters.DateFilter(
        field_name="period_start", lookup_expr="gte", label="Period starting on or after"
    )

    class Meta:
        model = m.DomainUse
        fields = ["owner_department", "after"]
