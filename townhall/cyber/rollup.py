"""Assessment arithmetic: scores of the scored leaves (subcategories) rolled up to their
categories and functions, the comparison of two assessments, the subcategories below target,
and levels implied through mappings from another framework's assessment.

Plain Python, so the workspace, the summary for the leader brief and tests share one answer.

Rules:
- A node's mean is the mean of the levels of all scored, applicable leaves below it, at any
  depth (a function's mean is not the mean of its categories' means: every subcategory
  weighs the same). Leaves marked not applicable and leaves not yet scored are left out of
  the mean, and counted separately. A node with nothing scored has no mean (None).
- Means are rounded half up to one decimal place with `Decimal` (3.25 → 3.3, never binary
  floating-point surprises). Everything derived from a mean (gap, below target, change from
  last time) is computed from the rounded mean, so what a page shows always adds up: a mean
  shown as 5.0 is never called below target.
- The gap is how far the mean is under the target (target − mean), and 0 when it is met.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class Node:
    """One requirement of the framework's tree."""

    identifier: str
    parent: str | None
    level: str  # "function", "category", "subcategory", …
    assessable: bool
    title: str = ""


@dataclass(frozen=True)
class Mark:
    """One leaf's answer: a level on the scale, or not applicable. A mark with neither
    (notes saved, no level yet) counts as not scored."""

    level: int | None = None
    not_applicable: bool = False


@dataclass
class NodeSummary:
    identifier: str
    title: str
    level: str
    mean: Decimal | None = None
    scored: int = 0
    unscored: int = 0
    not_applicable: int = 0
    gap: Decimal | None = None
    below: bool = False

    @property
    def total(self) -> int:
        return self.scored + self.unscored + self.not_applicable

    @property
    def answered(self) -> int:
        """Scored or marked not applicable: what “done” means for progress."""
        return self.scored + self.not_applicable


@dataclass(frozen=True)
class Gap:
    """A scored subcategory below target."""

    identifier: str
    title: str
    level: int
    gap: int
    function: str | None


@dataclass
class Rollup:
    target: int
    overall: NodeSummary
    nodes: dict[str, NodeSummary] = field(default_factory=dict)  # every node above the leaves
    order: list[str] = field(default_factory=list)  # those nodes, in tree order
    below_target: list[Gap] = field(default_factory=list)
    function_of: dict[str, str | None] = field(default_factory=dict)  # leaf -> its top node
    tops: list[str] = field(default_factory=list)  # the top nodes, in tree order
    parents: dict[str, str | None] = field(default_factory=dict)  # of the nodes above leaves

    def of_level(self, level: str) -> list[NodeSummary]:
        return [self.nodes[i] for i in self.order if self.nodes[i].level == level]

    @property
    def functions(self) -> list[NodeSummary]:
        """The top nodes of the tree (the functions, for NIST CSF)."""
        return [self.nodes[i] for i in self.tops]

    def children(self, identifier: str) -> list[NodeSummary]:
        """The inner nodes right below one node (a function's categories), in order."""
        return [self.nodes[i] for i in self.order if self.parents.get(i) == identifier]


K = TypeVar("K", bound=Hashable)


def depth_first(pairs: Sequence[tuple[K, K | None]]) -> list[K]:
    """(key, parent key) pairs, siblings in the order given, as a tree's reading order: each
    node followed by its children. A node whose parent is missing is a root; nodes caught
    in a loop of parents come last, in the order given, rather than being lost."""
    keys = {key for key, _ in pairs}
    children: dict[K, list[K]] = {}
    roots: list[K] = []
    for key, parent in pairs:
        if parent is None or parent not in keys or parent == key:
            roots.append(key)
        else:
            children.setdefault(parent, []).append(key)
    order: list[K] = []
    seen: set[K] = set()
    stack = list(reversed(roots))
    while stack:
        key = stack.pop()
        if key in seen:
            continue
        seen.add(key)
        order.append(key)
        stack.extend(reversed(children.get(key, [])))
    order.extend(key for key, _ in pairs if key not in seen)
    return order


def round1(value: Decimal) -> Decimal:
    """Half up to one decimal place: 3.25 → 3.3, 3.24 → 3.2."""
    return value.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def mean_of(levels: Sequence[int]) -> Decimal | None:
    """The rounded mean of whole levels, or None when there are none."""
    if not levels:
        return None
    return round1(Decimal(sum(levels)) / Decimal(len(levels)))


def gap_to(target: int, mean: Decimal | None) -> Decimal | None:
    if mean is None:
        return None
    return max(Decimal(0), Decimal(target) - mean).quantize(ONE_PLACE)


def _ancestors(identifier: str, parents: Mapping[str, str | None]) -> list[str]:
    """The chain of parents above a node, nearest first; stops at a missing parent or a
    loop (a broken tree must not hang a page)."""
    chain: list[str] = []
    seen = {identifier}
    current = parents.get(identifier)
    while current is not None and current in parents and current not in seen:
        chain.append(current)
        seen.add(current)
        current = parents[current]
    return chain


def roll_up(nodes: Iterable[Node], marks: Mapping[str, Mark], target: int = 5) -> Rollup:
    """Means and counts for every node above the scored leaves and for the whole tree.

    `nodes` in tree order (that order is kept); `marks` by leaf identifier. Marks for
    identifiers that are not scored leaves of the tree are ignored."""
    nodes = list(nodes)
    parents = {n.identifier: n.parent for n in nodes}
    leaves = [n for n in nodes if n.assessable]
    inner = [n for n in nodes if not n.assessable]
    levels: dict[str, list[int]] = {n.identifier: [] for n in inner}
    summaries = {n.identifier: NodeSummary(n.identifier, n.title, n.level) for n in inner}
    overall = NodeSummary("", "All", "overall")
    overall_levels: list[int] = []
    function_of: dict[str, str | None] = {}
    below: list[tuple[Gap, int]] = []

    for position, leaf in enumerate(leaves):
        chain = [a for a in _ancestors(leaf.identifier, parents) if a in summaries]
        function_of[leaf.identifier] = chain[-1] if chain else None
        mark = marks.get(leaf.identifier, Mark())
        for summary in [summaries[a] for a in chain] + [overall]:
            if mark.not_applicable:
                summary.not_applicable += 1
            elif mark.level is None:
                summary.unscored += 1
            else:
                summary.scored += 1
        if mark.not_applicable or mark.level is None:
            continue
        for a in chain:
            levels[a].append(mark.level)
        overall_levels.append(mark.level)
        if mark.level < target:
            gap = Gap(
                leaf.identifier,
                leaf.title,
                mark.level,
                target - mark.level,
                chain[-1] if chain else None,
            )
            below.append((gap, position))

    for identifier, summary in summaries.items():
        _finish(summary, levels[identifier], target)
    _finish(overall, overall_levels, target)
    below.sort(key=lambda item: (-item[0].gap, item[1]))
    return Rollup(
        target=target,
        overall=overall,
        nodes=summaries,
        order=[n.identifier for n in inner],
        below_target=[gap for gap, _ in below],
        function_of=function_of,
        tops=[n.identifier for n in inner if not _ancestors(n.identifier, parents)],
        parents={n.identifier: n.parent for n in inner},
    )


def _finish(summary: NodeSummary, levels: list[int], target: int) -> None:
    summary.mean = mean_of(levels)
    summary.gap = gap_to(target, summary.mean)
    summary.below = summary.mean is not None and summary.mean < target


# --- comparing two assessments -------------------------------------------------------------

IMPROVED, DECLINED, SAME, NEW, NOT_SCORED, NEITHER = (
    "improved",
    "declined",
    "same",
    "new",
    "not scored",
    "neither",
)
CHANGE_LABELS = {
    IMPROVED: "Improved",
    DECLINED: "Declined",
    SAME: "No change",
    NEW: "New this time",
    NOT_SCORED: "Not scored this time",
    NEITHER: "Not scored either time",
}


@dataclass(frozen=True)
class Change:
    identifier: str
    title: str
    level: str
    before: Decimal | None
    after: Decimal | None
    delta: Decimal | None
    status: str

    @property
    def label(self) -> str:
        return CHANGE_LABELS[self.status]


def change(before: Decimal | int | None, after: Decimal | int | None) -> tuple[Decimal | None, str]:
    """(after − before, what happened) for one node's two means or one leaf's two levels."""
    if before is None and after is None:
        return None, NEITHER
    if before is None:
        return None, NEW
    if after is None:
        return None, NOT_SCORED
    delta = (Decimal(after) - Decimal(before)).quantize(ONE_PLACE)
    if delta > 0:
        return delta, IMPROVED
    if delta < 0:
        return delta, DECLINED
    return delta, SAME


def compare(current: Rollup, previous: Rollup | None) -> list[Change]:
    """Per node of the current tree (in its order), then overall (identifier ""): last
    time's mean, this time's, the change and what it means. Nodes are matched by
    identifier, so an assessment can be compared with one of an earlier framework version
    where identifiers carry over; a node last time's tree lacked counts as new."""
    rows = []
    for summary in [current.nodes[i] for i in current.order] + [current.overall]:
        if previous is None:
            before = None
        elif summary.identifier == "":
            before = previous.overall.mean
        else:
            old = previous.nodes.get(summary.identifier)
            before = old.mean if old else None
        delta, status = change(before, summary.mean)
        rows.append(
            Change(
                summary.identifier,
                summary.title,
                summary.level,
                before,
                summary.mean,
                delta,
                status,
            )
        )
    return rows


# --- levels implied through mappings -------------------------------------------------------


@dataclass(frozen=True)
class Implied:
    """A level implied for a requirement from another framework's scores, never a score of
    its own: the lowest level among the mapped requirements that were scored (a requirement
    is only as far along as the weakest part that answers it)."""

    level: int
    sources: tuple[tuple[str, int, str], ...]  # (source identifier, its level, relation)


def implied_levels(
    mappings: Iterable[tuple[str, str, str]], marks: Mapping[str, Mark]
) -> dict[str, Implied]:
    """Levels implied for targets by (source, target, relation) mappings and the sources'
    marks. Sources not scored or not applicable imply nothing."""
    found: dict[str, list[tuple[str, int, str]]] = {}
    for source, target, relation in mappings:
        mark = marks.get(source)
        if mark is None or mark.not_applicable or mark.level is None:
            continue
        found.setdefault(target, []).append((source, mark.level, relation))
    return {
        target: Implied(min(level for _, level, _ in sources), tuple(sorted(sources)))
        for target, sources in found.items()
    }
