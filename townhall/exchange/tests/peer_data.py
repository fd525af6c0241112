"""Small figures for the peer comparison's tests: a county of 150,000 that submitted two
metrics for 2026, and its cohort's quartiles for both (made up)."""

import datetime

from django.utils import timezone

from townhall.core import context, services
from townhall.exchange import bands
from townhall.exchange.models import JurisdictionProfile, MetricSubmission, PeerStatistic

COHORT = bands.cohort_key({"kind": "county", "population_band": "pop_100k_250k"})


def make() -> None:
    """Our profile, our 2026 metrics (two of them) and our cohort's figures for both."""
    now = timezone.now()
    with context.acting("system"):
        make = lambda model, data: services.create(context.SYSTEM, model, data)  # noqa: E731
        make(
            JurisdictionProfile,
            {
                "name": "Juniper County",
                "kind": "county",
                "population": 150_000,
                "region": "south",
                "operating_budget": 300_000_000,
                "employees": 2_000,
            },
        )
        make(
            MetricSubmission,
            {
                "year": 2026,
                "values": {"cyber_protect": 3.4, "it_vacancy_rate_pct": 6.0},
                "submitted_at": now,
            },
        )
        for metric, q1, median, q3 in (
            ("cyber_protect", 3.5, 4.2, 4.8),
            ("it_vacancy_rate_pct", 8.25, 11.75, 17.5),
        ):
            make(
                PeerStatistic,
                {
                    "year": 2026,
                    "metric_set_version": "2026.1",
                    "metric": metric,
                    "cohort": COHORT,
                    "cohort_label": bands.cohort_label(COHORT),
                    "members": 14,
                    "q1": q1,
                    "median": median,
                    "q3": q3,
                    "fetched_at": now - datetime.timedelta(days=1),
                },
            )
