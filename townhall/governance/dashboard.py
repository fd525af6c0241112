"""Governance health: how much of the estate and its spending the board has decided on,
how long decisions take, whom the board is waiting on, and what approved work commits
against each year's budget.

`summary(user, cycle)` reads everything in a fixed number of queries whatever the size of
the estate or the number of proposals; the arithmetic (median, shares, commitments per
fiscal year, bar geometry) is in plain functions below it, tested on their own.
"""

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce
from django.urls import reverse

from townhall.core import permissions
from townhall.core.charts import Chart, Item, bar_chart  # noqa: F401 - used by views and tests
from townhall.estate.models import System
from townhall.governance import scores
from townhall.governance.models import Ballot, BudgetCycle, Proposal

S = Proposal.Status
# The board approved it: the work is committed (and may be under way or done).
GOVERNED = (S.APPROVED, S.IN_PROGRESS, S.COMPLETE)
# The board has decided on it (a deferred proposal sent back to review is waiting again).
DECIDED = (S.APPROVED, S.DEFERRED, S.REJECTED, S.IN_PROGRESS, S.COMPLETE)
# How a system relates to a proposal that counts it as governed.
SYSTEM_LINKS = ("replaces_systems", "retires_systems", "extends_systems")

MONEY = DecimalField(max_digits=18, decimal_places=2)
ZERO = Decimal(0)


# --- arithmetic --------------------------------------------------------------------------


def median(values: Iterable[float]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count); None if empty."""
    values = list(values)
    return statistics.median(values) if values else None


def share(part: float | Decimal, whole: float | Decimal) -> float | None:
    """`part` as a percentage of `whole`, to one decimal; None when the whole is zero."""
    if not whole:
        return None
    return round(100 * float(part) / float(whole), 1)


def days_between(start: Any, end: Any) -> float:
    """Days (with fractions) from one datetime to a later one."""
    return (end - start).total_seconds() / 86400


def decision_days(rows: Iterable[tuple[Any, Any]]) -> list[float]:
    """Days from submission to decision for each (submitted_at, decided_at) that has both
    dates in that order (a decision recorded before the submission date is a data error)."""
    return [
        days_between(sub, dec)
        for sub, dec in rows
        if sub is not None and dec is not None and dec >= sub
    ]


def _amount(values: Sequence[Any] | None, k: int) -> Decimal:
    values = list(values or [])
    return Decimal(str(values[k] or 0)) if 0 <= k < len(values) else ZERO


@dataclass(frozen=True)
class Commitment:
    """An approved proposal's money: one-time costs per project year and a recurring cost."""

    start: int
    duration: int
    capital: Sequence[Any]
    operating: Sequence[Any]
    recurring: Decimal | int | float = 0


def committed_by_year(
    commitments: Iterable[Commitment], years: Sequence[int]
) -> dict[int, dict[str, Decimal]]:
    """Capital and operating money committed in each fiscal year of `years`.

    Project year 1 is the start year. One-time capital and operating costs fall in the
    project years they are given for; the recurring operating cost applies every year from
    the start on. Years outside `years` are not counted."""
    totals = {y: {"capital": ZERO, "operating": ZERO} for y in years}
    for c in commitments:
        recurring = Decimal(str(c.recurring or 0))
        for year in years:
            k = year - c.start
            if k < 0:
                continue
            if k < (c.duration or 1):
                totals[year]["capital"] += _amount(c.capital, k)
                totals[year]["operating"] += _amount(c.operating, k)
            totals[year]["operating"] += recurring
    return totals


def waiting_counts(
    member_ids: Iterable[int], open_ids: Iterable[int], submitted: Iterable[tuple[int, int]]
) -> dict[int, int]:
    """For each member, how many of the open proposals lack their submitted ballot.

    `submitted` holds (member id, proposal id) of submitted ballots."""
    open_set = set(open_ids)
    done: dict[int, set[int]] = {}
    for member_id, proposal_id in submitted:
        if proposal_id in open_set:
            done.setdefault(member_id, set()).add(proposal_id)
    return {m: len(open_set - done.get(m, set())) for m in member_ids}


def dollars(amount: Decimal | float | int | None) -> str:
    return f"${float(amount or 0):,.0f}"


# --- reading the records -----------------------------------------------------------------


def _url(name: str, *args: Any, **params: Any) -> str:
    url = reverse(name, args=args)
    query = urlencode(
        [(k, v) for k, vs in params.items() for v in (vs if isinstance(vs, list | tuple) else [vs])]
    )
    return f"{url}?{query}" if query else url


def proposals_url(cycle: BudgetCycle | None = None, **params: Any) -> str:
    """The proposal list filtered as given (status may be a list)."""
    if cycle is not None:
        params = {"cycle": cycle.pk, **params}
    return _url("governance:proposal_list", **params)


def governed_systems(user: Any) -> Q:
    """Systems that an approved, in-progress or complete proposal replaces, retires or
    extends, among the proposals `user` may see (a condition on System)."""
    decided = Proposal.objects.restrict(user, "view").filter(status__in=GOVERNED)
    condition = Q(pk__in=[])
    for name in SYSTEM_LINKS:
        through = getattr(Proposal, name).through
        condition |= Q(pk__in=through.objects.filter(proposal__in=decided).values("system_id"))
    return condition


def annual_cost() -> Any:
    """A system's yearly cost, summed in the database (a missing part counts as zero)."""
    parts = [
        Coalesce(name, Value(ZERO), output_field=MONEY)
        for name in ("cost_license", "cost_support", "cost_hosting", "cost_staff")
    ]
    total: Combinable = parts[0]
    for part in parts[1:]:
        total = total + part
    return total


def estate_shares(user: Any) -> dict[str, Any]:
    """Systems and their yearly cost by how they came to be known, in one query."""
    governed = governed_systems(user) & Q(sanctioned=True)
    discovered = Q(sanctioned=False)
    rest = Q(sanctioned=True) & ~governed
    no_cost = Q(
        cost_license__isnull=True,
        cost_support__isnull=True,
        cost_hosting__isnull=True,
        cost_staff__isnull=True,
    )
    cost = annual_cost()
    groups = {"governed": governed, "discovered": discovered, "known": rest}
    figures = System.objects.restrict(user, "view").aggregate(
        total=Count("pk"),
        spend=Sum(cost, output_field=MONEY, default=ZERO),
        no_cost=Count("pk", filter=no_cost),
        **{f"{k}_n": Count("pk", filter=q) for k, q in groups.items()},
        **{
            f"{k}_spend": Sum(cost, filter=q, output_field=MONEY, default=ZERO)
            for k, q in groups.items()
        },
    )
    total, spend = figures["total"], figures["spend"]
    labels = {
        "governed": ("Through governance", "Through governance"),
        "discovered": ("Discovered outside IT", "Discovered outside IT"),
        "known": ("Known to IT, not through governance", "Other systems known to IT"),
    }
    links = {
        "governed": None,
        "discovered": _url("estate:system_list", sanctioned="false"),
        "known": None,
    }
    rows = [
        {
            "key": key,
            "label": labels[key][0],
            "short": labels[key][1],
            "systems": figures[f"{key}_n"],
            "systems_share": share(figures[f"{key}_n"], total),
            "systems_url": links[key],
            "spend": figures[f"{key}_spend"],
            "spend_share": share(figures[f"{key}_spend"], spend),
        }
        for key in groups
    ]
    return {
        "rows": rows,
        "total": total,
        "total_url": _url("estate:system_list"),
        "known_url": _url("estate:system_list", sanctioned="true"),
        "spend": spend,
        "no_cost": figures["no_cost"],
        "governing": Proposal.objects.restrict(user, "view").filter(status__in=GOVERNED).count(),
        "governing_url": proposals_url(status=list(GOVERNED)),
        "systems_chart": bar_chart(
            [Item(r["short"], r["systems"], f"{r['systems']:,}") for r in rows],
            label_width=180,
            value_room=70,
        ),
        "spend_chart": bar_chart(
            [Item(r["short"], r["spend"], dollars(r["spend"])) for r in rows],
            label_width=180,
        ),
    }


def decision_times(user: Any, cycles: Sequence[BudgetCycle]) -> list[dict[str, Any]]:
    """Per cycle: proposals decided and the median days from submission to decision."""
    rows_by_cycle: dict[int, list[tuple[Any, Any]]] = {c.pk: [] for c in cycles}
    for cycle_id, submitted, decided in (
        Proposal.objects.restrict(user, "view")
        .filter(cycle__in=[c.pk for c in cycles], status__in=DECIDED)
        .order_by()
        .values_list("cycle_id", "submitted_at", "decided_at")
    ):
        rows_by_cycle[cycle_id].append((submitted, decided))
    result = []
    for cycle in cycles:
        rows = rows_by_cycle[cycle.pk]
        days = decision_days(rows)
        middle = median(days)
        result.append(
            {
                "cycle": cycle,
                "decided": len(rows),
                "decided_url": proposals_url(cycle, status=list(DECIDED)),
                "timed": len(days),
                "median": round(middle, 1) if middle is not None else None,
            }
        )
    return result


def board_waiting(user: Any, cycle: BudgetCycle) -> dict[str, Any]:
    """Proposals open for scoring in the cycle and, per board member, how many of them still
    lack that member's submitted ballot. IT staff and administrators see every member;
    a board member sees their own count; other roles only the open proposals (ballots are
    private until scoring closes, see Ballot.restrict_rows)."""
    open_ids = list(
        Proposal.objects.restrict(user, "view")
        .filter(cycle=cycle, status=S.UNDER_REVIEW, mandated=False)
        .values_list("pk", flat=True)
    )
    if permissions.is_it_staff(user):
        members = scores.board_members()
        link = _url("governance:cycle_scores", cycle.pk)
    elif permissions.is_board(user):
        members, link = [user], _url("governance:my_scoring")
    else:
        members, link = [], None
    submitted: list[tuple[int, int]] = []
    if members and open_ids:
        submitted = list(
            Ballot.objects.restrict(user, "view")
            .filter(
                proposal_id__in=open_ids,
                member__in=[m.pk for m in members],
                submitted_at__isnull=False,
            )
            .values_list("member_id", "proposal_id")
        )
    counts = waiting_counts([m.pk for m in members], open_ids, submitted)
    names = scores.member_labels(members)
    return {
        "open": len(open_ids),
        "open_url": proposals_url(cycle, status=S.UNDER_REVIEW, mandated="false"),
        "shows_members": (permissions.is_it_staff(user) or permissions.is_board(user)),
        "members": [
            {
                "member": m,
                "name": names[m.pk],
                "waiting": counts[m.pk],
                "url": link,
            }
            for m in members
        ],
    }


def commitments(user: Any, cycle: BudgetCycle) -> dict[str, Any]:
    """Money approved proposals of the cycle commit per fiscal year, against its budgets.

    A proposal starts in its approved start year, else its earliest start, else the
    cycle's first year."""
    years = cycle.fiscal_years()
    items = []
    count = 0
    for row in (
        Proposal.objects.restrict(user, "view")
        .filter(cycle=cycle, status__in=GOVERNED)
        .order_by()
        .values(
            "approved_start",
            "earliest_start",
            "duration",
            "capital_costs",
            "operating_costs",
            "recurring_operating",
        )
    ):
        count += 1
        items.append(
            Commitment(
                start=row["approved_start"] or row["earliest_start"] or cycle.first_year,
                duration=row["duration"] or 1,
                capital=row["capital_costs"] or [],
                operating=row["operating_costs"] or [],
                recurring=row["recurring_operating"] or 0,
            )
        )
    totals = committed_by_year(items, years)
    rows = []
    for year in years:
        year_row: dict[str, Any] = {"year": year}
        for kind in ("capital", "operating"):
            amount, ceiling = totals[year][kind], cycle.budget(year, kind)
            year_row[kind] = {
                "committed": amount,
                "ceiling": ceiling,
                "left": max(ceiling - amount, ZERO),
                "over_by": max(amount - ceiling, ZERO),
                "over": amount > ceiling,
                "used": share(amount, ceiling),
            }
        rows.append(year_row)

    def chart(kind: str) -> Chart:
        return bar_chart(
            [
                Item(
                    f"FY{r['year']}",
                    r[kind]["committed"],
                    dollars(r[kind]["committed"]),
                    r[kind]["ceiling"],
                    dollars(r[kind]["ceiling"]),
                )
                for r in rows
            ],
            label_width=70,
        )

    return {
        "rows": rows,
        "proposals": count,
        "url": proposals_url(cycle, status=list(GOVERNED)),
        "ceiling_url": cycle.get_absolute_url(),
        "capital_chart": chart("capital"),
        "operating_chart": chart("operating"),
    }


def summary(user: Any, cycle: BudgetCycle | None, cycles: Sequence[BudgetCycle]) -> dict[str, Any]:
    """Everything the dashboard shows, for the chosen cycle among the visible ones."""
    data: dict[str, Any] = {
        "cycle": cycle,
        "cycles": cycles,
        "estate": estate_shares(user),
        "decision_times": decision_times(user, cycles),
    }
    if cycle is not None:
        data["current_time"] = next(
            (r for r in data["decision_times"] if r["cycle"].pk == cycle.pk), None
        )
        data["waiting"] = board_waiting(user, cycle)
        data["committed"] = commitments(user, cycle)
    return data
