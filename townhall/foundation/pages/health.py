"""The health pages: the front page's bands and weakest services, one page per service
with its weakest items and the chain that makes each matter, and the panel on a system's or
component's page (figures from `health.py`, facts from `health_input.py`).

Each page reads the health the background job keeps (`stored.py`), in a few small queries
whatever the estate's size, and says so while a newer one is being worked out; a reader
for whom the kept health does not answer (row rules) gets one worked out for them."""

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from townhall.continuity.graph_input import PAGES
from townhall.estate.models import Component, Service, System
from townhall.foundation import health, health_input, stored

FRONT_SERVICES = 10  # weakest services on the front page
SERVICE_ITEMS = 100  # weak items listed on a service's page
BAND_WORDS = {
    health.CRITICAL: "Critical",
    health.WARNING: "Warning",
    health.WATCH: "Watch",
    health.SOUND: "Sound",
}


def _url(key: health.Key) -> str:
    return reverse(f"estate:{PAGES[key[0]]}_detail", args=[key[1]])


def _chain(chain: tuple[health.Key, ...], names: dict) -> list[dict[str, str]]:
    return [{"name": names.get(k, f"{k[0]} {k[1]}"), "url": _url(k), "kind": k[0]} for k in chain]


def _item(weak: health.WeakItem, names: dict) -> dict[str, Any]:
    h = weak.health
    return {
        "name": h.name,
        "url": _url(h.key),
        "kind": h.key[0],
        "band": h.band,
        "band_words": BAND_WORDS[h.band],
        "factors": stored.factors_data(h),
        "chain": _chain(weak.chain, names),
    }


def service_data(s: health.ServiceHealth, names: dict) -> dict[str, Any]:
    """A service's foundation as its page and the front page show it (kept as JSON)."""
    return {
        "name": s.name,
        "url": reverse("foundation:service_health", args=[s.key[1]]),
        "record_url": _url(s.key),
        "band": s.band,
        "band_words": BAND_WORDS[s.band],
        "counts": [(BAND_WORDS[b], s.counts[b]) for b in health.BANDS],
        "items_under": s.items_under,
        "weak_count": s.weak_count,
        "weakest": [_item(w, names) for w in s.weakest],
    }


def front_figures(
    healths: dict[health.Key, health.ItemHealth],
    services: list[health.ServiceHealth],
    names: dict,
) -> dict[str, Any]:
    """The front page's health figures: items per band, by kind, and the weakest services
    (`services` weakest first; their weak items are not shown there)."""
    by_kind = {
        kind: health.band_counts(h for h in healths.values() if h.key[0] == kind)
        for kind in health.ITEM_KINDS
    }
    weak = [s for s in services if s.band != health.SOUND][:FRONT_SERVICES]
    return {
        "band_rows": [
            ("Systems", [by_kind["system"][b] for b in health.BANDS]),
            ("Components", [by_kind["component"][b] for b in health.BANDS]),
        ],
        "weak_services": [{**service_data(s, names), "weakest": []} for s in weak],
        "weak_service_count": sum(1 for s in services if s.band != health.SOUND),
        "service_count": len(services),
    }


def _bands() -> list[tuple[str, str]]:
    return [(b, BAND_WORDS[b]) for b in health.BANDS]


def front(user: Any, today: datetime.date | None = None) -> dict[str, Any]:
    """The front page's health section: items per band, by kind, and the weakest services;
    kept by the job, worked out here only for a reader the kept health does not answer."""
    kept = stored.current(user)
    if kept is not None:
        out: dict[str, Any] = {"bands": _bands(), "kept": kept, "updating": kept.updating}
        if kept.health is None:
            return {**out, "pending": True}
        summary = kept.health.summary
        return {
            **out,
            **summary,
            "band_rows": [(label, counts) for label, counts in summary["band_rows"]],
        }
    today = today or timezone.localdate()
    data = health_input.read(user, today)
    healths = health.assess_all(data.items, today)
    services = health.services_health(data.services, data.edges, healths, limit=0)
    return {"bands": _bands(), **front_figures(healths, services, data.names)}


@require_safe
def service_health(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(Service.objects.restrict(request.user, "view"), pk=pk)
    kept = stored.current(request.user)
    if kept is not None:
        row = stored.service_row(kept.health, service.pk) if kept.health else None
        context: dict[str, Any] = {"service": service, "kept": kept}
        if row is None:
            # New since the health was kept: the job that weighs it is on its way.
            context.update(pending=True, updating=True)
        else:
            context.update(
                s=row,
                shown=len(row["weakest"]),
                today=kept.health.computed_for if kept.health else None,
                updating=kept.updating,
            )
        return render(request, "foundation/service_health.html", context)
    today = timezone.localdate()
    data = health_input.read(request.user, today)
    healths = health.assess_all(data.items, today)
    key = ("service", service.pk)
    (found,) = health.services_health(
        [(key, service.name)], data.edges, healths, limit=SERVICE_ITEMS
    )
    return render(
        request,
        "foundation/service_health.html",
        {
            "service": service,
            "s": service_data(found, data.names),
            "shown": len(found.weakest),
            "today": today,
        },
    )


def _kept_panel(kept: stored.Current, obj: System | Component) -> dict[str, Any] | None:
    """The panel from the kept health: one query beyond `stored.current`'s two."""
    kind = "system" if isinstance(obj, System) else "component"
    front_url = reverse("foundation:dashboard")
    row = stored.item_row(kept.health, kind, obj.pk) if kept.health else None
    if row is None:
        if kept.updating:
            return {"pending": True, "updating": True, "front": front_url}
        return None  # retired: not assessed
    return {
        "band": row.band,
        "band_words": BAND_WORDS[row.band],
        "factors": row.factors,
        "front": front_url,
        "updating": kept.updating,
        "computed_at": kept.computed_at,
    }


def panel(request: Any, obj: Any) -> dict[str, Any] | None:
    """The health panel on a system's or component's page (`core.plugins`): the kept
    health, in a fixed number of small queries whatever the estate's size."""
    if not isinstance(obj, System | Component):
        return None
    kept = stored.current(request.user)
    if kept is not None:
        return _kept_panel(kept, obj)
    today = timezone.localdate()
    try:
        facts = health_input.item_facts(request.user, obj, today)
    except LookupError:
        facts, too_large = None, True
    else:
        too_large = False
    if too_large:
        return {"too_large": True, "front": reverse("foundation:dashboard")}
    if facts is None:
        return None  # retired: not assessed
    found = health.assess(facts, today)
    return {
        "band": found.band,
        "band_words": BAND_WORDS[found.band],
        "factors": found.factors,
        "front": reverse("foundation:dashboard"),
    }
