import django_filters

from townhall.core.filters import RecordFilterSet, department_filter
from townhall.shadowit import findings
from townhall.shadowit import models as m


def _outside_it(queryset, name, value):  # noqa: ANN001, ANN202
    """Technology purchases outside IT, as the front page counts them (`findings.py`): the
    merchant is technology and IT has neither adopted it nor marked it known."""
    if value != "outside":
        return queryset
    keys = m.Merchant.objects.filter(category__in=findings.TECHNOLOGY).exclude(
        status__in=findings.INSIDE_IT
    )
    return queryset.filter(merchant_key__in=keys.values("key"))


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
    merchant_key = django_filters.CharFilter(label="Merchant key")
    technology = django_filters.ChoiceFilter(
        choices=[("outside", "Technology bought outside IT")],
        method=_outside_it,
        label="Technology",
    )

    class Meta:
        model = m.Purchase
        fields = [
            "owner_department",
            "paid_by",
            "after",
            "before",
            "mcc",
            "merchant_key",
            "technology",
        ]


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


class MerchantFilterSet(RecordFilterSet):
    category = django_filters.ChoiceFilter(choices=m.CATEGORY_CHOICES)
    status = django_filters.ChoiceFilter(choices=m.Merchant.Status.choices, label="Triage")
    # Through the link table alone, so a merchant bought by several departments is one row.
    departments = department_filter("departments", "Department bought by")

    class Meta:
        model = m.Merchant
        fields = ["category", "status", "departments"]


class MerchantRuleFilterSet(RecordFilterSet):
    category = django_filters.ChoiceFilter(choices=m.CATEGORY_CHOICES)
    active = django_filters.BooleanFilter()

    class Meta:
        model = m.MerchantRule
        fields = ["category", "active"]


class SubscriptionFilterSet(RecordFilterSet):
    department = department_filter("department")
    cadence = django_filters.ChoiceFilter(choices=m.Subscription.Cadence.choices)
    lapsed = django_filters.BooleanFilter()

    class Meta:
        model = m.Subscription
        fields = ["department", "cadence", "lapsed"]


class MerchantAnswerFilterSet(RecordFilterSet):
    owner_department = department_filter()
    resident_data = django_filters.ChoiceFilter(
        choices=m.MerchantAnswer.ResidentData.choices, label="Holds residents' data"
    )

    class Meta:
        model = m.MerchantAnswer
        fields = ["owner_department", "resident_data"]
