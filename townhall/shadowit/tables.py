from townhall.core.tables import Column, Table
from townhall.shadowit import models as m


class PurchaseTable(Table):
    model = m.Purchase
    columns = [
        Column("purchased_on", link=True, label="Date"),
        Column("descriptor", label="Merchant as printed"),
        Column("amount"),
        Column("currency"),
        Column("mcc", label="MCC"),
        Column("cardholder", label="Cardholder or requester"),
        Column("owner_department", label="Department"),
        Column("paid_by", label="Paid by"),
    ]


class SignInAppTable(Table):
    model = m.SignInApp
    columns = [
        Column("application", link=True),
        Column("username", label="User"),
        Column("owner_department", label="Department"),
        Column("last_sign_in", label="Last sign-in"),
        Column("system", label="Sign-in system"),
    ]


class DomainUseTable(Table):
    model = m.DomainUse
    columns = [
        Column("domain", link=True),
        Column("requests"),
        Column("users", label="Users or clients"),
        Column("period_start", label="From"),
        Column("period_end", label="To"),
        Column("owner_department", label="Department"),
    ]


class MerchantTable(Table):
    model = m.Merchant
    columns = [
        Column("name", link=True),
        Column("category"),
        Column("status", label="Triage"),
        Column("total_spend", label="Spend"),
        Column("purchases", label="Purchases"),
        Column("last_seen", label="Last purchase"),
        Column("vendor", label="Estate vendor"),
    ]


class MerchantRuleTable(Table):
    model = m.MerchantRule
    columns = [
        Column("name", link=True),
        Column("match", label="Match by"),
        Column("pattern"),
        Column("category"),
        Column("active"),
    ]


class SubscriptionTable(Table):
    model = m.Subscription
    columns = [
        Column("merchant", link=True),
        Column("department"),
        Column("cadence"),
        Column("typical_amount", label="Amount"),
        Column("last_charge", label="Last charge"),
        Column("next_expected", label="Next charge expected"),
        Column("annual_cost", label="Yearly cost"),
        Column("lapsed"),
    ]


class MerchantAnswerTable(Table):
    model = m.MerchantAnswer
    columns = [
        Column("merchant", link=True),
        Column("owner_department", label="Department"),
        Column("resident_data", label="Holds residents' data"),
        Column("purpose", label="What it is for"),
    ]
