"""The demo county's shadow IT sources: each kind filled, written through the write path."""

import pytest
from django.contrib.contenttypes.models import ContentType

from townhall.audit.models import AuditEntry
from townhall.shadowit import demo
from townhall.shadowit.models import DomainUse, Purchase, SignInApp


@pytest.mark.django_db
def test_the_demo_fills_each_source_once(departments):
    made = demo.load("small", seed=1)
    assert made == Purchase.objects.count() + SignInApp.objects.count() + DomainUse.objects.count()
    assert Purchase.objects.filter(paid_by="payables").exists()
    assert Purchase.objects.filter(amount__lt=0).exists()  # a refund or two
    assert (
        AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Purchase)).count()
        == Purchase.objects.count()
    )
    assert demo.load("small", seed=1) == 0
