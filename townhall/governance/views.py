"""Governance records on the platform's generic pages, with richer detail pages for
budget cycles, criteria sets and proposals."""

from typing import Any

from django.http import HttpRequest

from townhall.core import plugins
from townhall.core.registry import declare
from townhall.governance import forms, linkage, services
from townhall.governance import models as m
from townhall.governance.pages import scenario as scenario_pages


def cycle_context(request: HttpRequest, cycle: m.BudgetCycle) -> dict[str, Any]:
    pools = list(m.SkillPool.objects.all())
    years = cycle.fiscal_years()
    rows = [
        {
            "year": y,
            "capital": cycle.budget(y, "capital"),
            "operating": cycle.budget(y, "operating"),
            "hours": [cycle.capacity(p.code, y) for p in pools],
        }
        for y in years
    ]
    visible = m.Proposal.objects.restrict(request.user, "view").filter(cycle=cycle)
    counts = {s: 0 for s in m.Proposal.Status.values}
    for status in visible.values_list("status", flat=True):
        counts[status] += 1
    return {
        "pools": pools,
        "budget_rows": rows,
        "status_counts": [(m.Proposal.Status(s).label, s, n) for s, n in counts.items()],
        "criteria": list(cycle.criteria_set.criteria.all()),
        "panels": plugins.panels(request, cycle),  # what later modules add (people's hours)
    }


def criteria_set_context(request: HttpRequest, criteria_set: m.CriteriaSet) -> dict[str, Any]:
    criteria = list(criteria_set.criteria.all())
    total = sum(c.weight for c in criteria) or 1
    return {
        "criteria": [(c, round(100 * c.weight / total, 1)) for c in criteria],
        "editions": m.CriteriaSet.objects.filter(name=criteria_set.name).order_by("-edition"),
    }


def proposal_facts(user: Any, proposal: m.Proposal) -> dict[str, Any]:
    """What anyone judging a proposal needs beside its words: costs and staff hours by
    project year, what it changes in the estate, the foundations at risk under it, and the
    proposals it needs first (as far as `user` may see them). Shared by the proposal's page
    and the scoring page, so a board member decides without leaving it."""
    first = proposal.approved_start or proposal.earliest_start
    capital = proposal.year_amounts("capital_costs")
    operating = proposal.year_amounts("operating_costs")
    years = [
        {
            "index": i + 1,
            "fiscal_year": first + i if first else None,
            "capital": capital[i],
            "operating": operating[i],
        }
        for i in range(proposal.duration)
    ]
    pools = [
        (pool, proposal.pool_hours(pool.code))
        for pool in m.SkillPool.objects.filter(code__in=list((proposal.effort or {}).keys()))
    ]
    return {
        "cost_years": years,
        "one_time_total": proposal.one_time_total(),
        "effort_pools": pools,
        "estate_warnings": linkage.warnings(proposal),
        "estate_links": linkage.links(proposal),
        "needs_first": list(
            m.Proposal.objects.restrict(user, "view").filter(enables=proposal).order_by("title")
        ),
    }


def proposal_context(request: HttpRequest, proposal: m.Proposal) -> dict[str, Any]:
    return {
        **proposal_facts(request.user, proposal),
        "cycle": proposal.cycle,
        "steps": list(proposal.steps.select_related("by")),
        "next_steps": services.next_steps(request.user, proposal),
        "decision_steps": services.DECISIONS,
        "step_form": forms.StepForm(),
        "decision_form": forms.DecisionForm(initial={"approved_start": proposal.earliest_start}),
        # What later modules show on the page (`core.plugins.register_panel`): foundation's
        # list of the components a renewal proposal replaces.
        "panels": plugins.panels(request, proposal),
    }


SKILL_POOLS = declare(m.SkillPool, ["name", "code", "description"])
CRITERIA_SETS = declare(
    m.CriteriaSet,
    ["name", "description"],
    related=["cycles"],
    detail_template="governance/criteriaset_detail.html",
    detail_context=criteria_set_context,
)
CRITERIA = declare(m.Criterion, ["name", "description"], detail_skip=["anchors"])
CYCLES = declare(
    m.BudgetCycle,
    ["name"],
    related=["scenarios"],
    detail_template="governance/budgetcycle_detail.html",
    detail_context=cycle_context,
)
PROPOSALS = declare(
    m.Proposal,
    ["title", "problem", "outcome", "external_id"],
    bulk_fields=["kind", "earliest_start"],
    related=[
        ("prerequisites", "Must follow"),
        ("enables", "Makes possible"),
        ("updates", "Project updates"),
    ],
    form_template="governance/proposal_form.html",
    detail_template="governance/proposal_detail.html",
    detail_context=proposal_context,
    detail_skip=[
        "capital_costs",
        "operating_costs",
        "effort",
        "replaces_systems",
        "retires_systems",
        "extends_systems",
        "replaces_components",
        "extends_components",
        "prerequisites",
    ],
)
SCENARIOS = declare(
    m.Scenario,
    ["name", "description"],
    detail_template="governance/scenario_detail.html",
    detail_context=scenario_pages.scenario_context,
)

# --- Project updates for residents ---
# How funded projects are going, written for residents (the public site's investments).
PROJECT_UPDATES = declare(m.ProjectUpdate, ["text", "proposal__title"], nav_label="Project updates")
