"""The foundation health, worked out once per change (and once a day) and kept for the pages.

Weighing the health reads the whole estate, its exposures, incidents and recovery
capabilities and works out the single points of failure under mission-essential services:
too long for a page, and the panel on every system's and component's page would do it on
each view. So it is computed by a background job (`JOB_KIND`, on the one job runner) and
kept, in the shape of continuity's stored analysis (`continuity/stored.py`): `StoredHealth`
holds the front page's figures, `StoredItemHealth` one row per system and component in
service (its band and factors, for the panel on its page) and `StoredServiceHealth` one row
per service (its band, its items by band and its weakest items with their chains, for its
page), each read by index in a fixed number of queries whatever the estate's size.

Staying current. Every write to what the health reads (services, systems, components,
dependencies, redundancy groups, exposures, incidents, impact analyses, recovery
capabilities, expected service lives) inserts a `HealthChange` row in the writer's own
transaction, through the platform's change registry (`core.changes.listen`); restore puts
back the kept health with the records it came from. Age, end of support, incidents within
the year and restore tests are counted from a day, so the kept health holds for the day it
was worked out for only. A page that finds change rows, or a health of another day, shows
the health it has, says it is being updated, and asks for the job (one job however many
ask: it is submitted as the system). The job claims the change rows it has seen before
reading the estate and deletes them with its result, in one transaction: a change that
commits while it works is not claimed and makes the next page ask again, and a job that
fails deletes nothing.

Who sees what. The health kept is the whole estate's. It is used only for a reader who
may see every record it reads (no row rule narrows what they see: today, everyone but
department liaisons, whom the cyber records' rule limits to their department's exposures
and incidents); `current` answers None otherwise, and the pages work the health out for
the reader.
"""

import datetime
import time
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from townhall.continuity.models import ImpactAnalysis, RecoveryCapability
from townhall.core import changes, context, permissions
from townhall.cyber.models import Exposure, Incident
from townhall.estate.models import Component, Dependency, RedundancyGroup, Service, System
from townhall.foundation import health, health_input
from townhall.foundation.models import (
    HealthChange,
    ServiceLife,
    StoredHealth,
    StoredItemHealth,
    StoredServiceHealth,
)
from townhall.jobs import runner
from townhall.jobs.models import Job

JOB_KIND = "foundation_health"
INPUTS = (
    Service,
    System,
    Component,
    Dependency,
    RedundancyGroup,
    Exposure,
    Incident,
    ImpactAnalysis,
    RecoveryCapability,
    ServiceLife,
)
BATCH = 1000


def _changed(model: type) -> None:
    HealthChange.objects.create()


def connect() -> None:
    """Hear of every write to what the health reads (the app config calls this)."""
    changes.listen((m._meta.label for m in INPUTS), _changed)


def shared(user: Any = None) -> bool:
    """Whether `user` (None: everyone) sees every record the health reads, so one kept
    health answers for them."""
    return all(permissions.sees_every_row(m, user) for m in INPUTS)


@dataclass(frozen=True)
class Current:
    """The kept health a page shows, and whether a newer one is being worked out."""

    health: StoredHealth | None  # None: the first one is being worked out
    updating: bool
    job: Job | None

    @property
    def computed_at(self) -> Any:
        return self.health.computed_at if self.health else None


def _stale(latest: StoredHealth | None, today: datetime.date) -> bool:
    return latest is None or latest.computed_for != today or HealthChange.objects.exists()


def current(user: Any, ask: bool = True) -> Current | None:
    """The kept health for `user` (`ask` False: what is kept, asking for nothing, as the
    scorecard reads it), asking for a new one when the estate changed since or
    the day did; None when `user` must get a health of their own (see the docstring).
    Two small queries while it is current."""
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
        return None
    if not shared(user):
        return None
    return whole(ask)


def whole(ask: bool = True) -> Current:
    """The kept health as the whole estate stands, asking for a new one when it is stale
    (unless `ask` is False: the scorecard's daily readings take what is kept, and never
    make a reader wait on a whole analysis); for figures the system keeps for itself,
    never for a person's page: no role is checked."""
    today = timezone.localdate()
    latest = StoredHealth.objects.order_by("-pk").first()
    stale = _stale(latest, today)
    job = None
    if stale and ask:
        job = refresh()
        # Without a worker (the immediate backend) the job has run already: read its result.
        latest = StoredHealth.objects.order_by("-pk").first()
        stale = _stale(latest, today)
    return Current(health=latest, updating=stale, job=job)


def refresh() -> Job:
    """Ask for the health to be worked out again; one job however many ask."""
    return runner.submit(context.SYSTEM, JOB_KIND, "Foundation health of the estate", {})


# --- working it out ----------------------------------------------------------------------


def factors_data(found: health.ItemHealth) -> list[dict[str, str]]:
    """An item's factors as kept: what the panel's template reads of each."""
    return [
        {"code": f.code, "text": f.text, "severity": f.severity, "figure": f.figure}
        for f in found.factors
    ]


def _id(key: health.Key) -> int:
    """The record id of a graph key (`("system", 12)`)."""
    return int(key[1])  # type: ignore[call-overload]  # ids in the estate graph are ints


def build(
    data: health_input.HealthInput, today: datetime.date
) -> tuple[dict[str, Any], list[StoredItemHealth], list[StoredServiceHealth]]:
    """The front page's figures, one row per item and one per service, as the pages show
    them."""
    from townhall.foundation.pages import health as pages

    healths = health.assess_all(data.items, today)
    items = [
        StoredItemHealth(kind=h.key[0], item=_id(h.key), band=h.band, factors=factors_data(h))
        for h in healths.values()
    ]
    found = health.services_health(data.services, data.edges, healths, limit=pages.SERVICE_ITEMS)
    services = []
    for position, s in enumerate(found):
        services.append(
            StoredServiceHealth(
                service=_id(s.key),
                position=position,
                band=s.band,
                data=pages.service_data(s, data.names),
            )
        )
    summary = pages.front_figures(healths, found, data.names)
    summary["counts"] = {"items": len(items), "services": len(services)}
    return summary, items, services


def recompute(progress: Any = None, today: datetime.date | None = None) -> StoredHealth:
    """Work the health of the whole estate out for `today` and keep it in place of the one
    before. `progress(step, message)` hears of the steps (three)."""
    token = uuid.uuid4().hex
    HealthChange.objects.update(claim=token)  # what the reading below includes
    today = today or timezone.localdate()
    started = time.perf_counter()
    if progress:
        progress(1, "Reading the estate and weighing each system and component.")
    data = health_input.read(None, today)
    if progress:
        progress(2, "Weighing what each service stands on.")
    summary, items, services = build(data, today)
    with transaction.atomic():
        kept = StoredHealth.objects.create(
            computed_at=timezone.now(),
            computed_for=today,
            seconds=time.perf_counter() - started,
            summary=summary,
        )
        for row in items:
            row.health = kept
        for srow in services:
            srow.health = kept
        StoredItemHealth.objects.bulk_create(items, batch_size=BATCH)
        StoredServiceHealth.objects.bulk_create(services, batch_size=BATCH)
        HealthChange.objects.filter(claim=token).delete()
        StoredHealth.objects.exclude(pk=kept.pk).delete()
    return kept


def item_row(kept: StoredHealth, kind: str, item: int) -> StoredItemHealth | None:
    """One system's or component's kept health, read by index: one query."""
    return StoredItemHealth.objects.filter(health=kept, kind=kind, item=item).first()


def service_row(kept: StoredHealth, service: int) -> dict[str, Any] | None:
    """One service's kept foundation, read by index: one query."""
    row = StoredServiceHealth.objects.filter(health=kept, service=service)
    return row.values_list("data", flat=True).first()
