"""The demo county's shadow IT sources: a year of card and payables lines with what the
module looks for in them, written through the write path, the same each time, and once."""

from collections import Counter

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.utils import timezone

from townhall.audit.models import AuditEntry
from townhall.org import demo as org_demo
from townhall.shadowit import demo, descriptors, subscriptions
from townhall.shadowit.models import DomainUse, Merchant, MerchantAnswer, Purchase, SignInApp


def _lines() -> list[tuple]:
    return list(
        Purchase.objects.order_by("purchased_on", "reference").values_list(
            "paid_by", "purchased_on", "descriptor", "amount", "cardholder", "reference"
        )
    )


@pytest.mark.django_db
def test_the_demo_fills_each_source_once(departments):
    made = demo.load("small", seed=1)
    sources = Purchase.objects.count() + SignInApp.objects.count() + DomainUse.objects.count()
    # and the departments' answers (see the answers' test); the merchants are the job's
    assert made == sources + MerchantAnswer.objects.count()
    assert Purchase.objects.filter(paid_by="payables").exists()
    assert Purchase.objects.filter(amount__lt=0).exists()  # a refund or two
    assert (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Purchase), action="create"
        ).count()
        == Purchase.objects.count()
    )
    entries = AuditEntry.objects.count()
    assert demo.load("small", seed=1) == 0
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_a_year_of_lines_with_what_the_module_looks_for():
    org_demo.load()
    demo.load("small", seed=1)
    lines = _lines()
    assert 2500 <= len(lines) <= 4500, len(lines)
    days = [line[1] for line in lines]
    assert (max(days) - min(days)).days > 330  # a year

    paid = Counter(line[0] for line in lines)
    assert 80 <= paid["payables"] <= 200
    keys = Counter()
    departments: dict[str, set[int]] = {}
    for _paid, _on, printed, _amount, _holder, _ref in lines:
        keys[descriptors.normalize(printed).key] += 1
    for row in Purchase.objects.values("descriptor", "owner_department"):
        key = descriptors.normalize(row["descriptor"]).key
        departments.setdefault(key, set()).add(row["owner_department"])
    grouped = descriptors.group(list(keys))
    by_vendor: dict[str, set[int]] = {}
    for key, found in departments.items():
        by_vendor.setdefault(grouped.get(key, key), set()).update(found)
    for vendor in ("zoom", "surveymonkey", "adobe", "canva", "dropbox", "docusign"):
        assert len(by_vendor[vendor]) >= 3, vendor  # three departments buy it
    assert "amazon marketplace" in keys
    assert {"verizon", "att", "cdw", "bhphoto", "dell"} <= set(grouped.values())
    # Mostly ordinary spending; refunds; a price increase; a charge posted twice.
    ordinary = sum(n for k, n in keys.items() if k.startswith(("shell", "staples", "starbucks")))
    assert ordinary > 300
    assert Purchase.objects.filter(amount__lt=0).count() >= 10
    zoom = Purchase.objects.filter(descriptor="ZOOM.US 888-799-9666 CA")
    assert {str(a) for a in zoom.values_list("amount", flat=True)} == {"15.99", "17.99"}
    twice = Purchase.objects.values("purchased_on", "descriptor", "amount", "cardholder")
    assert twice.annotate(n=Count("pk")).filter(n__gt=1, paid_by="card").exists()
    assert SignInApp.objects.filter(application="Canva").count() >= 3
    assert DomainUse.objects.filter(domain="zoom.us").count() == 3

    # What the subscription finder is for: series per department, a price change, a lapse.
    found = []
    for vendor in ("zoom", "dropbox"):
        charges = [
            subscriptions.Charge(p.purchased_on, p.amount, str(p.owner_department_id))
            for p in Purchase.objects.filter(paid_by="card", amount__gt=0)
            if grouped.get(k := descriptors.normalize(p.descriptor).key, k) == vendor
        ]
        found += subscriptions.detect(charges, timezone.localdate())
    assert sum(1 for f in found if f.cadence == "monthly") >= 4
    assert any(f.price_changes for f in found)
    assert any(f.lapsed for f in found)

    # IT's first decisions: two tools adopted into the estate, two known; people from the
    # sign-ins on the merchants.
    adopted = Merchant.objects.filter(status="adopted", system__discovered_outside_it=True)
    assert set(adopted.values_list("key", flat=True)) == set(demo.ADOPTED)
    assert set(Merchant.objects.filter(status="known").values_list("key", flat=True)) == set(
        demo.KNOWN
    )
    zoom = Merchant.objects.get(key="zoom")
    assert zoom.sign_in_application == "Zoom" and zoom.users >= 10 and zoom.last_sign_in
    # Notion is used on a free plan: found in the sign-ins, never bought. Trello only in the
    # domains reached. The Microsoft 365 portal everyone lands on is left out.
    notion = Merchant.objects.get(key="notion")
    assert (notion.purchases, notion.found_in, notion.users) == (0, ["sign-ins"], 6)
    assert notion.departments.count() == 2
    assert Merchant.objects.get(key="trello").found_in == ["domains reached"]
    microsoft = Merchant.objects.get(key="microsoft")
    assert microsoft.sign_in_application != "Microsoft Office 365 Portal"

    # The same seed and day give the same lines; loading again adds nothing.
    entries = AuditEntry.objects.count()
    assert demo.load("small", seed=1) == 0
    assert _lines() == lines

    assert AuditEntry.objects.count() == entries
