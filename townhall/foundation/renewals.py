"""From the forecast to the board: one action turns a year's replacements, or chosen
components and systems, into a governance proposal, on the write path.

The proposal is an ordinary infrastructure-renewal request of the chosen budget cycle:
one project year, starting in the fiscal year the earliest chosen item is due (or the
cycle's first year, if later), its capital the items' prices inflated to that year, its
recurring operating cost the yearly operating change when that adds cost. It also lists
the components and systems under "replaces" so governance's own pages show them. A
`Renewal` keeps the link foundation reads: once the board funds the proposal, the forecast
shows them as covered. Only IT staff take the action.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from townhall.core import permissions, services
from townhall.foundation import forecast_input
from townhall.foundation.models import Renewal
from townhall.governance.models import BudgetCycle, Proposal

MAX_NAMED = 20  # components named in the proposal's problem text before "and N more"


@dataclass
class Draft:
    """What the action would propose: the components, their first year due and costs."""

    item_ids: list[str]
    names: dict[str, str]
    due: dict[str, int]
    departments: dict[str, int] = field(default_factory=dict)  # department name -> count
    without_cost: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # reasons, one per refused component

    @property
    def first_due(self) -> int:
        return min(self.due[i] for i in self.item_ids)


def _require_staff(user: Any) -> None:
    if not permissions.is_it_staff(user):
        raise PermissionDenied("Only IT staff turn the forecast into a proposal.")


def draft(
    user: Any,
    today: datetime.date,
    *,
    year: int | None = None,
    item_ids: list[str] | None = None,
) -> Draft:
    """The uncovered components due in `year`, or those of `item_ids` the forecast holds."""
    result, estate, _, _ = forecast_input.build(user, today)
    due = {i: y.year for y in result.years for i in y.due}
    by_id = {item.id: item for item in estate.items}
    out = Draft([], estate.names, {})
    if year is not None:
        try:
            wanted = result.year(year).due
        except KeyError as exc:
            raise ValidationError({"year": str(exc.args[0])}) from None
        wanted = [i for i in wanted if by_id[i].funded_by is None]
    else:
        wanted = list(dict.fromkeys(item_ids or []))
    for item_id in wanted:
        item = by_id.get(item_id)
        if item is None:
            what = "system" if forecast_input.is_system(item_id) else "component"
            out.refused.append(f"{what} {item_id}: not found, or not yours to see")
        elif item_id not in due:
            out.refused.append(f"{estate.names[item_id]}: not due within the forecast's years")
        elif item.funded_by is not None:
            out.refused.append(f"{estate.names[item_id]}: already funded")
        else:
            out.item_ids.append(item_id)
            out.due[item_id] = due[item_id]
            dept = item.department or "no department"
            out.departments[dept] = out.departments.get(dept, 0) + 1
    if not out.item_ids and not out.refused:
        out.refused.append("nothing is due and uncovered there")
    return out


def propose(
    user: Any,
    today: datetime.date,
    item_ids: list[str],
    *,
    cycle: BudgetCycle,
    department: Any,
    title: str,
) -> Proposal:
    """Create the proposal and its renewal links; all or nothing. Refuses components that
    are not in the forecast or already funded, naming them."""
    _require_staff(user)
    if not item_ids:
        raise ValidationError("Choose at least one component or system to replace.")
    chosen = draft(user, today, item_ids=item_ids)
    if chosen.refused:
        raise ValidationError("; ".join(chosen.refused))
    result, estate, costs, settings = forecast_input.build(user, today)
    by_id = {item.id: item for item in estate.items}
    start = max(chosen.first_due, cycle.first_year)
    factor = (1.0 + settings.inflation) ** max(0, start - result.first_year)
    capital = operating = 0.0
    without_cost = []
    for item_id in chosen.item_ids:
        item = by_id[item_id]
        price = forecast_input.unit_capital(item, costs)
        if price is None:
            without_cost.append(estate.names[item_id])
        capital += (price or 0.0) * factor
        operating += _operating(item, costs) * factor
    ids = chosen.item_ids
    systems = [forecast_input.pk_of(i) for i in ids if forecast_input.is_system(i)]
    components = [int(i) for i in ids if not forecast_input.is_system(i)]
    values = {
        "cycle": cycle,
        "owner_department": department,
        "title": title.strip(),
        "kind": Proposal.Kind.RENEWAL,
        "problem": _problem(chosen, estate.names, without_cost),
        "outcome": (
            "The items are replaced before they run without vendor fixes or past "
            "their expected service life, so the services on them keep running."
        ),
        "earliest_start": start,
        "duration": 1,
        "capital_costs": [round(capital, 2)],
        "operating_costs": [],
        "recurring_operating": round(max(0.0, operating), 2),
        "replaces_components": components,
        "replaces_systems": systems,
    }
    with transaction.atomic():
        proposal = services.create(user, Proposal, values)
        services.create(
            user,
            Renewal,
            {"proposal": proposal, "components": components, "systems": systems},
        )
    return proposal


def _operating(item: Any, costs: Any) -> float:
    entry = costs.by_model.get(item.model) if item.model else None
    entry = entry or costs.by_kind.get(item.kind)
    per_unit = item.unit_operating if item.unit_operating is not None else None
    if per_unit is None and entry is not None:
        per_unit = entry.operating
    return (per_unit or 0.0) * item.quantity


def _problem(chosen: Draft, names: dict[str, str], without_cost: list[str]) -> str:
    listed = [f"{names[i]} (FY{chosen.due[i]})" for i in chosen.item_ids[:MAX_NAMED]]
    more = len(chosen.item_ids) - len(listed)
    text = (
        f"{len(chosen.item_ids)} components and systems reach the end of their vendor support or "
        f"expected service life: {', '.join(listed)}"
        + (f", and {more} more" if more > 0 else "")
        + "."
    )
    if without_cost:
        text += f" {len(without_cost)} of them have no price recorded, so the cost is short."
    return text


def covering(proposal: Proposal) -> Renewal | None:
    """The renewal a proposal carries, if any."""
    return Renewal.objects.filter(proposal=proposal).first()


def panel(request: Any, proposal: Any) -> dict[str, Any] | None:
    """The "Renews N foundation items" panel on a proposal's page (`core.plugins`)."""
    renewal = covering(proposal)
    if renewal is None:
        return None
    from townhall.estate.models import Component, System

    systems = list(
        System.objects.restrict(request.user, "view").filter(renewals=renewal).order_by("name")
    )
    components = list(
        Component.objects.restrict(request.user, "view").filter(renewals=renewal).order_by("name")
    )
    total = renewal.components.count() + renewal.systems.count()
    return {
        "systems": systems,
        "components": components,
        "total": total,
        "hidden": total - len(components) - len(systems),
        "funded": proposal.status in forecast_input.FUNDED,
    }
