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
