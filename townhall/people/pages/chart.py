"""The organization chart: the teams as a tree, the positions in each with who fills them
or since when they are vacant, and each department's IT operating model with the staff
behind it. Drawn from the records as nested lists, which read the same to a screen reader,
a keyboard and a printer, with no script. The queries are fixed in number whatever the size
of the organization (teams, positions, operating models, staff counts)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from townhall.org.models import Department
from townhall.people import chart_svg
from townhall.people.models import OperatingModel, Placement, Position, Team


@dataclass
class Node:
    team: Team
    positions: list[Position] = field(default_factory=list)
    children: list["Node"] = field(default_factory=list)

    @property
    def vacancies(self) -> int:
        return sum(1 for p in self.positions if p.person_id is None)


def tree(teams: list[Team], positions: list[Position]) -> list[Node]:
    """The teams as a tree (a team whose parent the reader cannot see, or which a loop
    would hide, stands at the top), each with its positions: those reporting outside the
    team first, then by title."""
    nodes = {t.pk: Node(t) for t in teams}
    for p in positions:
        node = nodes.get(p.team_id)
        if node is not None:
            node.positions.append(p)
    roots: list[Node] = []
    for node in nodes.values():
        parent = nodes.get(node.team.parent_id) if node.team.parent_id else None
        if parent is None or _under(node, nodes):
            roots.append(node)
        else:
            parent.children.append(node)
    for node in nodes.values():
        in_team = {p.pk for p in node.positions}
        node.positions.sort(key=lambda p: (p.reports_to_id in in_team, p.title.casefold(), p.pk))
        node.children.sort(key=lambda n: n.team.name.casefold())
    roots.sort(key=lambda n: (n.team.placement != Placement.CENTRAL, n.team.name.casefold()))
    return roots


def _under(node: Node, nodes: dict[int, Node]) -> bool:
    """True when following the parents from `node` comes back to it (saved data never
    holds such a loop, but the page must end whatever it reads)."""
    seen = {node.team.pk}
    current = node.team.parent_id
    while current is not None and current in nodes:
        if current in seen:
            return True
        seen.add(current)
        current = nodes[current].team.parent_id
    return False


def operating_models(user: Any) -> list[dict[str, Any]]:
    """Each department's current IT operating model (its latest from today) with the IT
    positions embedded in it, filled and vacant, and their FTE: two queries."""
    today = timezone.localdate()
    latest: dict[int, OperatingModel] = {}
    rows = (
        OperatingModel.objects.restrict(user, "view")
        .filter(as_of__lte=today)
        .select_related("owner_department")
        .order_by("owner_department_id", "-as_of")
    )
    for row in rows:
        if row.owner_department_id is not None:
            latest.setdefault(row.owner_department_id, row)
    staff = {
        s["owner_department"]: s
        for s in Position.objects.restrict(user, "view")
        .filter(owner_department__isnull=False, placement=Placement.EMBEDDED)
        .values("owner_department")
        .annotate(
            positions=Count("pk"),
            filled=Count("pk", filter=Q(person__isnull=False)),
            fte=Sum("fte"),
        )
    }
    names = dict(
        Department.objects.filter(pk__in=set(latest) | set(staff)).values_list("pk", "name")
    )
    out = []
    for dept_id in sorted(set(latest) | set(staff), key=lambda d: names.get(d, "").casefold()):
        count = staff.get(dept_id, {})
        out.append(
            {
                "department": names.get(dept_id, ""),
                "record": latest.get(dept_id),
                "positions": count.get("positions", 0),
                "filled": count.get("filled", 0),
                "vacant": count.get("positions", 0) - count.get("filled", 0),
                "fte": count.get("fte") or Decimal(0),
            }
        )
    return out


def tree_rows(roots: list[Node]) -> list[chart_svg.Row]:
    """The teams in the order the lists show them, for the drawing."""
    rows: list[chart_svg.Row] = []

    def walk(node: Node, depth: int, parent: int | None) -> None:
        index = len(rows)
        filled = len(node.positions) - node.vacancies
        rows.append(chart_svg.Row(depth, node.team.name, filled, node.vacancies, parent))
        for child in node.children:
            walk(child, depth + 1, index)

    for root in roots:
        walk(root, 0, None)
    return rows


def chart_context(user: Any, today: datetime.date | None = None) -> dict[str, Any]:
    teams = list(Team.objects.restrict(user, "view").select_related("owner_department"))
    positions = list(
        Position.objects.restrict(user, "view").select_related(
            "person", "reports_to", "owner_department"
        )
    )
    filled = sum(1 for p in positions if p.person_id is not None)
    funded_vacant = sum(1 for p in positions if p.person_id is None and p.funded)
    total = len(positions)
    roots = tree(teams, positions)
    rows = tree_rows(roots)
    drawing = chart_svg.svg(
        rows,
        "The IT organization's teams as a tree",
        f"{len(rows)} teams; each bar shows a team's filled positions, then its vacant ones "
        "outlined. The lists below say the same in words.",
    )
    return {
        "roots": roots,
        "drawing": mark_safe(drawing),  # noqa: S308 - every text in it is escaped
        "drawn": min(len(rows), chart_svg.MAX_ROWS),
        "teams": len(rows),
        "total": total,
        "filled": filled,
        "vacant": total - filled,
        "funded_vacant": funded_vacant,
        "vacancy_rate": round(100 * (total - filled) / total) if total else 0,
        "fte": sum((p.fte for p in positions), Decimal(0)),
        "models": operating_models(user),
    }


@require_safe
def chart(request: HttpRequest) -> HttpResponse:
    return render(request, "people/chart.html", chart_context(request.user))
