from townhall.core.forms import RecordForm
from townhall.shadowit import models as m


class PurchaseForm(RecordForm):
    # The merchant it was read as: the merchant job writes it.
    read_only = ("merchant_key",)

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
            "merchant_key",
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


class MerchantForm(RecordForm):
    # Worked out from the purchases by the merchant job; its status moves by triage.
    read_only = (
        "domain",
        "processor",
        "category",
        "confidence",
        "why",
        "first_seen",
        "last_seen",
        "total_spend",
        "purchases",
        "users",
        "last_sign_in",
    )

    class Meta:
        model = m.Merchant
        fields = [
            "key",
            "name",
            "domain",
            "processor",
            "category",
            "confidence",
            "why",
            "vendor",
            "tool_kind",
            "system",
            "sign_in_application",
            "users",
            "last_sign_in",
            "security_reviewed_on",
            "first_seen",
            "last_seen",
            "total_spend",
            "purchases",
            "notes",
        ]


class MerchantRuleForm(RecordForm):
    class Meta:
        model = m.MerchantRule
        fields = ["name", "match", "pattern", "category", "active", "notes"]


class SubscriptionForm(RecordForm):
    # Found again by the merchant job, which overwrites these on every run it touches the
    # merchant: shown, not edited, once the subscription exists (only its notes are
    # people's). A new one may still be entered by hand, so every field is open on the add
    # form.
    worked_out = (
        "merchant",
        "department",
        "cadence",
        "first_charge",
        "typical_amount",
        "last_charge",
        "next_expected",
        "annual_cost",
        "lapsed",
        "why",
    )

    def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            for name in self.worked_out:
                if name in self.fields:
                    self.fields[name].disabled = True

    class Meta:
        model = m.Subscription
        fields = [
            "merchant",
            "department",
            "cadence",
            "first_charge",
            "typical_amount",
            "last_charge",
            "next_expected",
            "annual_cost",
            "lapsed",
            "why",
            "notes",
        ]


class MerchantAnswerForm(RecordForm):
    class Meta:
        model = m.MerchantAnswer
        fields = ["merchant", "owner_department", "purpose", "resident_data", "notes"]
