"""The continuity analysis page: which services cannot come back in time and why, RTO
inversions, RPO gaps, single points of failure, the recovery order and cycles, computed
from what the reader may see (rules in continuity/analysis.py).

A large county has thousands of services and tens of thousands of findings, so the page
shows the worst few of each ranked finding with their count and a link to all of them
(`?section=rto-gaps`, paged with `?page=`), and the effective recovery time of each service
a page at a time, filtered by department (`?department=<id>`) and to the services that
miss their RTO (`?misses=1`). Chains are worked out only for the rows shown. Anything
wrong in the address falls back to the first page or no filter, with a message.
"""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_safe

from townhall.continuity import analysis as recovery
from townhall.continuity import graph_input, report, stored
from townhall.continuity.models import StoredFinding
from townhall.estate.models import Service
from townhall.org.models import Department

TOP = 10  # findings of each kind shown on the whole page
SECTION_PAGE = 50  # findings per page when one kind is shown in full
SERVICE_PAGE = 100  # services per page
TIER_ITEMS = 200  # items listed per tier; the count says how many there are in all
CYCLE_MEMBERS = 50  # members listed per cycle
UNCONFIRMED = 20  # services named whose RTO is met only if unknown times are short

SECTIONS = {
    "rto-gaps": "Services that cannot meet their recovery time objective",
    "inversions": "RTO inversions",
    "rpo-gaps": "Recovery point gaps",
    "single-points": "Single points of failure",
}


@dataclass
class Page:
    """One page of a list, with what the shared pagination template reads."""

    number: int
    size: int
    count: int

    @property
    def start(self) -> int:
        return (self.number - 1) * self.size

    @property
    def stop(self) -> int:
        return min(self.count, self.number * self.size)

    @property
    def paginator(self) -> "Page":
        return self

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.size))

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def page_of(raw: str | None, size: int, count: int, notes: list[str]) -> Page:
    """The page asked for; page 1, with a note, when it is not a page number in range."""
    page = Page(1, size, count)
    if raw in (None, ""):
        return page
    try:
        number = int(raw)
    except (TypeError, ValueError):
        notes.append(f"“{raw[:40]}” is not a page number; showing the first page.")
        return page
    if not 1 <= number <= page.num_pages:
        pages = page.num_pages
        notes.append(
            f"There is no page {number} (there {'is' if pages == 1 else 'are'} {pages}); "
            "showing the first page."
        )
        return page
    return Page(number, size, count)


def _query(params: dict[str, str]) -> str:
    query = QueryDict(mutable=True)
    for key, value in params.items():
        if value:
            query[key] = value
    return query.urlencode()


def _texts(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for entry in entries:
        if "recovery_hours" in entry:
            entry["recovery_text"] = report.hours_text(entry["recovery_hours"], entry["at_least"])
        if "gap_hours" in entry and "rto_hours" in entry:
            entry["gap_text"] = report.hours_text(entry["gap_hours"], entry["at_least"])
    return entries


def _findings(
    estate: graph_input.EstateAnalysis, ref: Any, section: str, start: int, stop: int
) -> tuple[int, list[dict[str, Any]]]:
    """How many findings of one kind there are, and entries [start:stop] of them."""
    a = estate.result
    if section == "rto-gaps":
        return len(a.rto_gaps), _texts(
            [report.rto_gap_entry(ref, g) for g in a.rto_gaps[start:stop]]
        )
    if section == "inversions":
        return len(a.rto_inversions), [
            report.inversion_entry(ref, i) for i in a.rto_inversions[start:stop]
        ]
    if section == "rpo-gaps":
        return len(a.rpo_gaps), [report.rpo_gap_entry(ref, g) for g in a.rpo_gaps[start:stop]]
    count = len(recovery.loss_counts(a.graph))
    points = recovery.single_points_of_failure(a.graph, limit=stop)[start:stop] if count else []
    return count, [report.single_point_entry(ref, p) for p in points]


def _departments(user: Any) -> tuple[dict[int, int | None], list[tuple[int, str]]]:
    """Each visible service's department, and the departments owning any (two queries)."""
    owner = dict(Service.objects.restrict(user, "view").values_list("pk", "owner_department_id"))
    wanted = {d for d in owner.values() if d is not None}
    choices = list(
        Department.objects.restrict(user, "view")
        .filter(pk__in=wanted)
        .order_by("name", "pk")
        .values_list("pk", "name")
    )
    return owner, choices


def _filters(
    request: HttpRequest, departments: list[tuple[int, str]], notes: list[str]
) -> tuple[int | None, bool]:
    """The department and "only misses" asked for, each dropped with a note when wrong."""
    department = request.GET.get("department", "")
    chosen = None
    if department:
        chosen = next((pk for pk, _ in departments if str(pk) == department), None)
        if chosen is None:
            notes.append("That department owns no service you can see; showing every department.")
    misses_raw = request.GET.get("misses", "")
    if misses_raw not in ("", "1"):
        notes.append("“Only services that miss their RTO” takes 1 or nothing; showing all.")
    return chosen, misses_raw == "1"


def _kept_page(
    request: HttpRequest, kept: stored.Current, section: str, notes: list[str]
) -> HttpResponse:
    """The page from the kept analysis: a fixed number of queries whatever the size."""
    context: dict[str, Any] = {
        "notes": notes,
        "kept": kept,
        "top": TOP,
        "section": section,
        "title": SECTIONS.get(section, ""),
    }
    if kept.analysis is None:
        context.update(pending=True, counts={})
        return render(request, "continuity/analysis.html", context)
    summary = kept.analysis.summary
    sizes = summary["sections"]
    context["counts"] = summary["counts"]
    if section:
        count = min(sizes[section], summary.get("kept", {}).get(section, sizes[section]))
        page = page_of(request.GET.get("page"), SECTION_PAGE, count, notes)
        entries = [
            r.data for r in stored.rows(kept.analysis, section)[page.start : page.stop].only("data")
        ]
        context.update(
            findings={
                section.replace("-", "_"): {
                    "count": sizes[section],
                    "listed": count,
                    "entries": entries,
                }
            },
            page=page,
            query=_query({"section": section}),
        )
        return render(request, "continuity/analysis.html", context)

    findings: dict[str, dict[str, Any]] = {
        key.replace("-", "_"): {"count": sizes[key], "entries": []} for key in SECTIONS
    }
    top = StoredFinding.objects.filter(
        analysis=kept.analysis, section__in=list(SECTIONS), position__lt=TOP
    ).order_by("section", "position")
    for row in top.only("section", "data"):
        findings[row.section.replace("-", "_")]["entries"].append(row.data)

    departments = list(
        Department.objects.restrict(request.user, "view")
        .filter(pk__in=summary["departments"])
        .order_by("name", "pk")
        .values_list("pk", "name")
    )
    chosen, misses = _filters(request, departments, notes)
    services = stored.rows(kept.analysis, "services")
    if chosen is not None:
        services = services.filter(owner=chosen)
    if misses:
        services = services.filter(misses=True)
    filtered = chosen is not None or misses
    count = services.count() if filtered else sizes["services"]
    page = page_of(request.GET.get("page"), SERVICE_PAGE, count, notes)
    context.update(
        findings=findings,
        unconfirmed=summary["unconfirmed"],
        unconfirmed_more=summary["unconfirmed_more"],
        services=[r.data for r in services[page.start : page.stop].only("data")],
        services_filtered=filtered,
        departments=departments,
        department=chosen,
        misses=misses,
        page=page,
        query=_query({"department": str(chosen or ""), "misses": "1" if misses else ""}),
        order_html=kept.analysis.order_html,  # tiers and cycles, laid out by the job
    )
    return render(request, "continuity/analysis.html", context)


@require_safe
def analysis(request: HttpRequest) -> HttpResponse:
    """The whole analysis, or one kind of finding in full with `?section=`."""
    notes: list[str] = []
    section = request.GET.get("section", "")
    if section and section not in SECTIONS:
        notes.append(f"There is no part of the analysis called “{section[:40]}”; showing all.")
        section = ""
    kept = stored.current(request.user)
    if kept is not None:
        return _kept_page(request, kept, section, notes)
    estate = graph_input.analyze(request.user, single_points=0)
    ref = report.refs(estate)
    a = estate.result
    counts = {
        "services": sum(1 for item in a.graph.items if item.kind == "service"),
        "items": len(a.graph),
        "dependencies": a.graph.edge_count,
        "hidden_dependencies": estate.hidden_edges,
        "tiers": len(a.order.tiers),
        "cycles": len(a.order.cycles),
    }
    context: dict[str, Any] = {"counts": counts, "notes": notes}

    if section:
        count, _ = _findings(estate, ref, section, 0, 0)
        page = page_of(request.GET.get("page"), SECTION_PAGE, count, notes)
        _, entries = _findings(estate, ref, section, page.start, page.stop)
        context.update(
            section=section,
            title=SECTIONS[section],
            findings={section.replace("-", "_"): {"count": count, "entries": entries}},
            page=page,
            query=_query({"section": section}),
        )
        return render(request, "continuity/analysis.html", context)

    findings = {}
    for key in SECTIONS:
        count, entries = _findings(estate, ref, key, 0, TOP)
        findings[key.replace("-", "_")] = {"count": count, "entries": entries}

    owner, departments = _departments(request.user)
    chosen, misses = _filters(request, departments, notes)
    late = {g.key for g in a.rto_gaps}
    keys = [
        k
        for k in report.service_order(estate)
        if (chosen is None or owner.get(recovery.record_id(k)) == chosen)
        and (not misses or k in late)
    ]
    page = page_of(request.GET.get("page"), SERVICE_PAGE, len(keys), notes)
    rows = _texts([report.service_entry(estate, ref, k) for k in keys[page.start : page.stop]])

    tiers = []
    for n, members in enumerate(a.order.tiers):
        tiers.append(
            {
                "tier": n,
                "count": len(members),
                "items": [ref(k) for k in members[:TIER_ITEMS]],
                "more": max(0, len(members) - TIER_ITEMS),
            }
        )
    cycles = [
        {
            "count": len(c.members),
            "members": ref.chain(c.members[:CYCLE_MEMBERS]),
            "more": max(0, len(c.members) - CYCLE_MEMBERS),
        }
        for c in a.order.cycles
    ]
    context.update(
        findings=findings,
        unconfirmed=[ref(k) for k in a.rto_unconfirmed[:UNCONFIRMED]],
        unconfirmed_more=max(0, len(a.rto_unconfirmed) - UNCONFIRMED),
        services=rows,
        services_filtered=chosen is not None or misses,
        departments=departments,
        department=chosen,
        misses=misses,
        page=page,
        query=_query({"department": str(chosen or ""), "misses": "1" if misses else ""}),
        top=TOP,
        tiers=tiers,
        cycles=cycles,
    )
    return render(request, "continuity/analysis.html", context)
