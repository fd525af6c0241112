from townhall.core.forms import RecordForm
from townhall.shadowit import models as m


class PurchaseForm(RecordForm):
    class Meta:
        model = m.Purchase
        fields = [
            "paid_by",
            "purchased_on",
            "descriptor",
            "amount",
            "currency",
            "mcc",
            "cardholder",
            "owner_department",
            "description",
            "reference",
            "external_id",
            "notes",
        ]


class SignInAppForm(RecordForm):
    class Meta:
        model = m.SignInApp
        fields = [
            "application",
            "username",
            "owner_department",
            "last_sign_in",
            "system",
            "external_id",
            "notes",
        ]


class DomainUseForm(RecordForm):
    class Meta:
        model = m.DomainUse
        fields = [
            "domain",
            "requests",
            "users",
            "period_start",
            "period_end",
            "owner_department",
            "external_id",
            "notes",
        ]
