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
