import django_filters

from townhall.core.filters import RecordFilterSet, department_filter
from townhall.shadowit import models as m


class PurchaseFilterSet(RecordFilterSet):
    owner_department = department_filter()
    paid_by = django_filters.ChoiceFilter(choices=m.Purchase.PaidBy.choices, label="Paid by")
    purchased_on = django_filters.DateFromToRangeFilter(label="Date")
    mcc = django_filters.CharFilter(label="Merchant category code")

    class Meta:
        model = m.Purchase
        fields = ["owner_department", "paid_by", "purchased_on", "mcc"]


class SignInAppFilterSet(RecordFilterSet):
    owner_department = department_filter()
    system = django_filters.ChoiceFilter(choices=m.SignInApp.System.choices)

    class Meta:
        model = m.SignInApp
        fields = ["owner_department", "system"]


class DomainUseFilterSet(RecordFilterSet):
    owner_department = department_filter()
    period_start = django_filters.DateFromToRangeFilter(label="Period starting")

    class Meta:
        model = m.DomainUse
        fields = ["owner_department", "period_start"]
