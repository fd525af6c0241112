"""The exchange's part of the demo county: a new user finds figures on the scorecard (with
movement), the peer comparison, the survey report and the library, and loading again adds
nothing."""

import pytest
from django.urls import reverse

from townhall.audit.models import AuditEntry
from townhall.core import context
from townhall.estate import demo as estate_demo
from townhall.exchange import cohorts, demo, metrics
from townhall.exchange.models import (
    CohortStatistic,
    HubMember,
    HubSubmission,
    MetricSubmission,
    PeerStatistic,
    PracticeDocument,
    Survey,
)
from townhall.org import demo as org_demo

SIZES = estate_demo.Sizes(
    services=8,
    systems=10,
    components=20,
    vendors=6,
    contracts=2,
    dependencies=20,
    it_staff=4,
    owners_per_department=1,
)


@pytest.mark.django_db
def test_the_demo_fills_every_exchange_page(users, client_for, settings):
    with context.acting("cli"):
        org_demo.load()
        estate_demo.load(seed=1, sizes=SIZES)
        made = demo.load("small", seed=1)
        assert made > 0
        entries = AuditEntry.objects.count()
        assert demo.load("small", seed=1) == 0  # once
    assert AuditEntry.objects.count() == entries

    # Sixty fictional peers, each value within its metric's bounds, three years each.
    peers = HubMember.objects.exclude(member_id="juniper-county-demo")
    assert peers.count() == demo.MEMBERS["small"]
    assert all(name.startswith("Example ") for name in peers.values_list("name", flat=True))
    years = set(HubSubmission.objects.values_list("year", flat=True))
    assert len(years) == 3
    for values in HubSubmission.objects.values_list("values", flat=True):
        assert not metrics.problems(metrics.METRIC_SET_VERSION, values)
    # Our own figures, sent to our own hub, and only our cohorts' released figures kept.
    ours = MetricSubmission.objects.get()
    assert HubSubmission.objects.get(member__member_id="juniper-county-demo").values == ours.values
    assert "it_spend_pct_operating" in ours.values
    kept = set(PeerStatistic.objects.values_list("cohort", flat=True))
    assert "kind=county|population_band=pop_100k_250k" in kept and "all" in kept
    assert "kind=city" not in kept
    assert PeerStatistic.objects.count() <= CohortStatistic.objects.filter(suppressed="").count()
    assert PeerStatistic.objects.filter(members__lt=cohorts.LEAST_MINIMUM).count() == 0

    admin = client_for("admin")
    page = admin.get(reverse("exchange:scorecard")).content.decode()
    assert "Improving" in page or "Getting worse" in page  # the readings moved

    page = admin.get(reverse("exchange:peers")).content.decode()
    assert "peers (counties, 100,000 to 249,999 residents)" in page  # "… the median of 14 …"

    settings.EXCHANGE_HUB = True
    published = Survey.objects.filter(status=Survey.Status.PUBLISHED).order_by("year")
    assert published.count() == 2
    assert Survey.objects.filter(status=Survey.Status.OPEN).count() == 1
    last = published.last()
    assert last is not None and last.responses.count() >= 30
    report = admin.get(reverse("hub:survey_report", args=[last.year]))
    assert report.status_code == 200
    text = report.content.decode()
    assert f"{last.responses.count()} members of the exchange answered" in text
    assert demo.QUOTES[1][0] in text
    assert admin.get(reverse("exchange:survey")).status_code == 200

    assert PracticeDocument.objects.count() == len(demo.LIBRARY)
    assert set(PracticeDocument.objects.values_list("file_type", flat=True)) <= {"md", "txt"}
