"""The metrics of `metrics.METRICS` worked out from this government's own records, as the
administrator who will approve them may see them. A metric whose records are missing, or
that Townhall does not count yet, is None with the reason: never a guess."""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.urls import reverse

from townhall.continuity.models import StoredAnalysis, StoredFinding
from townhall.cyber import services as cyber_services
from townhall.cyber import training
from townhall.cyber.models import Assessment
from townhall.estate.models import Component
from townhall.exchange import metrics
from townhall.exchange.figures import Figure, Source, missing, per_thousand, percent
from townhall.exchange.models import JurisdictionProfile
from townhall.governance import dashboard as governance_dashboard
from townhall.people import risk_input
from townhall.people.models import Position
from townhall.shadowit.pages import home as shadow_home

# The NIST CSF 2.0 functions by identifier, as the metric set names them.
FUNCTIONS = {"GV": "govern", "ID": "identify", "PR": "protect", "DE": "detect", "RS": "respond"}
FUNCTIONS["RC"] = "recover"
NOT_COUNTED = "Townhall does not count this figure yet, so it is left out."


def _cyber(user: Any) -> list[Figure]:
    keys = [f"cyber_{name}" for name in FUNCTIONS.values()]
    latest = (
        Assessment.objects.restrict(user, "view")
        .filter(status=Assessment.Status.COMPLETE)
        .order_by("-year", "-completed_on", "-pk")
        .first()
    )
    if latest is None:
        return [missing(k, "No completed cyber self-assessment is recorded.") for k in keys]
    source = (Source(f"{latest.name} ({latest.year})", latest.get_absolute_url()),)
    means: dict[str, Decimal | None] = {}
    for node in cyber_services.rollup_of(latest).functions:
        name = FUNCTIONS.get(node.identifier.upper()) or node.title.strip().lower()
        means[f"cyber_{name}"] = node.mean
    found = []
    for key in keys:
        mean = means.get(key)
        if mean is None:
            found.append(missing(key, f"{latest.name} has no scores for this function."))
        else:
            found.append(Figure(key, float(mean), sources=source))
    return found


def _components(user: Any, today: datetime.date) -> Figure:
    key = "components_past_support_pct"
    in_use = Component.objects.restrict(user, "view").filter(status=Component.Status.IN_SERVICE)
    total = in_use.aggregate(n=Sum("quantity"))["n"] or 0
    past = in_use.filter(end_of_support__lt=today).aggregate(n=Sum("quantity"))["n"] or 0
    value = percent(past, total)
    if value is None:
        return missing(key, "No component in service is recorded.")
    label = f"{past:,} of {total:,} components in service (counting fleets by size)"
    return Figure(key, value, sources=(Source(label, reverse("estate:component_list")),))


def _spend(profile: JurisdictionProfile) -> Figure:
    key = "it_spend_pct_operating"
    if profile.it_operating_budget is None:
        return missing(key, "The profile has no IT operating budget.")
    value = percent(profile.it_operating_budget, profile.operating_budget)
    if value is None:
        return missing(key, "The profile's operating budget is zero.")
    label = "IT operating budget and operating budget, from the jurisdiction profile"
    return Figure(key, value, sources=(Source(label, reverse("exchange:profile")),))


def _people(user: Any, profile: JurisdictionProfile) -> list[Figure]:
    positions = Position.objects.restrict(user, "view")
    where = reverse("people:position_list")
    filled = positions.filter(person__isnull=False).aggregate(n=Sum("fte"))["n"] or Decimal(0)
    staff = per_thousand(filled, profile.employees)
    if not filled:
        staff_figure = missing("it_staff_per_1000_employees", "No filled IT position is recorded.")
    elif staff is None:
        staff_figure = missing("it_staff_per_1000_employees", "The profile has no employees.")
    else:
        label = f"{filled:g} filled FTE, {profile.employees:,} employees"
        staff_figure = Figure("it_staff_per_1000_employees", staff, sources=(Source(label, where),))
    funded = positions.filter(funded=True)
    total = funded.count()
    vacant = funded.filter(person__isnull=True).count()
    rate = percent(vacant, total)
    if rate is None:
        vacancy = missing("it_vacancy_rate_pct", "No funded IT position is recorded.")
    else:
        label = f"{vacant:,} of {total:,} funded positions vacant"
        vacancy = Figure("it_vacancy_rate_pct", rate, sources=(Source(label, where),))
    return [staff_figure, vacancy]


def _continuity() -> Figure:
    """From the kept continuity analysis of the whole estate (worked out on its own job)."""
    key = "services_meeting_rto_pct"
    kept = StoredAnalysis.objects.order_by("-pk").first()
    if kept is None:
        return missing(key, "No continuity analysis is kept yet: open the continuity analysis.")
    rows = StoredFinding.objects.filter(analysis=kept, section="services")
    with_rto = [
        misses for misses, data in rows.values_list("misses", "data") if data.get("rto_hours")
    ]
    value = percent(with_rto.count(False), len(with_rto))
    if value is None:
        return missing(key, "No service has a recovery time objective in the analysis.")
    label = (
        f"{with_rto.count(False):,} of {len(with_rto):,} services with an RTO, "
        f"analysis of {kept.computed_at:%B %-d, %Y}"
    )
    return Figure(key, value, sources=(Source(label, reverse("continuity:analysis")),))


def _key_people(user: Any, today: datetime.date) -> Figure:
    key = "key_person_risk_pct"
    result = risk_input.analyze(user, today).result
    critical = [k for k, item in result.items.items() if item.critical]
    known = len(critical) - len(result.unknown_critical)
    value = percent(len(result.flags), known)
    if value is None:
        return missing(key, "No critical system has the skills to run it recorded.")
    label = f"{len(result.flags):,} of {known:,} critical systems with skills recorded"
    return Figure(key, value, sources=(Source(label, reverse("people:risk")),))


def _training(user: Any, today: datetime.date) -> Figure:
    key = "training_completion_pct"
    found = training.coverage(user, today)
    if found.percent is None:
        return missing(key, "No required security course, or nobody listed to take one.")
    label = f"{found.covered:,} of {found.people:,} people current on every required course"
    return Figure(key, found.percent, sources=(Source(label, reverse("cyber:training_coverage")),))


def _shadow(user: Any, today: datetime.date) -> Figure:
    key = "spend_outside_it_pct"
    overall = shadow_home.figures(user, today)["overall"]
    if overall["percent"] is None:
        return missing(key, "No technology spending is recorded for the year.")
    label = f"${overall['outside']:,.0f} of ${overall['technology']:,.0f} technology spending"
    value = round(float(overall["percent"]), 1)
    return Figure(key, value, sources=(Source(label, reverse("shadowit:home")),))


def _governed(user: Any) -> Figure:
    """The governance dashboard's own split of the estate's yearly cost, so the figure sent
    to peers is the one the board already reads."""
    key = "governed_spend_pct"
    shares = governance_dashboard.estate_shares(user)
    governed = next(r for r in shares["rows"] if r["key"] == "governed")
    if not shares["spend"]:
        return missing(key, "No system has a yearly cost recorded.")
    label = (
        f"${governed['spend']:,.0f} of ${shares['spend']:,.0f} yearly system cost in systems "
        "an approved investment request replaces, extends or retires"
    )
    value = percent(governed["spend"], shares["spend"])
    return Figure(key, value, sources=(Source(label, reverse("governance:dashboard")),))


def compute(
    user: Any, profile: JurisdictionProfile, today: datetime.date | None = None
) -> list[Figure]:
    """Every metric of the set, in its order: a value with its sources, or why not."""
    today = today or datetime.date.today()
    found = {f.key: f for f in _cyber(user)}
    found |= {f.key: f for f in _people(user, profile)}
    for figure in (
        _components(user, today),
        _spend(profile),
        _continuity(),
        _key_people(user, today),
        _training(user, today),
        _shadow(user, today),
        _governed(user),
    ):
        found[figure.key] = figure
    return [found.get(m.key) or missing(m.key, NOT_COUNTED) for m in metrics.METRICS]
