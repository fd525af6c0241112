"""The health pages: the front page's bands and weakest services, one page per service
with its weakest items and the chain that makes each matter, and the panel on a system's or
component's page (figures from `health.py`, facts from `health_input.py`)."""

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from townhall.continuity.graph_input import PAGES
from townhall.estate.models import Component, Service, System
from townhall.foundation import health, health_input

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
        "factors": h.factors,
        "chain": _chain(weak.chain, names),
    }


def _service(s: health.ServiceHealth, names: dict) -> dict[str, Any]:
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


def front(user: Any, today: datetime.date | None = None) -> dict[str, Any]:
    """The front page's health section: items per band, by kind, and the weakest services."""
    today = today or timezone.localdate()
    data = health_input.read(user, today)
    healths = health.assess_all(data.items, today)
    by_kind = {
        kind: health.band_counts(h for h in healths.values() if h.key[0] == kind)
        for kind in health.ITEM_KINDS
    }
    services = health.services_health(data.services, data.edges, healths, limit=0)
    weak = [s for s in services if s.band != health.SOUND][:FRONT_SERVICES]
    return {
        "bands": [(b, BAND_WORDS[b]) for b in health.BANDS],
        "band_rows": [
            ("Systems", [by_kind["system"][b] for b in health.BANDS]),
            ("Components", [by_kind["component"][b] for b in health.BANDS]),
        ],
        "weak_services": [_service(s, data.names) for s in weak],
        "weak_service_count": sum(1 for s in services if s.band != health.SOUND),
        "service_count": len(services),
    }


@require_safe
def service_health(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(Service.objects.restrict(request.user, "view"), pk=pk)
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
            "s": _service(found, data.names),
            "shown": len(found.weakest),
            "today": today,
        },
    )


def panel(request: Any, obj: Any) -> dict[str, Any] | None:
    """The health panel on a system's or component's page (`core.plugins`)."""
    if not isinstance(obj, System | Component):
        return None
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
