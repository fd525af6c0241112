"""The estate dashboard, the personal calendar feed and the page that shows its address.

Every number on the dashboard links to the list page that shows the records behind it; the
counts come from `restrict(user, "view")` querysets in a fixed number of queries.
"""

import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Max, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from townhall.accounts import feeds
from townhall.core import plugins
from townhall.core.http import SignedInRequest
from townhall.estate import calendar, dashboard
from townhall.estate import models as m

TIERS = {
    1: "Tier 1 – life-safety or mission-critical",
    2: "Tier 2 – important",
    3: "Tier 3 – routine",
    4: "Tier 4 – can wait",
    None: "Tier not set",
}


# The contracts needing a decision soon that the dashboard lists (the rest are one link away).
NOTICE_ROWS = 20


def _link(name: str, **params: Any) -> str:
    url = reverse(f"estate:{name}_list")
    params = {k: v for k, v in params.items() if v is not None}
    return f"{url}?{urlencode(params)}" if params else url


def _rows(choices: list[tuple[Any, str]], counts: dict[Any, int], link: Any) -> list[dict]:
    return [
        {"label": label, "value": counts.get(key, 0), "url": link(key)} for key, label in choices
    ]


def _chart(rows: list[dict]) -> dashboard.Chart:
    return dashboard.bar_chart([(r.get("short", r["label"]), r["value"]) for r in rows])


def estate_summary(user: Any, today: datetime.date) -> dict[str, Any]:
    """Everything the dashboard shows, in four queries whatever the size of the estate."""
    systems = m.System.objects.restrict(user, "view")
    components = m.Component.objects.restrict(user, "view")
    contracts = m.Contract.objects.restrict(user, "view")
    windows = dashboard.support_windows(today)

    def in_window(w: dashboard.Window) -> Q:
        q = Q(end_of_support__lt=w.before)
        return q & Q(end_of_support__gte=w.after) if w.after else q

    # 1. Systems by lifecycle, hosting and tier together; summed below.
    by_lifecycle: dict[Any, int] = {}
    by_hosting: dict[Any, int] = {}
    by_tier: dict[Any, int] = {}
    for row in (
        systems.order_by().values("lifecycle", "hosting", "criticality").annotate(n=Count("pk"))
    ):
        by_lifecycle[row["lifecycle"]] = by_lifecycle.get(row["lifecycle"], 0) + row["n"]
        by_hosting[row["hosting"]] = by_hosting.get(row["hosting"], 0) + row["n"]
        by_tier[row["criticality"]] = by_tier.get(row["criticality"], 0) + row["n"]

    # 2. Systems: end of support, owners, discovered.
    sys_counts = systems.aggregate(
        total=Count("pk"),
        without_owner=Count(
            "pk", filter=Q(business_owner__isnull=True) | Q(technical_owner__isnull=True)
        ),
        discovered=Count("pk", filter=Q(sanctioned=False)),
        **{w.key: Count("pk", filter=in_window(w)) for w in windows},
    )
    # 3. Components: end of support.
    cmp_counts = components.aggregate(
        total=Count("pk"), **{w.key: Count("pk", filter=in_window(w)) for w in windows}
    )
    # 4. Contracts whose notice deadline falls in the window, soonest first.
    first, last = dashboard.notice_window(today)
    # A county has hundreds in a quarter: the soonest are listed, the count links to all.
    due_qs = (
        contracts.filter(notice_deadline__gte=first, notice_deadline__lte=last)
        .select_related("vendor")
        .order_by("notice_deadline", "pk")
    )
    due = list(due_qs[: NOTICE_ROWS + 1])
    notice_count = due_qs.count() if len(due) > NOTICE_ROWS else len(due)
    due = due[:NOTICE_ROWS]

    lifecycle = _rows(
        list(m.System.Lifecycle.choices), by_lifecycle, lambda k: _link("system", lifecycle=k)
    )
    hosting = _rows(
        list(m.System.Hosting.choices), by_hosting, lambda k: _link("system", hosting=k)
    )
    tier_keys = [1, 2, 3, 4] + ([None] if by_tier.get(None) else [])
    tiers = _rows(
        [(k, TIERS[k]) for k in tier_keys],
        by_tier,
        lambda k: (
            _link("system", criticality=k)
            if k is not None
            else _link("system", criticality_missing="true")
        ),
    )
    for row, key in zip(tiers, tier_keys, strict=True):
        row["short"] = f"Tier {key}" if key else "Not set"
    support = []
    for w in windows:
        dates = {
            "end_of_support_after": w.after.isoformat() if w.after else None,
            "end_of_support_before": w.before.isoformat(),
        }
        support.append(
            {
                "label": w.label,
                "after": w.after,
                "before": w.before,
                "systems": sys_counts[w.key],
                "systems_url": _link("system", **dates),
                "components": cmp_counts[w.key],
                "components_url": _link("component", **dates),
            }
        )
    return {
        "today": today,
        "systems_total": sys_counts["total"],
        "systems_url": _link("system"),
        "components_total": cmp_counts["total"],
        "components_url": _link("component"),
        "lifecycle": lifecycle,
        "lifecycle_chart": _chart(lifecycle),
        "hosting": hosting,
        "hosting_chart": _chart(hosting),
        "tiers": tiers,
        "tiers_chart": _chart(tiers),
        "support": support,
        "support_chart": dashboard.bar_chart(
            [(s["label"], s["systems"]) for s in support], label_width=200
        ),
        "notice_first": first,
        "notice_last": last,
        "notice_count": notice_count,
        "notice_url": _link(
            "contract", notice_after=first.isoformat(), notice_before=last.isoformat()
        ),
        "notice_contracts": due,
        "without_owner": sys_counts["without_owner"],
        "without_owner_url": _link("system", without_owner="true"),
        "discovered": sys_counts["discovered"],
        "discovered_url": _link("system", sanctioned="false"),
    }


@require_GET
def dashboard_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(request, "estate/dashboard.html", estate_summary(request.user, today))


# --- the calendar feed ---------------------------------------------------------------------


def feed_events(user: Any, today: datetime.date, base_url: str) -> list[calendar.Event]:
    """Notice deadlines and ends of support the user may see, from a year ago to five years
    ahead (older and further dates only clutter a calendar): one event per contract and per
    system, and one per day for components, so the feed stays a size calendars accept."""
    start = dashboard.add_months(today, -12)
    stop = dashboard.add_months(today, 60)
    events: list[calendar.Event] = []
    contracts = (
        m.Contract.objects.restrict(user, "view")
        .filter(notice_deadline__gte=start, notice_deadline__lte=stop)
        .select_related("vendor")
        .order_by("notice_deadline", "pk")
    )
    for c in contracts:
        events.append(
            calendar.Event(
                uid=f"contract-{c.pk}-notice@townhall",
                day=c.notice_deadline,
                summary=f"Notice deadline: {c}",
                description=(
                    f"Last day to give {c.vendor} notice before the contract "
                    f"{'renews' if c.auto_renew else 'ends'} on {c.end.isoformat()}"
                    f" ({c.notice_days or 0} days' notice)."
                ),
                url=base_url + c.get_absolute_url(),
                stamp=c.updated_at,
                categories=("Contract notice",),
            )
        )
    systems = (
        m.System.objects.restrict(user, "view")
        .filter(end_of_support__gte=start, end_of_support__lte=stop)
        .order_by("end_of_support", "pk")
        .only("pk", "name", "end_of_support", "updated_at")
    )
    for obj in systems.iterator(chunk_size=2000):
        events.append(
            calendar.Event(
                uid=f"system-{obj.pk}-end-of-support@townhall",
                day=obj.end_of_support,
                summary=f"End of support: {obj.name}",
                description=f"The system {obj.name} reaches the end of vendor support.",
                url=base_url + obj.get_absolute_url(),
                stamp=obj.updated_at,
                categories=("End of support",),
            )
        )
    # Components come by the thousand: one event per day, linking to that day's list.
    kinds = dict(m.Component.Kind.choices)
    days: dict[datetime.date, list[tuple[str, int, datetime.datetime]]] = {}
    for row in (
        m.Component.objects.restrict(user, "view")
        .filter(end_of_support__gte=start, end_of_support__lte=stop)
        .order_by()
        .values("end_of_support", "kind")
        .annotate(n=Count("pk"), stamp=Max("updated_at"))
        .order_by("end_of_support", "kind")
    ):
        days.setdefault(row["end_of_support"], []).append((row["kind"], row["n"], row["stamp"]))
    for day, rows in days.items():
        total = sum(n for _, n, _ in rows)
        parts = ", ".join(f"{kinds.get(kind, kind).lower()}: {n}" for kind, n, _ in rows)
        query = urlencode(
            {
                "end_of_support_after": day.isoformat(),
                "end_of_support_before": (day + datetime.timedelta(days=1)).isoformat(),
            }
        )
        events.append(
            calendar.Event(
                uid=f"components-{day:%Y%m%d}-end-of-support@townhall",
                day=day,
                summary=f"End of support: {total} component{'s' if total != 1 else ''}",
                description=f"Infrastructure reaching the end of vendor support ({parts}).",
                url=f"{base_url}{reverse('estate:component_list')}?{query}",
                stamp=max(stamp for _, _, stamp in rows),
                categories=("End of support",),
            )
        )
    # What later modules add (cyber: evidence expiring, for those who may see evidence).
    events += plugins.calendar_events(user, start, stop, base_url)
    return events


@login_not_required
@require_safe
def calendar_feed(request: HttpRequest, key: str) -> HttpResponse:
    """The feed at the user's secret address. No session: calendar apps fetch it alone."""
    user = feeds.owner_of(key)
    if user is None:
        raise Http404("No such calendar.")
    today = timezone.localdate()
    base_url = request.build_absolute_uri("/").rstrip("/")
    body = calendar.calendar(
        feed_events(user, today, base_url),
        name="Townhall estate dates",
        now=timezone.now(),
    )
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="townhall-estate.ics"'
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
def calendar_page(request: SignedInRequest) -> HttpResponse:
    """Only a hash of the key is kept, so the address shows once: in the answer to the
    post that makes it (not cached), like an API token's secret."""
    user = request.user
    if request.method == "GET":
        return render(request, "estate/dashboard_calendar.html", {"has_key": feeds.has_key(user)})
    had = feeds.has_key(user)
    key = feeds.reset(user)
    messages.success(
        request,
        "Your calendar address has been changed; the old one no longer works."
        if had
        else "Your calendar address is ready.",
    )
    feed_url = request.build_absolute_uri(reverse("estate:calendar_feed", args=[key]))
    response = render(
        request, "estate/dashboard_calendar.html", {"has_key": True, "feed_url": feed_url}
    )
    response["Cache-Control"] = "no-store"
    return response
