"""What a service, system or component page shows about continuity, and the single points
of failure marked on the dependency page.

A service's page shows its impact analysis (or a link to add one), the effective recovery
time the analysis computes for it and whether that meets its RTO, and its latest exercise
result. A system's or component's page shows its recovery capability (or a link to add
one). The estate's pages show this panel because the continuity app registers it
(`core.plugins.register_panel`, in its app config), as it registers the single points of
failure the dependency page marks.

Each costs a fixed handful of queries. The computed time is read from the kept analysis
(`stored.py`) when it is current for the reader: one row, found by index. Otherwise (a
worker is still updating it, or row rules make the reader's analysis their own) it is
worked out from the part of the estate below the service (`subgraph`), never the whole
estate: the same figures, about 0.7 s for a large service on PostgreSQL.
"""

import datetime
from typing import Any

from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from townhall.continuity import exercise_rules as rules
from townhall.continuity import exercises, stored, subgraph
from townhall.continuity.models import ImpactAnalysis, RecoveryCapability
from townhall.core import permissions
from townhall.estate.models import Component, Service, System

STALE_DAYS = 365  # a restore test older than this is out of date (as on the readiness page)
# Items below a service past which its page leaves the computation to the analysis page.
COMPUTE_LIMIT = 2000
# Items below all mission-essential services past which the dependency page does not mark
# single points of failure (about 0.1 s of reading on SQLite at this size).
LOSS_LIMIT = 10000


def panel(request: Any, obj: Model) -> dict[str, Any] | None:
    """The context of the continuity panel on an estate record's page (`core.plugins`)."""
    return summary(request.user, obj)


def summary(user: Any, obj: Model) -> dict[str, Any] | None:
    """The continuity panel of an estate record's page; None for other records."""
    if isinstance(obj, Service):
        return service_summary(user, obj)
    if isinstance(obj, System | Component):
        return capability_summary(user, obj)
    return None


def service_summary(user: Any, service: Service) -> dict[str, Any]:
    """Impact analysis, computed recovery against the RTO, latest exercise result (three
    queries)."""
    analysis = ImpactAnalysis.objects.restrict(user, "view").filter(service=service).first()
    computed, too_large = computed_time(user, service)
    rto = analysis.rto_hours if analysis else None
    check = rules.rto_check(computed.hours, computed.at_least, rto) if computed else None
    latest = (
        exercises.visible_results(user)
        .filter(service=service)
        .select_related("exercise")
        .order_by("-exercise__held_on", "-exercise_id")
        .first()
    )
    result = None
    if latest is not None:
        judged_by = latest.rto_hours if latest.rto_hours is not None else rto
        result = {
            "object": latest,
            "measured_text": rules.hours_text(latest.measured_hours),
            "verdict": rules.verdict(latest.measured_hours, judged_by),
        }
    may_add = analysis is None and permissions.can_add(
        user, ImpactAnalysis, service.owner_department_id
    )
    return {
        "kind": "service",
        "analysis": analysis,
        "rto_text": rules.hours_text(rto),
        "rpo_text": rules.hours_text(analysis.rpo_hours if analysis else None),
        "mtd_text": rules.hours_text(analysis.mtd_hours if analysis else None),
        "computed": computed,
        "too_large": too_large,
        "check": check,
        "result": result,
        "add_url": (
            reverse("continuity:impactanalysis_add_for", args=[service.pk]) if may_add else ""
        ),
        "analysis_page": reverse("continuity:analysis"),
        "tests_url": reverse("continuity:recovery_tests"),
    }


def computed_time(user: Any, service: Service) -> tuple[exercises.Computed | None, bool]:
    """The service's effective recovery time with its slowest chain, and whether too much
    lies below it to work it out here: from the kept analysis when current for `user`
    (three small queries), else from the part of the estate below it (see the docstring)."""
    kept = stored.current(user)
    if kept is not None and kept.analysis is not None and not kept.updating:
        entry = stored.service_row(kept.analysis, service.pk)
        if entry is not None:
            chain = [exercises.Ref(r["name"], r.get("url", "")) for r in entry["chain"]]
            hours = entry.get("recovery_exact", entry["recovery_hours"])
            return exercises.Computed(hours=hours, at_least=entry["at_least"], chain=chain), False
    seeds = Service.objects.filter(pk=service.pk).values("pk")
    try:
        times, names = subgraph.recovery_times(user, seeds, limit=COMPUTE_LIMIT)
    except subgraph.TooLarge:
        return None, True
    key = ("service", service.pk)
    return exercises.computed_for(times, names, key, exercises.Urls()), False


def capability_summary(
    user: Any, item: System | Component, today: datetime.date | None = None
) -> dict[str, Any]:
    """The recovery capability of a system or component (one query, two with a link to
    add one)."""
    kind = "system" if isinstance(item, System) else "component"  # its model_name
    capability = (
        RecoveryCapability.objects.restrict(user, "view")
        .filter(**{kind: item})
        .select_related("recovery_site")
        .first()
    )
    today = today or timezone.localdate()
    tested = capability.last_restore_test if capability else None
    may_add = capability is None and permissions.can_add(
        user, RecoveryCapability, item.owner_department_id
    )
    return {
        "kind": kind,
        "capability": capability,
        "restore_text": rules.hours_text(capability.restore_hours if capability else None),
        "backup_text": rules.hours_text(capability.backup_frequency_hours if capability else None),
        "rto_text": rules.hours_text(capability.rto_hours if capability else None),
        "tested_days": (today - tested).days if tested else None,
        "test_stale": bool(tested and (today - tested).days > STALE_DAYS),
        "add_url": (
            reverse(f"continuity:recoverycapability_add_for_{kind}", args=[item.pk])
            if may_add
            else ""
        ),
        "analysis_page": reverse("continuity:analysis"),
    }


def dependency_losses(user: Any) -> dict[tuple[str, Any], int] | None:
    """For the dependency page: how many mission-essential services each item's loss
    stops, for items that stop any (one query); None when more than `LOSS_LIMIT` items lie
    below the mission-essential services, which the analysis page ranks instead."""
    try:
        return subgraph.loss_counts(user, limit=LOSS_LIMIT)
    except subgraph.TooLarge:
        return None
