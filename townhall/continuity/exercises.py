"""Exercises read for pages: each result of an exercise against its RTO and against the
effective recovery time the analysis computes, every tested service's latest measurement
and its trend, and follow-up actions with what is overdue.

Everything is read as the reader may see it (`restrict()`), in a fixed number of queries
however many results there are; the computed times come from the part of the estate below
the tested services (`subgraph`), which gives the analysis page's numbers without reading
the whole estate. The judging is in `exercise_rules` (pure).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse

from townhall.continuity import analysis, subgraph
from townhall.continuity import exercise_rules as rules
from townhall.continuity.models import Exercise, ExerciseResult, FollowUp, ImpactAnalysis
from townhall.core.charts import Chart, Item, bar_chart
from townhall.estate.models import Service

_MARK = 987654321


class Urls:
    """Addresses of records by id, built from one reverse() per kind of page."""

    def __init__(self) -> None:
        self._patterns: dict[str, str] = {}

    def __call__(self, name: str, pk: Any) -> str:
        if name not in self._patterns:
            self._patterns[name] = reverse(name, args=[_MARK])
        return self._patterns[name].replace(str(_MARK), str(pk))


@dataclass(frozen=True)
class Ref:
    """A named record with its address."""

    name: str
    url: str


@dataclass(frozen=True)
class Computed:
    """The effective recovery time of a service as the analysis computes it."""

    hours: float
    at_least: bool
    chain: list[Ref]

    @property
    def text(self) -> str:
        return ("at least " if self.at_least else "") + rules.hours_text(self.hours)


@dataclass
class ResultRow:
    """One service's result in one exercise, judged."""

    result_id: int
    result_url: str
    service: Ref
    service_id: int
    measured: Decimal
    rto: Decimal | None  # the RTO it is judged by
    rto_source: str  # "at the time", "current" or "" (none)
    analysis_url: str  # its impact analysis, "" when there is none
    computed: Computed | None
    verdict: rules.Verdict
    prediction: rules.Prediction

    @property
    def measured_text(self) -> str:
        return rules.hours_text(self.measured)

    @property
    def rto_text(self) -> str:
        return rules.hours_text(self.rto)


@dataclass
class Measurement:
    """One test of a service: which exercise, when, how long it took."""

    result_url: str
    exercise: Ref
    held_on: datetime.date
    measured: Decimal

    @property
    def measured_text(self) -> str:
        return rules.hours_text(self.measured)


@dataclass
class TestedService:
    """Every test of one service, the latest judged against today's RTO."""

    service: Ref
    service_id: int
    history: list[Measurement]  # oldest first
    rto: Decimal | None  # today's, from the impact analysis
    analysis_url: str
    computed: Computed | None
    verdict: rules.Verdict
    prediction: rules.Prediction
    trend: rules.Trend
    dependencies_url: str = ""

    @property
    def latest(self) -> Measurement:
        return self.history[-1]

    @property
    def rto_text(self) -> str:
        return rules.hours_text(self.rto)


def visible_services(user: Any) -> QuerySet:
    return Service.objects.restrict(user, "view")


def visible_results(user: Any) -> QuerySet:
    """The results `user` may see, of exercises and services they may see."""
    return ExerciseResult.objects.restrict(user, "view").filter(
        service__in=visible_services(user),
        exercise__in=Exercise.objects.restrict(user, "view"),
    )


def computed_for(
    times: analysis.RecoveryTimes, names: dict, key: analysis.Key, urls: Urls
) -> Computed | None:
    """The computed recovery time of `key` with its chain linked; None when not in view."""
    if key not in times.graph:
        return None
    chain = [Ref(names.get(k, ""), urls(f"estate:{k[0]}_detail", k[1])) for k in times.chain(key)]
    return Computed(hours=times.hours(key), at_least=times.at_least(key), chain=chain)


def computed_times(user: Any, seeds: QuerySet) -> tuple[analysis.RecoveryTimes, dict]:
    """Effective recovery times of the services `seeds` selects (one query)."""
    return subgraph.recovery_times(user, seeds)


def exercise_results(user: Any, exercise: Exercise) -> list[ResultRow]:
    """The results of one exercise, by service name, each against the RTO it was held to
    (the one recorded with it, else the service's current one) and against the computed
    effective recovery time. Two queries."""
    analyses = ImpactAnalysis.objects.restrict(user, "view").filter(service=OuterRef("service"))
    results = (
        visible_results(user)
        .filter(exercise=exercise)
        .select_related("service")
        .annotate(
            current_rto=Subquery(analyses.values("rto_hours")[:1]),
            analysis_id=Subquery(analyses.values("pk")[:1]),
        )
        .order_by("service__name", "pk")
    )
    rows = list(results)
    if not rows:
        return []
    seeds = visible_results(user).filter(exercise=exercise).values("service_id")
    times, names = computed_times(user, seeds)
    urls = Urls()
    out = []
    for r in rows:
        if r.rto_hours is not None:
            rto, source = r.rto_hours, "at the time"
        elif r.current_rto is not None:
            rto, source = r.current_rto, "current"
        else:
            rto, source = None, ""
        computed = computed_for(times, names, ("service", r.service_id), urls)
        out.append(
            ResultRow(
                result_id=r.pk,
                result_url=urls("continuity:exerciseresult_detail", r.pk),
                service=Ref(r.service.name, urls("estate:service_detail", r.service_id)),
                service_id=r.service_id,
                measured=r.measured_hours,
                rto=rto,
                rto_source=source,
                analysis_url=(
                    urls("continuity:impactanalysis_detail", r.analysis_id) if r.analysis_id else ""
                ),
                computed=computed,
                verdict=rules.verdict(r.measured_hours, rto),
                prediction=rules.against_computed(
                    r.measured_hours,
                    computed.hours if computed else None,
                    computed.at_least if computed else False,
                ),
            )
        )
    return out


def results_chart(rows: list[ResultRow]) -> Chart:
    """Measured recovery time per service, with the RTO as the mark it should stay under."""
    return bar_chart(
        [
            Item(
                label=row.service.name,
                value=row.measured,
                text=row.measured_text,
                limit=row.rto,
                limit_text=f"RTO {row.rto_text}" if row.rto is not None else "",
            )
            for row in rows
        ],
        label_width=170,
    )


def _order(row: TestedService) -> tuple:
    """Missed first (by how much), then those without an RTO, then met; by name within."""
    rank = {rules.MISSED: 0, rules.NO_RTO: 1, rules.MET: 2}[row.verdict.status]
    late = -(row.verdict.margin or 0) if row.verdict.status == rules.MISSED else 0
    return (rank, late, row.service.name.casefold(), row.service_id)


def recovery_tests(user: Any) -> list[TestedService]:
    """One row per service with any visible result: its latest measured time and the
    exercise it came from, today's RTO from its impact analysis, the computed effective
    recovery time, met or missed, and the trend over its tests. Worst first. Three queries.
    """
    results = visible_results(user)
    measured = list(
        results.order_by("service__name", "service_id", "exercise__held_on", "exercise_id")
        .values_list(
            "pk",
            "service_id",
            "service__name",
            "exercise_id",
            "exercise__name",
            "exercise__held_on",
            "measured_hours",
        )
        .iterator(chunk_size=2000)
    )
    if not measured:
        return []
    seeds = results.values("service_id")
    current = {
        service: (pk, rto)
        for service, pk, rto in ImpactAnalysis.objects.restrict(user, "view")
        .filter(service__in=seeds)
        .values_list("service_id", "pk", "rto_hours")
    }
    times, names = computed_times(user, seeds)
    urls = Urls()
    by_service: dict[int, list] = {}
    labels: dict[int, str] = {}
    for pk, service, name, exercise, exercise_name, held_on, hours in measured:
        labels[service] = name
        by_service.setdefault(service, []).append(
            Measurement(
                result_url=urls("continuity:exerciseresult_detail", pk),
                exercise=Ref(exercise_name, urls("continuity:exercise_detail", exercise)),
                held_on=held_on,
                measured=hours,
            )
        )
    rows = []
    for service, history in by_service.items():
        analysis_id, rto = current.get(service, (None, None))
        computed = computed_for(times, names, ("service", service), urls)
        latest = history[-1].measured
        rows.append(
            TestedService(
                service=Ref(labels[service], urls("estate:service_detail", service)),
                service_id=service,
                history=history,
                rto=rto,
                analysis_url=(
                    urls("continuity:impactanalysis_detail", analysis_id) if analysis_id else ""
                ),
                computed=computed,
                verdict=rules.verdict(latest, rto),
                prediction=rules.against_computed(
                    latest,
                    computed.hours if computed else None,
                    computed.at_least if computed else False,
                ),
                trend=rules.trend([m.measured for m in history]),
                dependencies_url=urls("estate:service_dependencies", service),
            )
        )
    rows.sort(key=_order)
    return rows


# --- follow-up actions -------------------------------------------------------------------


RELATED = ("owner", "owner_department", "service", "exercise")


@dataclass
class FollowUpRow:
    """A follow-up action as listed, with how overdue it is and whether the reader may
    change it."""

    follow_up: FollowUp
    overdue_days: int
    can_change: bool
    edit_url: str


def _follow_up_rows(user: Any, qs: QuerySet, today: datetime.date) -> list[FollowUpRow]:
    rows = list(qs)
    ids = [f.pk for f in rows]
    changeable = (
        set(
            FollowUp.objects.filter(pk__in=ids)
            .restrict(user, "change")
            .values_list("pk", flat=True)
        )
        if ids
        else set()
    )
    urls = Urls()
    return [
        FollowUpRow(
            follow_up=f,
            overdue_days=rules.days_overdue(f.due_on, f.status == FollowUp.Status.DONE, today),
            can_change=f.pk in changeable,
            edit_url=urls("continuity:followup_edit", f.pk),
        )
        for f in rows
    ]


def exercise_follow_ups(user: Any, exercise: Exercise, today: datetime.date) -> list[FollowUpRow]:
    """The follow-up actions of one exercise, soonest due first (two queries)."""
    qs = FollowUp.objects.restrict(user, "view").filter(exercise=exercise)
    return _follow_up_rows(user, qs.select_related(*RELATED).order_by("due_on", "pk"), today)


def overdue_follow_ups(
    user: Any, today: datetime.date, limit: int = 100
) -> tuple[list[FollowUpRow], int]:
    """Follow-up actions past their due date and not done, longest overdue first: at most
    `limit` of them, and how many there are (three queries)."""
    qs = (
        FollowUp.objects.restrict(user, "view")
        .exclude(status=FollowUp.Status.DONE)
        .filter(due_on__lt=today)
        .order_by("due_on", "pk")
    )
    return _follow_up_rows(user, qs.select_related(*RELATED)[:limit], today), qs.count()
