"""The continuity analysis, worked out once per change and kept for the pages.

Working the analysis out reads the whole estate and takes seconds in a large county (about
5 s for 105,000 items and 300,000 dependencies), too long for a page. So it is computed by
a background job (`JOB_KIND`, on the one job runner) and kept: `StoredAnalysis` holds the
figures and the capped lists (tiers, cycles, readiness), `StoredFinding` one row per ranked
entry (each service's recovery time, RTO gaps, inversions, RPO gaps, single points of
failure) with the service's department and whether it misses its RTO, so a page reads a
page of rows through an index, in a fixed number of queries whatever the estate's size.

Staying current. Every write to what the analysis reads (services, systems, components,
dependencies, impact analyses, recovery capabilities) inserts an `AnalysisChange` row in
the writer's own transaction, through the platform's change registry
(`core.changes.listen`, reported by the guard every save and bulk change passes and by the
importer's batches; restore puts back the kept analysis with the records it came from). A
page that finds such rows shows the analysis it has, says it is being updated, and asks for
the job (one job however many ask: it is submitted as the system, so everyone's requests
share it). The job claims the rows it has seen before reading the estate and deletes them
with its result, in one transaction: a change that commits while it works is not claimed
and makes the next page ask again, and a job that fails deletes nothing.

Who sees what. The analysis kept is the whole estate's. It is used only while every
signed-in person may see every record it reads (no row rules on those records, as today);
`current` answers None otherwise, and the pages work the analysis out for the reader.
"""

import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from townhall.continuity import analysis as recovery
from townhall.continuity import graph_input, report
from townhall.continuity.models import (
    AnalysisChange,
    ImpactAnalysis,
    RecoveryCapability,
    StoredAnalysis,
    StoredFinding,
)
from townhall.core import changes, context, permissions
from townhall.estate.models import Component, Dependency, RedundancyGroup, Service, System
from townhall.jobs import runner
from townhall.jobs.models import Job

JOB_KIND = "continuity_analysis"
INPUTS = (
    Service,
    System,
    Component,
    Dependency,
    RedundancyGroup,
    ImpactAnalysis,
    RecoveryCapability,
)
SECTIONS = ("services", "rto-gaps", "inversions", "rpo-gaps", "single-points")
TIER_ITEMS = 200  # items kept per tier; the count says how many there are in all
CYCLE_MEMBERS = 50  # members kept per cycle
UNCONFIRMED = 20  # services named whose RTO is met only if unknown times are short
SINGLE_POINTS = 2000  # single points of failure kept, most services stopped first
NAMED_STOPS = 5  # services named per single point of failure (the page names five)
BATCH = 1000


def _changed(model: type) -> None:
    AnalysisChange.objects.create()


def connect() -> None:
    """Hear of every write to what the analysis reads (the app config calls this)."""
    changes.listen((m._meta.label for m in INPUTS), _changed)


def shared() -> bool:
    """Whether every signed-in person sees every record the analysis reads, so one kept
    analysis answers for all of them."""
    return not any(permissions.has_row_rules(m) for m in INPUTS)


@dataclass(frozen=True)
class Current:
    """The kept analysis a page shows, and whether a newer one is being worked out."""

    analysis: StoredAnalysis | None  # None: the first one is being worked out
    updating: bool
    job: Job | None

    @property
    def computed_at(self) -> Any:
        return self.analysis.computed_at if self.analysis else None


def current(user: Any, ask: bool = True) -> Current | None:
    """The kept analysis for `user`, asking for a new one when the estate changed since
    (`ask` False: what is kept, asking for nothing, as the scorecard reads it); None when
    `user` must get an analysis of their own (see the module's docstring)."""
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
        return None
    if not shared():
        return None
    return whole(ask)


def whole(ask: bool = True) -> Current:
    """The kept analysis as the whole estate stands, asking for a new one when the estate
    changed since (unless `ask` is False: the scorecard's daily readings take what is kept,
    and never make a reader wait on a whole analysis); for figures the system keeps for
    itself, never for a person's page: no role is checked."""
    latest = StoredAnalysis.objects.defer("order_html").order_by("-pk").first()
    stale = latest is None or AnalysisChange.objects.exists()
    job = None
    if stale and ask:
        job = refresh()
        # Without a worker (the immediate backend) the job has run already: read its result.
        latest = StoredAnalysis.objects.defer("order_html").order_by("-pk").first()
        stale = latest is None or AnalysisChange.objects.exists()
    return Current(analysis=latest, updating=stale, job=job)


def refresh() -> Job:
    """Ask for the analysis to be worked out again; one job however many ask."""
    return runner.submit(context.SYSTEM, JOB_KIND, "Continuity analysis of the estate", {})


# --- working it out ----------------------------------------------------------------------


def _texts(entry: dict[str, Any]) -> dict[str, Any]:
    """The texts the page shows, worked out once: hours in words and the chain's links."""
    if "chain" in entry:
        entry["chain_html"] = report.chain_html(entry["chain"])
    if "recovery_hours" in entry:
        entry["recovery_text"] = report.hours_text(entry["recovery_hours"], entry["at_least"])
    if "gap_hours" in entry and "rto_hours" in entry:
        entry["gap_text"] = report.hours_text(entry["gap_hours"], entry["at_least"])
    return entry


def build(
    estate: graph_input.EstateAnalysis, owners: Mapping[int, int | None]
) -> tuple[dict[str, Any], str, list[StoredFinding]]:
    """The summary, the recovery order laid out as HTML, and the rows of the analysis as
    the pages show it (`owners`: each service's department)."""
    from townhall.continuity import dashboard

    a = estate.result
    ref = report.refs(estate)
    late = {g.key for g in a.rto_gaps}
    rows: list[StoredFinding] = []

    services = []
    for position, key in enumerate(report.service_order(estate)):
        entry = _texts(report.service_entry(estate, ref, key))
        services.append(entry)
        owner = owners.get(recovery.record_id(key))
        exact = {**entry, "recovery_exact": a.times.hours(key)}  # for the service's own page
        rows.append(
            StoredFinding(
                section="services",
                position=position,
                owner=owner,
                misses=key in late,
                item=recovery.record_id(key),
                data=exact,
            )
        )
    gaps = [_texts(report.rto_gap_entry(ref, g)) for g in a.rto_gaps]
    points = recovery.single_points_of_failure(a.graph, limit=SINGLE_POINTS, named=NAMED_STOPS)
    lists = {
        "rto-gaps": gaps,
        "inversions": [_texts(report.inversion_entry(ref, i)) for i in a.rto_inversions],
        "rpo-gaps": [_texts(report.rpo_gap_entry(ref, g)) for g in a.rpo_gaps],
        "single-points": [report.single_point_entry(ref, p) for p in points],
    }
    for section, entries in lists.items():
        rows += [
            StoredFinding(section=section, position=n, data=entry)
            for n, entry in enumerate(entries)
        ]
    single_count = len(recovery.loss_counts(a.graph))
    tiers = [
        {
            "tier": n,
            "count": len(members),
            "items": [ref(k) for k in members[:TIER_ITEMS]],
            "more": max(0, len(members) - TIER_ITEMS),
        }
        for n, members in enumerate(a.order.tiers)
    ]
    cycles = [
        {
            "count": len(c.members),
            "members": ref.chain(c.members[:CYCLE_MEMBERS]),
            "more": max(0, len(c.members) - CYCLE_MEMBERS),
        }
        for c in a.order.cycles
    ]
    summary = {
        "counts": {
            "services": len(services),
            "items": len(a.graph),
            "dependencies": a.graph.edge_count,
            "hidden_dependencies": estate.hidden_edges,
            "tiers": len(a.order.tiers),
            "cycles": len(a.order.cycles),
        },
        "sections": {
            "services": len(services),
            "rto-gaps": len(gaps),
            "inversions": len(lists["inversions"]),
            "rpo-gaps": len(lists["rpo-gaps"]),
            "single-points": single_count,
        },
        "kept": {"single-points": len(points)},
        "departments": sorted({d for d in owners.values() if d is not None}),
        "unconfirmed": [ref(k) for k in a.rto_unconfirmed[:UNCONFIRMED]],
        "unconfirmed_more": max(0, len(a.rto_unconfirmed) - UNCONFIRMED),
        "readiness": dashboard.recovery_figures(
            services,
            gaps,
            gap_count=len(gaps),
            rpo_gap_count=len(lists["rpo-gaps"]),
            inversion_count=len(lists["inversions"]),
            single_points=lists["single-points"],
        ),
    }
    order_html = render_to_string(
        "continuity/_analysis_order.html", {"tiers": tiers, "cycles": cycles}
    )
    return summary, order_html, rows


def recompute(progress: Any = None) -> StoredAnalysis:
    """Work the analysis of the whole estate out and keep it in place of the one before.
    `progress(step, message)` hears of the steps (three)."""
    token = uuid.uuid4().hex
    AnalysisChange.objects.update(claim=token)  # what the reading below includes
    started = time.perf_counter()
    if progress:
        progress(1, "Reading the estate and working out the analysis.")
    estate = graph_input.analyze(None, single_points=0)
    owners = dict(Service.objects.values_list("pk", "owner_department_id"))
    if progress:
        progress(2, "Ranking the findings.")
    summary, order_html, rows = build(estate, owners)
    with transaction.atomic():
        kept = StoredAnalysis.objects.create(
            computed_at=timezone.now(),
            seconds=time.perf_counter() - started,
            summary=summary,
            order_html=order_html,
        )
        for row in rows:
            row.analysis = kept
        StoredFinding.objects.bulk_create(rows, batch_size=BATCH)
        AnalysisChange.objects.filter(claim=token).delete()
        StoredAnalysis.objects.exclude(pk=kept.pk).delete()
    return kept


def service_row(kept: StoredAnalysis, service_id: int) -> dict[str, Any] | None:
    """One service's entry of the kept analysis (its effective recovery time, at least or
    not, its slowest chain), read by index: one query whatever the estate's size."""
    row = StoredFinding.objects.filter(analysis=kept, section="services", item=service_id)
    return row.values_list("data", flat=True).first()


def rows(kept: StoredAnalysis, section: str) -> Any:
    """The rows of one ranked list, in order (a queryset, to slice and filter)."""
    return StoredFinding.objects.filter(analysis=kept, section=section).order_by("position")
