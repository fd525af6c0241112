"""Shadow IT's sources come in as every other spreadsheet does, and importing the same month
again adds nothing: purchases by their reference or by their line and its occurrence,
sign-ins by application, user, day and system, domains by the domain and period."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from townhall.core import context
from townhall.imports import engine, keys, kinds
from townhall.imports.tests.helpers import make, run_import, xlsx
from townhall.org.models import Department
from townhall.shadowit.models import DomainUse, Purchase, SignInApp

pytestmark = pytest.mark.django_db

SYSTEM = context.SYSTEM
FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def parks(departments):
    return make(Department, name="Parks & Recreation", code="PARKS")


def _counts(out) -> dict[str, int]:
    assert out.problems == [], out.report()
    return out.counts()


def _purchases() -> list[tuple]:
    return list(
        Purchase.objects.order_by("pk").values_list(
            "purchased_on", "descriptor", "amount", "cardholder", "occurrence", "paid_by"
        )
    )


def test_a_card_statement_is_guessed_from_its_headings():
    header = ["Transaction Date", "Posting Date", "Merchant Name", "Amount", "MCC"]
    header += ["Cardholder Name", "Department", "Description"]
    guessed = kinds.get("purchase").guess(header)
    assert guessed == {
        "Transaction Date": "purchased_on",
        "Posting Date": "",
        "Merchant Name": "descriptor",
        "Amount": "amount",
        "MCC": "mcc",
        "Cardholder Name": "cardholder",
        "Department": "owner_department",
        "Description": "description",
    }


def test_a_card_statement_imports_and_again_adds_nothing(parks):
    out = run_import(SYSTEM, "purchase", fixture("card_statement.csv"), "march.csv")
    assert _counts(out) == {"created": 7, "updated": 0, "unchanged": 0, "rejected": 0}
    first = _purchases()
    zoom = Purchase.objects.get(descriptor="PAYPAL *ZOOM.US 888-799")
    assert (zoom.amount, zoom.currency, zoom.mcc, zoom.paid_by) == (
        Decimal("14.99"),
        "USD",
        "4816",
        "card",
    )
    assert zoom.owner_department == parks
    assert zoom.purchased_on == datetime.date(2026, 3, 2)  # the transaction's, not posting
    refund = Purchase.objects.get(descriptor="AMZN Mktp US*2K3", amount__lt=0)
    assert refund.amount == Decimal("-37.48")
    coffees = Purchase.objects.filter(descriptor="STARBUCKS STORE 1234")
    assert sorted(coffees.values_list("occurrence", flat=True)) == [1, 2]  # both kept

    again = run_import(SYSTEM, "purchase", fixture("card_statement.csv"), "march.csv")
    assert _counts(again) == {"created": 0, "updated": 0, "unchanged": 7, "rejected": 0}
    assert _purchases() == first


def test_a_third_identical_line_next_time_is_a_new_purchase(departments):
    one = b"Transaction Date,Merchant Name,Amount,Cardholder Name\n3/16/2026,CAFE,5.75,Luis\n"
    run_import(SYSTEM, "purchase", one + b"3/16/2026,CAFE,5.75,Luis\n", "a.csv")
    out = run_import(SYSTEM, "purchase", one * 3, "b.csv")
    assert _counts(out) == {"created": 1, "updated": 0, "unchanged": 2, "rejected": 0}
    assert sorted(Purchase.objects.values_list("occurrence", flat=True)) == [1, 2, 3]


def test_payables_are_found_by_invoice_number(parks):
    out = run_import(SYSTEM, "purchase", fixture("accounts_payable.csv"), "ap.csv")
    assert _counts(out) == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    smartsheet = Purchase.objects.get(reference="INV-88121")
    assert (smartsheet.paid_by, smartsheet.descriptor, smartsheet.amount) == (
        "payables",
        "Smartsheet Inc",
        Decimal("4200.00"),
    )
    # The amount corrected in the finance system: the same invoice of the same payee.
    changed = fixture("accounts_payable.csv").replace(b"$4,200.00", b"$4,250.00")
    again = run_import(SYSTEM, "purchase", changed, "ap.csv")
    assert _counts(again) == {"created": 0, "updated": 1, "unchanged": 2, "rejected": 0}
    assert Purchase.objects.get(reference="INV-88121").amount == Decimal("4250.00")


INVOICES_1001 = (
    b"Payee,Invoice Date,Invoice Amount,Invoice Number,Paid By\n"
    b"Riverbend Paving,2026-03-02,18250.00,1001,AP\n"
    b"Canva Pty Ltd,2026-03-09,119.99,1001,AP\n"
    b"Canva Pty Ltd,2026-03-09,119.99,1001,Card\n"
)


@pytest.mark.parametrize("kind", ["purchase", "payable"])
def test_two_payees_invoices_numbered_alike_stay_two_purchases(departments, kind):
    """An invoice number is the payee's own: 1001 of one vendor is not 1001 of another,
    and a card's transaction reference is not an invoice's."""
    out = run_import(SYSTEM, kind, INVOICES_1001, "ap.csv")
    assert _counts(out) == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    assert Purchase.objects.filter(reference="1001").count() == 3
    again = run_import(SYSTEM, kind, INVOICES_1001, "ap.csv")
    assert _counts(again) == {"created": 0, "updated": 0, "unchanged": 3, "rejected": 0}
    found = sorted(Purchase.objects.values_list("descriptor", "amount"))
    assert found == [
        ("Canva Pty Ltd", Decimal("119.99")),
        ("Canva Pty Ltd", Decimal("119.99")),
        ("Riverbend Paving", Decimal("18250.00")),
    ]


def test_a_row_matched_without_the_index_finds_its_payees_invoice(departments):
    """`keys.existing`, which the importer asks when a kind is not indexed, agrees."""
    run_import(SYSTEM, "purchase", INVOICES_1001, "ap.csv")
    kind = kinds.get("purchase")
    row = {"reference": "1001", "paid_by": "payables", "descriptor": "Riverbend Paving"}
    assert keys.existing(kind, row).amount == Decimal("18250.00")
    assert keys.existing(kind, {**row, "descriptor": "Someone Else"}) is None
    card = {**row, "paid_by": "card", "descriptor": "Canva Pty Ltd"}
    assert keys.existing(kind, card).paid_by == "card"


def test_payables_from_a_workbook(departments):
    rows = [
        ["Payee", "Invoice Date", "Invoice Amount", "Invoice Number", "Department", "Paid By"],
        ["Adobe Inc", datetime.date(2026, 3, 3), 899.88, "A-1", "PW", "Invoice"],
    ]
    out = run_import(SYSTEM, "purchase", xlsx(rows), "ap.xlsx")
    assert _counts(out)["created"] == 1
    adobe = Purchase.objects.get()
    assert (adobe.descriptor, adobe.amount, adobe.paid_by) == (
        "Adobe Inc",
        Decimal("899.88"),
        "payables",
    )
    assert adobe.owner_department == departments["PW"]


def test_a_payables_file_without_a_paid_by_column_is_read_as_payables(parks):
    header = "Vendor Name,Invoice Date,Invoice Amount,Invoice Number,Department,Description"
    data = fixture("accounts_payable.csv").decode()
    rows = [line.rsplit(",", 2)[0] + "," + line.rsplit(",", 1)[1] for line in data.splitlines()]
    ap = "\n".join([header, *rows[1:]]).encode() + b"\n"
    assert b"AP" not in ap and b"Paid" not in ap
    guessed = kinds.get("payable").guess(header.split(","))
    assert guessed == {
        "Vendor Name": "descriptor",
        "Invoice Date": "purchased_on",
        "Invoice Amount": "amount",
        "Invoice Number": "reference",
        "Department": "owner_department",
        "Description": "description",
    }
    out = run_import(SYSTEM, "payable", ap, "ap.csv")
    assert _counts(out) == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    assert set(Purchase.objects.values_list("paid_by", flat=True)) == {"payables"}
    smartsheet = Purchase.objects.get(reference="INV-88121")
    assert (smartsheet.descriptor, smartsheet.amount) == ("Smartsheet Inc", Decimal("4200.00"))

    again = run_import(SYSTEM, "payable", ap, "ap.csv")
    assert _counts(again) == {"created": 0, "updated": 0, "unchanged": 3, "rejected": 0}
    assert Purchase.objects.count() == 3


def test_the_same_line_read_as_a_card_charge_and_as_payables_is_two_purchases(parks):
    card = b"Transaction Date,Merchant Name,Amount\n2026-03-05,ADOBE INC,899.88\n"
    ap = b"Payee,Invoice Date,Invoice Amount\nADOBE INC,2026-03-05,899.88\n"
    assert _counts(run_import(SYSTEM, "purchase", card, "card.csv"))["created"] == 1
    assert _counts(run_import(SYSTEM, "payable", ap, "ap.csv"))["created"] == 1
    assert sorted(Purchase.objects.values_list("paid_by", flat=True)) == ["card", "payables"]
    assert _counts(run_import(SYSTEM, "payable", ap, "ap.csv"))["unchanged"] == 1


def test_rows_with_problems_are_reported_by_row_and_column(departments):
    data = (
        b"Transaction Date,Merchant Name,Amount,MCC,Department\n"
        b"3/1/2026,GOOD,1.00,5734,PW\n"
        b"3/1/2026,BAD MCC,1.00,57A4,PW\n"
        b"someday,BAD DATE,1.00,,PW\n"
        b"3/1/2026,NO DEPT,1.00,,Nowhere\n"
    )
    out = run_import(SYSTEM, "purchase", data, "bad.csv", valid_only=True)
    assert out.counts() == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 3}
    found = {(p.row, p.column) for p in out.problems}
    assert {(3, "MCC"), (4, "Transaction Date"), (5, "Department")} <= found
    assert list(Purchase.objects.values_list("descriptor", flat=True)) == ["GOOD"]


def test_entra_sign_ins_keep_one_row_a_day_and_import_again_unchanged(parks):
    header = "Date (UTC),Request ID,User,Username,User ID,Application,Application ID"
    guessed = kinds.get("sign_in").guess(header.split(","))
    assert guessed["Date (UTC)"] == "last_sign_in"
    assert guessed["Username"] == "username"
    assert guessed["Application"] == "application"
    out = run_import(SYSTEM, "sign_in", fixture("entra_sign_ins.csv"), "entra.csv")
    # The two sign-ins of one day to Canva are one row.
    assert _counts(out) == {"created": 3, "updated": 0, "unchanged": 1, "rejected": 0}
    canva = SignInApp.objects.get(application="Canva")
    assert (canva.username, canva.last_sign_in) == (
        "dana.whitfield@juniper.example",
        datetime.date(2026, 3, 18),
    )
    again = run_import(SYSTEM, "sign_in", fixture("entra_sign_ins.csv"), "entra.csv")
    assert _counts(again)["created"] == 0
    assert SignInApp.objects.count() == 3


def test_okta_last_logins(parks):
    out = run_import(SYSTEM, "sign_in", fixture("okta_apps.csv"), "okta.csv")
    assert _counts(out)["created"] == 3
    zoom = SignInApp.objects.filter(application="Zoom").order_by("username").first()
    assert zoom is not None and zoom.last_sign_in == datetime.date(2026, 3, 20)
    assert run_import(SYSTEM, "sign_in", fixture("okta_apps.csv"), "okta.csv").created == 0


def test_a_dns_domain_list(departments):
    guessed = kinds.get("domain_use").guess(["Host", "Hits", "Clients", "From", "To"])
    assert guessed == {
        "Host": "domain",
        "Hits": "requests",
        "Clients": "users",
        "From": "period_start",
        "To": "period_end",
    }
    out = run_import(SYSTEM, "domain_use", fixture("dns_domains.csv"), "dns.csv")
    assert _counts(out)["created"] == 4
    assert DomainUse.objects.get(domain="zoom.us").requests == 18234
    again = run_import(SYSTEM, "domain_use", fixture("dns_domains.csv"), "dns.csv")
    assert _counts(again) == {"created": 0, "updated": 0, "unchanged": 4, "rejected": 0}


def test_a_file_lacking_a_key_column_is_told_which():
    kind = kinds.get("purchase")
    columns = {"Merchant": "descriptor", "Amount": "amount"}
    assert engine.identity_problem(kind, columns) == (
        "No column is mapped to Date; choose which column holds it."
    )
    assert engine.identity_problem(kind, {**columns, "Ref": "reference"}) == ""
    assert engine.identity_problem(kind, {**columns, "Date": "purchased_on"}) == ""


def test_reimporting_a_large_statement_reads_its_purchases_ahead(departments):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    head = b"Transaction Date,Merchant Name,Amount,Cardholder Name,Reference\n"
    rows = b"".join(
        b"3/%d/2026,SHOP %d,%d.00,Ann,%s\n"
        % (1 + n % 28, n % 7, n % 5 + 1, b"R%d" % n if n % 2 else b"")
        for n in range(300)
    )
    run_import(SYSTEM, "purchase", head + rows, "big.csv")
    assert Purchase.objects.count() == 300
    with CaptureQueriesContext(connection) as ctx:
        again = run_import(SYSTEM, "purchase", head + rows, "big.csv")
    assert _counts(again)["unchanged"] == 300
    assert len(ctx.captured_queries) < 20, len(
        ctx.captured_queries
    )  # read ahead in windows, not a query a row
