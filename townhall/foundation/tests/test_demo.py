"""The demo county's foundation records, on a small demo estate with cyber's sample
release data: every kind has its expected life, some components are open-ended, and the
release data leaves suggestions pending."""

import datetime

import pytest

from townhall.core import context
from townhall.cyber import demo as cyber_demo
from townhall.estate import demo as estate_demo
from townhall.estate.models import Component, SupportState, System
from townhall.foundation import demo, life
from townhall.foundation.models import CapitalCap, ServiceLife, SupportSuggestion, UnitCost
from townhall.org import demo as org_demo

TODAY = datetime.date(2026, 11, 25)
SIZES = estate_demo.Sizes(
    services=60,
    systems=110,
    components=400,
    vendors=12,
    contracts=10,
    dependencies=900,
    it_staff=8,
    owners_per_department=1,
)


@pytest.mark.django_db
def test_the_demo_leaves_suggestions_pending_and_some_components_open_ended():
    with context.acting("cli"):
        org_demo.load()
        estate_demo.load(seed=1, sizes=SIZES, today=TODAY)
        cyber_demo._exposures()
        made = demo.load()
    assert made > 0
    assert set(ServiceLife.objects.values_list("kind", flat=True)) == {
        *life.DEFAULT_YEARS,
        "system",
    }
    assert Component.objects.filter(support_state=SupportState.NO_END_DATE).exists()
    assert SupportSuggestion.objects.filter(status="pending").exists()
    assert set(UnitCost.objects.values_list("kind", flat=True)) == set(life.DEFAULT_YEARS)
    assert CapitalCap.objects.count() == 5
    # Every dated item has its date, and every date its status.
    for model in (System, Component):
        assert not model.objects.filter(support_state="dated", end_of_support=None).exists()
        assert (
            not model.objects.exclude(support_state="dated").exclude(end_of_support=None).exists()
        )
    with context.acting("cli"):
        assert demo.load() == 0  # once only
