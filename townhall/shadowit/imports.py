"""Shadow IT's kinds of record for the spreadsheet importer, registered by the app config.

None of them has a name, so each is found by its `natural_key`: a purchase by its
transaction reference when the file has one (`other_keys`), within its paid by and merchant
as printed (`other_keys_within`: "1001" of two payees is two invoices), else by what was paid, when,
to whom as printed, by whom, and which of the file's identical lines it is (`occurrence`:
two coffees of one day stay two); a sign-in by application, user, day and sign-in system;
a domain by the domain and the period its log covers. Importing the same month again
finds the rows it added and adds nothing.

Accounts-payable files have a kind of their own (`payable`) on the same model: every line
is a purchase paid by payables (`ImportKind.fixed`), so the file needs no "Paid by" column.
"""

from townhall.core import plugins, registry

# How people head the columns of shadow IT's own fields, in any of its kinds: card
# statements, accounts payable, Entra ID's and Okta's exports, DNS and proxy logs.
COLUMN_SPELLINGS: dict[str, tuple[str, ...]] = {
    "owner_department": (
        "cost center",
        "cost centre",
        "requesting department",
        "cardholder department",
        "user department",
    ),
}

PURCHASE_FIELDS = (
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
)
# An accounts-payable file: every line is paid by payables (`fixed`), and has no merchant
# category code.
PAYABLE_FIELDS = tuple(f for f in PURCHASE_FIELDS if f not in ("paid_by", "mcc"))
PURCHASE_KEY = ("paid_by", "purchased_on", "descriptor", "amount", "cardholder", "occurrence")

KINDS = (
    plugins.ImportKind(
        key="purchase",
        label="Purchases",
        model="shadowit.Purchase",
        order=200,
        fields=PURCHASE_FIELDS,
        natural_key=PURCHASE_KEY,
        occurrence="occurrence",
        # A reference names a purchase only with how it was paid and to whom as printed:
        # an invoice number is the payee's own ("1001" of two vendors is two invoices), a
        # card transaction's ID its card programme's.
        other_keys=("reference",),
        other_keys_within=("paid_by", "descriptor"),
        indexed=True,
        column_spellings={
            "paid_by": ("source", "payment method", "payment type", "paid by", "paid with"),
            "purchased_on": (
                "transaction date",
                "trans date",
                "purchase date",
                "posting date",
                "post date",
                "invoice date",
                "payment date",
                "date",
            ),
            "descriptor": (
                "merchant name",
                "merchant",
                "merchant descriptor",
                "vendor name",
                "vendor",
                "payee",
                "payee name",
                "supplier",
                "supplier name",
            ),
            "amount": (
                "amount",
                "transaction amount",
                "invoice amount",
                "debit/credit",
                "debit credit",
                "billing amount",
                "net amount",
                "payment amount",
            ),
            "currency": ("currency", "currency code", "billing currency"),
            "mcc": ("mcc", "merchant category code", "mcc code", "category code"),
            "cardholder": (
                "cardholder name",
                "cardholder",
                "card holder",
                "employee",
                "employee name",
                "requester",
                "requestor",
                "requested by",
            ),
            "description": (
                "description",
                "item description",
                "line description",
                "memo",
                "purpose",
                "business purpose",
            ),
            "reference": (
                "transaction reference",
                "reference",
                "reference number",
                "transaction id",
                "reference id",
                "invoice number",
                "invoice no",
                "invoice #",
            ),
        },
    ),
    plugins.ImportKind(
        key="payable",
        label="Accounts-payable lines",
        model="shadowit.Purchase",
        order=205,
        fields=PAYABLE_FIELDS,
        fixed={"paid_by": "payables"},
        # Found by the natural key, not the invoice number: two vendors' invoices may both
        # be numbered 1001.
        natural_key=PURCHASE_KEY,
        occurrence="occurrence",
        indexed=True,
        column_spellings={
            "purchased_on": (
                "invoice date",
                "payment date",
                "check date",
                "paid date",
                "posting date",
                "gl date",
                "date",
            ),
            "descriptor": (
                "vendor name",
                "vendor",
                "payee",
                "payee name",
                "supplier",
                "supplier name",
                "remit to",
                "merchant",
            ),
            "amount": (
                "invoice amount",
                "amount",
                "payment amount",
                "paid amount",
                "line amount",
                "net amount",
                "check amount",
            ),
            "currency": ("currency", "currency code"),
            "cardholder": ("requester", "requestor", "requested by", "buyer", "employee"),
            "description": (
                "description",
                "line description",
                "invoice description",
                "item description",
                "memo",
                "purpose",
            ),
            "reference": (
                "invoice number",
                "invoice no",
                "invoice #",
                "invoice id",
                "reference",
                "reference number",
                "voucher number",
                "voucher",
            ),
        },
    ),
    plugins.ImportKind(
        key="sign_in",
        label="Application sign-ins",
        model="shadowit.SignInApp",
        order=210,
        natural_key=("application", "username", "last_sign_in", "system"),
        indexed=True,
        column_spellings={
            "application": (
                "application",
                "application name",
                "app",
                "app name",
                "app display name",
                "service principal name",
                "target app",
            ),
            "username": (
                "username",
                "user principal name",
                "upn",
                "user",
                "login",
                "user login",
                "email",
                "user email",
            ),
            "last_sign_in": (
                "date (utc)",
                "date utc",
                "last login",
                "last sign in",
                "last sign-in",
                "last sign in date",
                "last signin",
                "date",
                "created date",
            ),
            "system": ("sign in system", "identity provider", "idp", "source system"),
        },
    ),
    plugins.ImportKind(
        key="domain_use",
        label="Domains reached",
        model="shadowit.DomainUse",
        order=220,
        natural_key=("domain", "period_start", "period_end"),
        indexed=True,
        column_spellings={
            "domain": ("domain", "domain name", "host", "hostname", "fqdn", "site", "query"),
            "requests": ("requests", "hits", "queries", "request count", "count", "total"),
            "users": ("users", "clients", "unique users", "unique clients", "client count"),
            "period_start": ("from", "start", "period start", "start date", "first seen"),
            "period_end": ("to", "end", "period end", "end date", "last seen"),
        },
    ),
)


def register() -> None:
    registry.register_column_spellings("shadowit", COLUMN_SPELLINGS)
    for kind in KINDS:
        plugins.register_import_kind(kind)
