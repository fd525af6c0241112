"""The merchant job on a small, hand-worked set of purchases: keys, merchants, categories
(a person's rule before the reference list), the estate vendor, a monthly subscription;
run again it changes nothing, and it never undoes a person's triage."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from townhall.audit.models import AuditEntry
from townhall.core import context, services
from townhall.estate.models import Vendor
from townhall.shadowit import merchants
from townhall.shadowit import services as shadow_services
from townhall.shadowit.models import Merchant, MerchantRule, Purchase, Subscription

TODAY = datetime.date(2026, 4, 10)


def _buy(day, descriptor, amount, department, mcc=""):
    return {
        "purchased_on": day,
        "descriptor": descriptor,
        "amount": Decimal(amount),
        "mcc": mcc,
        "owner_department": department,
        "cardholder": "Pat",
    }


@pytest.fixture
def bought(departments):
    pw, fin = departments["PW"], departments["FIN"]
    d = datetime.date
    rows = [
        # Zoom: monthly in Public Works under two spellings, and once in Finance.
        _buy(d(2026, 1, 5), "ZOOM.US 888-799-9666", "14.99", pw, "4899"),
        _buy(d(2026, 2, 5), "ZOOM.US 888-799-9666", "14.99", pw, "4899"),
        _buy(d(2026, 3, 5), "ZOOM VIDEO COMM SAN JOSE CA", "14.99", pw),
        _buy(d(2026, 3, 9), "ZOOM.US 888-799-9666", "149.90", fin, "4899"),
        # Govforms: unknown to the reference list; a rule says what it is.
        _buy(d(2026, 2, 11), "SQ *GOVFORMS", "49.00", fin),
        _buy(d(2026, 3, 11), "SQ *GOVFORMS", "49.00", fin),
        _buy(d(2026, 3, 20), "PAYPAL *GOVFORM", "12.00", fin),
        # GitHub: on the reference list as software; a rule overrides it.
        _buy(d(2026, 3, 2), "GITHUB.COM DL0OU", "4.00", pw, "5734"),
        # A café, by its merchant category code.
        _buy(d(2026, 3, 3), "JOES CAFE #12", "8.75", pw, "5814"),
    ]
    with context.acting("system"):
        services.create(
            context.SYSTEM,
            Vendor,
            {"name": "Zoom Video Communications", "website": "https://zoom.us"},
        )
        services.create(
            context.SYSTEM,
            MerchantRule,
            {
                "name": "Permit software",
                "match": "contains",
                "pattern": "GOVFORM",
                "category": "software",
            },
        )
        services.create(
            context.SYSTEM,
            MerchantRule,
            {
                "name": "GitHub sponsorships are donations",
                "match": "key",
                "pattern": "GitHub",
                "category": "not_technology",
            },
        )
        services.create_many(context.SYSTEM, Purchase, rows)
    return departments


def _run():
    with context.acting("task"):
        return merchants.work_out(context.SYSTEM, TODAY)


@pytest.mark.django_db
def test_the_job_keys_classifies_matches_and_finds_subscriptions(bought):
    # Purchases arrive keyed from their descriptor (the reference list knows Zoom and
    # GitHub); the job groups the spellings it has not seen (GOVFORM with GOVFORMS).
    arrived = dict(Purchase.objects.values_list("descriptor", "merchant_key").distinct())
    assert arrived["ZOOM VIDEO COMM SAN JOSE CA"] == "zoom"
    assert arrived["PAYPAL *GOVFORM"] == "govform"
    report = _run()
    keys = dict(Purchase.objects.values_list("descriptor", "merchant_key").distinct())
    assert keys == {
        "ZOOM.US 888-799-9666": "zoom",
        "ZOOM VIDEO COMM SAN JOSE CA": "zoom",
        "SQ *GOVFORMS": "govforms",
        "PAYPAL *GOVFORM": "govforms",
        "GITHUB.COM DL0OU": "github",
        "JOES CAFE #12": "joes cafe",
    }
    # Only the one purchase whose spelling was grouped under another was keyed again.
    assert report.keyed == 1 and report.created == 4
    found = {m.key: m for m in Merchant.objects.all()}
    assert set(found) == {"zoom", "govforms", "github", "joes cafe"}

    zoom = found["zoom"]
    assert (zoom.name, zoom.domain, zoom.category, zoom.status) == (
        "Zoom",
        "zoom.us",
        "software",
        "new",
    )
    assert "reference list" in zoom.why
    assert zoom.vendor.name == "Zoom Video Communications"  # by its website's domain
    assert (zoom.purchases, zoom.total_spend) == (4, Decimal("194.87"))
    assert (zoom.first_seen, zoom.last_seen) == (
        datetime.date(2026, 1, 5),
        datetime.date(2026, 3, 9),
    )
    assert {d.code for d in zoom.departments.all()} == {"PW", "FIN"}

    govforms = found["govforms"]
    assert (govforms.category, govforms.confidence) == ("software", Decimal("1.00"))
    assert govforms.processor == "Square"
    assert "rule 'Permit software'" in govforms.why
    assert govforms.vendor is None

    github = found["github"]
    assert github.category == "not_technology"  # the rule before the reference list
    assert "GitHub sponsorships are donations" in github.why

    assert found["joes cafe"].category == "not_technology"
    assert "5814" in found["joes cafe"].why

    # Zoom in Public Works: the 5th of each month; Finance's one charge is no series.
    (sub,) = Subscription.objects.all()
    assert (sub.merchant, sub.department.code, sub.cadence) == (zoom, "PW", "monthly")
    assert (sub.typical_amount, sub.annual_cost) == (Decimal("14.99"), Decimal("179.88"))
    assert sub.last_charge == datetime.date(2026, 3, 5)
    assert sub.next_expected == datetime.date(2026, 4, 5)
    assert not sub.lapsed


@pytest.mark.django_db
def test_running_again_changes_nothing(bought):
    _run()
    entries = AuditEntry.objects.count()
    versions = dict(Merchant.objects.values_list("key", "version"))
    report = _run()
    assert (report.keyed, report.created, report.updated) == (0, 0, 0)
    assert AuditEntry.objects.count() == entries
    assert dict(Merchant.objects.values_list("key", "version")) == versions


@pytest.mark.django_db
def test_a_new_purchase_joins_its_merchant_and_moves_its_figures(bought):
    _run()
    with context.acting("system"):
        services.create(
            context.SYSTEM,
            Purchase,
            _buy(datetime.date(2026, 4, 5), "ZOOM.US 888-799-9666", "14.99", bought["PW"]),
        )
    report = _run()
    # It arrived keyed: the job had nothing to key.
    assert (report.keyed, report.created, report.updated) == (0, 0, 1)
    zoom = Merchant.objects.get(key="zoom")
    assert zoom.purchases == 5
    sub = Subscription.objects.get()
    assert sub.next_expected == datetime.date(2026, 5, 5)


@pytest.mark.django_db
def test_a_dismissed_merchant_stays_dismissed(bought, users):
    _run()
    cafe = Merchant.objects.get(key="joes cafe")
    with pytest.raises(ValidationError):
        shadow_services.triage(users["staff"], cafe, "dismissed")  # no reason
    with pytest.raises(PermissionDenied):
        shadow_services.triage(users["liaison"], cafe, "dismissed", "Coffee")
    shadow_services.triage(users["staff"], cafe, "dismissed", "Coffee for the crew")
    with context.acting("system"):
        services.create(
            context.SYSTEM,
            MerchantRule,
            {"name": "Cafes", "match": "contains", "pattern": "CAFE", "category": "unknown"},
        )
    _run()
    cafe.refresh_from_db()
    assert (cafe.status, cafe.dismiss_reason) == ("dismissed", "Coffee for the crew")
    assert cafe.category == "unknown"  # what it is is worked out again; the decision stays
    entry = AuditEntry.objects.filter(object_id=str(cafe.pk), after__transition__isnull=False)
    assert "Coffee for the crew" in entry.get().after["transition"]


@pytest.mark.django_db
def test_a_rule_is_checked_as_the_classifier_reads_it(departments):
    with context.acting("system"), pytest.raises(ValidationError) as e:
        services.create(
            context.SYSTEM,
            MerchantRule,
            {"name": "Broken", "match": "regex", "pattern": "ZOOM(", "category": "software"},
        )
    assert "pattern" in e.value.message_dict


@pytest.mark.django_db(transaction=True)
def test_an_import_asks_for_the_job_once(departments, settings):
    from townhall.jobs.models import Job

    with context.acting("system"):
        services.create_many(
            context.SYSTEM,
            Purchase,
            [
                _buy(datetime.date(2026, 3, n), "SQ *GOVFORMS", "49", departments["FIN"])
                for n in (1, 2)
            ],
        )
    job = Job.objects.get(kind=merchants.JOB_KIND)
    assert job.status == "done", job.message
    assert set(Purchase.objects.values_list("merchant_key", flat=True)) == {"govforms"}
    assert Job.objects.filter(kind=merchants.JOB_KIND).count() == 1


@pytest.mark.django_db
def test_the_decisions_and_work_out_buttons_are_it_staffs(bought, client_for):
    from django.urls import reverse

    _run()
    github = Merchant.objects.get(key="github")
    act = lambda action: reverse("shadowit:merchant_act", args=[github.pk, action])  # noqa: E731
    liaison, staff = client_for("liaison"), client_for("staff")
    assert liaison.post(act("known")).status_code == 403
    assert liaison.post(act("reopen")).status_code == 403
    assert liaison.post(reverse("shadowit:merchants_refresh")).status_code == 403
    page = liaison.get(github.get_absolute_url())
    assert page.status_code == 200 and b"GITHUB.COM DL0OU" in page.content
    assert b"Work out again" not in page.content and b"Decide on" not in page.content
    # Nonsense is told, never a server error; a dismissal without a reason changes nothing.
    assert staff.post(act("gone"), {"version": "x"}).status_code == 302
    assert staff.post(act("dismiss")).status_code == 302
    github.refresh_from_db()
    assert github.status == "new"
    staff.post(act("known"), {"version": str(github.version)})
    github.refresh_from_db()
    assert github.status == "known"
    assert staff.post(act("reopen"), {"version": "1"}).status_code == 302  # stale
    github.refresh_from_db()
    assert github.status == "known"
    staff.post(act("reopen"), {"version": str(github.version)})
    github.refresh_from_db()
    assert github.status == "new"
    answer = staff.post(reverse("shadowit:merchants_refresh"))
    assert answer.status_code == 302 and "/jobs/" in answer["Location"]


@pytest.mark.django_db
def test_a_change_while_the_job_runs_queues_one_more(departments):
    from townhall.jobs.models import Job

    first = merchants.refresh()  # the tests' backend runs it at once
    Job.objects.filter(pk=first.pk).update(status=Job.Status.QUEUED)
    assert merchants.refresh() == first  # waiting: one job however many ask
    Job.objects.filter(pk=first.pk).update(status=Job.Status.RUNNING)
    assert merchants.refresh() != first  # running: it may have read before the change


@pytest.mark.django_db
def test_a_spelling_once_grouped_keys_new_purchases_as_they_are_created(bought):
    from townhall.audit.models import AuditEntry

    _run()
    with context.acting("system"):
        new = services.create(
            context.SYSTEM,
            Purchase,
            _buy(datetime.date(2026, 4, 9), "PAYPAL *GOVFORM", "49", bought["FIN"]),
        )
    # Grouped under govforms by the last run: the purchase is created with that key, and its
    # creation's history entry holds it.
    assert new.merchant_key == "govforms"
    from django.contrib.contenttypes.models import ContentType

    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Purchase),
        object_id=str(new.pk),
        action="create",
    )
    assert "govforms" in str(entry.after)
    assert _run().keyed == 0
    # A descriptor corrected by hand gives the purchase the key of its new spelling.
    with context.acting("system"):
        edited = services.update(
            context.SYSTEM, new, {"descriptor": "JOES CAFE #12"}, version=new.version
        )
    assert edited.merchant_key == "joes cafe"
    assert _run().keyed == 0
    assert Merchant.objects.get(key="joes cafe").purchases == 2
