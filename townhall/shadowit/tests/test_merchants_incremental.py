"""The merchant job works from what changed: a second run with nothing new reads no
purchase (its queries do not grow with them), an edit or a deletion brings its merchant's
figures and subscriptions up to date, a rule re-classifies merchants no purchase of which
changed, and a rule naming a merchant's key finds it under the key its descriptors were
grouped under."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from townhall.audit.models import AuditEntry
from townhall.core import context, services
from townhall.estate.models import Vendor
from townhall.shadowit import merchants
from townhall.shadowit.models import Merchant, MerchantRule, Purchase, Subscription

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 20)


def _run():
    with context.acting("task"):
        return merchants.work_out(context.SYSTEM, TODAY)


def _monthly(descriptor: str, department, months: int, amount: str = "19.99", day: int = 5):
    return [
        {
            "purchased_on": datetime.date(2026, month, day),
            "descriptor": descriptor,
            "amount": Decimal(amount),
            "owner_department": department,
            "cardholder": "Pat",
        }
        for month in range(1, months + 1)
    ]


def _add(rows):
    with context.acting("system"):
        services.create_many(context.SYSTEM, Purchase, rows)


def _second_run_queries() -> int:
    _run()
    with CaptureQueriesContext(connection) as queries:
        report = _run()
    assert (report.keyed, report.created, report.updated) == (0, 0, 0)
    return len(queries)


def test_a_second_run_reads_no_purchase_however_many_there_are(departments):
    pw, fin = departments["PW"], departments["FIN"]
    _add(_monthly("SLACK T0123", pw, 6) + _monthly("JOES CAFE #12", fin, 4, "8.75"))
    few = _second_run_queries()
    entries = AuditEntry.objects.count()
    rows = []
    for n in range(40):  # ten times the purchases, over many merchants and departments
        rows += _monthly(f"RIVER SUPPLY {chr(65 + n % 26)}{chr(65 + n // 26)} STORE", pw, 12)
    _add(rows + _monthly("SLACK T0123", fin, 12))
    many = _second_run_queries()
    assert many == few
    assert Purchase.objects.count() > 10 * 10
    # The first run after the new purchases wrote; the second wrote nothing.
    assert AuditEntry.objects.count() > entries
    versions = dict(Merchant.objects.values_list("key", "version"))
    written = AuditEntry.objects.count()
    _run()
    assert AuditEntry.objects.count() == written
    assert dict(Merchant.objects.values_list("key", "version")) == versions


def test_an_edited_purchase_moves_its_merchant_and_its_subscription(departments):
    pw = departments["PW"]
    _add(_monthly("SLACK T0123", pw, 6) + _monthly("JOES CAFE #12", pw, 2, "8.75"))
    _run()
    sub = Subscription.objects.get()
    assert sub.typical_amount == Decimal("19.99")
    cafe_version = Merchant.objects.get(key="joes cafe").version
    # The price rises from March on, the June charge is sent back (deleted).
    later = Purchase.objects.filter(descriptor="SLACK T0123", purchased_on__month__gte=3)
    with context.acting("system"):
        services.update_rows(
            context.SYSTEM,
            [(p, {"amount": Decimal("24.99")}) for p in later if p.purchased_on.month < 6],
        )
        services.delete(context.SYSTEM, later.get(purchased_on__month=6))
    report = _run()
    assert report.updated == 1 and report.keyed == 0
    slack = Merchant.objects.get(key="slack")
    assert (slack.purchases, slack.total_spend) == (5, Decimal("114.95"))
    assert slack.last_seen == datetime.date(2026, 5, 5)
    sub = Subscription.objects.get()
    assert (sub.typical_amount, sub.last_charge) == (Decimal("24.99"), datetime.date(2026, 5, 5))
    assert Merchant.objects.get(key="joes cafe").version == cafe_version  # not touched


def test_a_new_rule_classifies_merchants_no_purchase_of_which_changed(departments):
    _add(_monthly("JOES CAFE #12", departments["PW"], 2, "8.75"))
    _run()
    with context.acting("system"):
        services.create(
            context.SYSTEM,
            MerchantRule,
            {"name": "Cafes", "match": "contains", "pattern": "CAFE", "category": "hardware"},
        )
    report = _run()
    assert report.updated == 1
    assert Merchant.objects.get(key="joes cafe").category == "hardware"
    assert _run().updated == 0


def test_a_rule_by_key_finds_the_key_descriptors_were_grouped_under(departments):
    with context.acting("system"):
        services.create(context.SYSTEM, Vendor, {"name": "Riverbend IT Solutions"})
        services.create(
            context.SYSTEM,
            MerchantRule,
            {
                "name": "Our network contractor",
                "match": "key",
                "pattern": "riverbend it solutions",
                "category": "software",
            },
        )
    # The statement never prints the whole name: the estate's vendor names the merchant.
    _add(_monthly("IN *RIVERBEND IT", departments["PW"], 3, "450.00"))
    _run()
    (merchant,) = Merchant.objects.all()
    assert merchant.key == "riverbend it solutions"
    assert merchant.vendor.name == "Riverbend IT Solutions"
    assert (merchant.category, merchant.confidence) == ("software", Decimal("1.00"))
    assert "Our network contractor" in merchant.why


def test_what_the_job_writes_is_read_only_on_the_forms(departments):
    from townhall.core.forms import read_only_fields
    from townhall.shadowit.forms import PurchaseForm, SubscriptionForm

    _add(_monthly("SLACK T0123", departments["PW"], 4))
    _run()
    purchase = Purchase.objects.first()
    assert read_only_fields(PurchaseForm) == ["merchant_key"]
    posted = PurchaseForm(
        data={**PurchaseForm(instance=purchase).initial, "merchant_key": "someone else"},
        instance=purchase,
    )
    assert posted.fields["merchant_key"].disabled
    assert posted.is_valid(), posted.errors
    assert posted.cleaned_data["merchant_key"] == "slack"
    form = SubscriptionForm(instance=Subscription.objects.get())
    assert form.fields["typical_amount"].disabled and form.fields["next_expected"].disabled
    assert not form.fields["notes"].disabled


def test_a_merchant_whose_purchases_are_all_gone_keeps_no_figures(departments):
    pw, fin = departments["PW"], departments["FIN"]
    _add(_monthly("SLACK T0123", pw, 6) + _monthly("JOES CAFE #12", fin, 2, "8.75"))
    _run()
    slack = Merchant.objects.get(key="slack")
    assert slack.purchases == 6 and slack.subscriptions.count() == 1
    with context.acting("system"):
        services.delete_many(context.SYSTEM, list(Purchase.objects.filter(merchant_key="slack")))
    report = _run()
    slack.refresh_from_db()
    # The merchant stays (IT's decision about it is kept) with nothing behind it.
    assert (slack.purchases, slack.total_spend, slack.first_seen, slack.last_seen) == (
        0,
        0,
        None,
        None,
    )
    assert list(slack.departments.all()) == [] and slack.subscriptions.count() == 0
    assert report.updated == 1
    assert Merchant.objects.get(key="joes cafe").purchases == 2
    # Nothing more to do the next time; purchases coming back are counted again.
    assert _run().updated == 0
    _add(_monthly("SLACK T0123", pw, 3))
    _run()
    slack.refresh_from_db()
    assert slack.purchases == 3 and slack.subscriptions.count() == 1
