"""The board-meeting packet of a budget cycle: a cover, the ranking, one page per proposal
and the selected portfolio scenario, drawn as a PDF by WeasyPrint from
governance/packet.html. `?format=html` answers the same packet as a web page, to check it
or to read it with assistive technology.

It holds only what the requesting person may see (proposals and ballots through
`restrict`), read in a fixed number of queries whatever the number of proposals.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import F, Prefetch, Q, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from townhall.core.pdf import document, html_page, pdf, style_hashes  # noqa: F401
from townhall.estate.models import Component, Dependency, System
from townhall.governance import linkage, scores, scoring
from townhall.governance.dashboard import DECIDED
from townhall.governance.models import BudgetCycle, Proposal, Scenario, SkillPool
from townhall.governance.pages import scenario as scenario_pages
from townhall.jobs import runner

TEMPLATE = "governance/packet.html"
S = Proposal.Status
ESTATE_LINKS = [
    ("Replaces systems", "replaces_systems", System),
    ("Retires systems", "retires_systems", System),
    ("Extends systems", "extends_systems", System),
    ("Replaces components", "replaces_components", Component),
    ("Extends components", "extends_components", Component),
]


# --- the page ------------------------------------------------------------------------------


PACKET_JOB = "board_packet"

# Sections later modules add under each proposal of the packet (the public site: what
# residents said): (user, proposals) -> {proposal id: [{"title": …, "lines": […]}, …]}.
PacketSections = Callable[[Any, list[Proposal]], dict[int, list[dict[str, Any]]]]
_sections: list[PacketSections] = []


def register_section(func: PacketSections) -> PacketSections:
    """Add `func`'s sections under the proposals of every board packet."""
    if func not in _sections:
        _sections.append(func)
    return func


def _added_sections(user: Any, proposals: list[Proposal]) -> dict[int, list[dict[str, Any]]]:
    added: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for func in _sections:
        for pk, found in func(user, proposals).items():
            added[pk] += found
    return added


@require_safe
@never_cache
def packet_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The packet as a web page with `?format=html`; as PDF, laid out by a background job
    (5 to 20 seconds for a full cycle), whose page offers the file."""
    cycle = get_object_or_404(
        BudgetCycle.objects.restrict(request.user, "view").select_related("criteria_set"), pk=pk
    )
    site = request.build_absolute_uri("/").rstrip("/")
    if request.GET.get("format") == "html":
        context = packet_context(request.user, cycle, site)
        return html_page(render_to_string(TEMPLATE, context, request=request))
    job = runner.submit(
        request.user,
        PACKET_JOB,
        f"Board packet for {cycle.name} (PDF)",
        {"cycle": cycle.pk, "site": site},
    )
    return redirect(job.get_absolute_url())


def packet_file(user: Any, cycle: BudgetCycle, site: str) -> tuple[bytes, str]:
    """The packet as PDF, holding what `user` may see: the body and its file name."""
    html = render_to_string(TEMPLATE, packet_context(user, cycle, site))
    return pdf(html, site), f"{cycle.name}-board-packet.pdf"


def packet_context(user: Any, cycle: BudgetCycle, site: str = "") -> dict[str, Any]:
    board = scores.load(cycle, user)  # visible proposals, and the scores the user may see
    proposals = board.proposals
    prefetch_related_objects(
        proposals,
        "sponsor",
        *(
            Prefetch(name, queryset=model.objects.restrict(user, "view"))
            for _, name, model in ESTATE_LINKS
        ),
    )
    ranks = scoring.rank({pk: c.total for pk, c in board.totals.items()})
    warnings = estate_warnings(user, proposals)
    pool_names = dict(SkillPool.objects.values_list("code", "name"))
    weights = sum((c.weight for c in board.criteria), Decimal(0)) or Decimal(1)

    def order(p: Proposal) -> tuple:
        if p.pk in ranks:
            return (0, ranks[p.pk], p.title)
        return (1 if p.mandated else 2, 0, p.title)

    proposals = sorted(proposals, key=order)
    added = _added_sections(user, proposals)
    counts: dict[str, int] = defaultdict(int)
    for p in proposals:
        counts[p.status] += 1
    return {
        "cycle": cycle,
        "site": site,
        "generated": timezone.now(),
        "criteria": [(c, round(100 * c.weight / weights, 1)) for c in board.criteria],
        "scale": board.scale,
        "budget_rows": [
            (y, cycle.budget(y, "capital"), cycle.budget(y, "operating"))
            for y in cycle.fiscal_years()
        ],
        "status_counts": [(label, counts[s]) for s, label in S.choices if counts[s]],
        "proposal_count": len(proposals),
        "hidden_count": len(board.hidden),
        "proposals": [
            proposal_page(
                p,
                ranks.get(p.pk),
                board.totals.get(p.pk),
                board.hidden.get(p.pk, ""),
                warnings[p.pk],
                pool_names,
            )
            | {"added": added.get(p.pk, [])}
            for p in proposals
        ],
        "plan": selected_plan(user, cycle),
    }


def estate_warnings(
    user: Any, proposals: list[Proposal], today: datetime.date | None = None
) -> dict[int, list[linkage.Warning]]:
    """linkage.warnings for many proposals at once: what each extends, and what those run
    on one step down the dependency graph, past or near end of support (one query)."""
    today = today or timezone.localdate()
    limit = linkage.horizon(today)
    systems = {s.pk for p in proposals for s in p.extends_systems.all()}
    components = {c.pk for p in proposals for c in p.extends_components.all()}
    below = list(
        Dependency.objects.restrict(user, "view")
        .filter(Q(from_system__in=systems) | Q(from_component__in=components))
        .select_related("from_system", "from_component", "to_system", "to_component")
    )
    result = {}
    for p in proposals:
        found: dict[tuple[str, int], linkage.Warning] = {}

        def consider(item: Any, via: str, found: dict = found) -> None:
            eos = getattr(item, "end_of_support", None)
            if eos and eos <= limit:
                key = (type(item).__name__, item.pk)
                found.setdefault(key, linkage.Warning(item, eos, eos < today, via))

        mine_s = {s.pk for s in p.extends_systems.all()}
        mine_c = {c.pk for c in p.extends_components.all()}
        for item in [*p.extends_systems.all(), *p.extends_components.all()]:
            consider(item, "extended by this proposal")
        for dep in below:
            if dep.from_system_id in mine_s or dep.from_component_id in mine_c:
                target = dep.to_system or dep.to_component
                if target is not None:
                    consider(target, f"{dep.source} {dep.get_kind_display().lower()} it")
        result[p.pk] = sorted(
            found.values(), key=lambda w: (not w.past, w.end_of_support, str(w.item))
        )
    return result


def proposal_page(
    p: Proposal,
    rank: int | None,
    consensus: scoring.Consensus | None,
    hidden: str,
    warnings: list[linkage.Warning],
    pool_names: dict[str, str],
) -> dict[str, Any]:
    start = p.approved_start or p.earliest_start
    capital, operating = p.year_amounts("capital_costs"), p.year_amounts("operating_costs")
    links = [(label, list(getattr(p, name).all())) for label, name, _ in ESTATE_LINKS]
    return {
        "p": p,
        "rank": rank,
        "consensus": consensus if consensus and consensus.total is not None else None,
        "hidden": hidden,  # why the user sees no scores, if so
        "start": start,
        "cost_years": [
            (i + 1, start + i if start else None, capital[i], operating[i])
            for i in range(len(capital))
        ],
        "one_time": p.one_time_total(),
        "effort": [
            (pool_names.get(code, code), p.pool_hours(code))
            for code, hours in sorted((p.effort or {}).items())
            if any(hours or [])
        ],
        "links": links,
        "has_links": any(items for _, items in links),
        "warnings": warnings,
        "decided": p.status in DECIDED and p.decided_at is not None,
    }


def selected_plan(user: Any, cycle: BudgetCycle) -> scenario_pages.Shown | None:
    """The scenario the board selected, shown as on its own page: proposals the user may not
    see are not named, and values that would reveal private scores are left out."""
    scenario = (
        Scenario.objects.restrict(user, "view")
        .filter(cycle=cycle, selected=True)
        .order_by(F("solved_at").desc(nulls_last=True), "-pk")
        .first()
    )
    if scenario is None:
        return None
    result = scenario.result if isinstance(scenario.result, dict) else None
    shown = scenario_pages.present(
        scenario, scenario_pages.Titles(user, [result] if result else [])
    )
    shown.funded.sort(key=lambda f: (f.start or 0, f.title))
    return shown
