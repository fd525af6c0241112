"""What a service, system or component depends on, and what depends on it, transitively.

Edges are loaded breadth-first, one query per level per direction (plus a fixed handful for
the record, the names and the person), so the number of queries grows with the depth shown,
never with the number of records. The graph itself is worked out in `estate.graph`.
"""

from collections.abc import Hashable, Iterable, Sequence
from typing import Any

from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.views import View

from townhall.core import permissions, plugins
from townhall.core.kept import kept
from townhall.estate import graph
from townhall.estate import models as m

MODELS: dict[str, type[m.Service | m.System | m.Component]] = {
    "service": m.Service,
    "system": m.System,
    "component": m.Component,
}
# What a walk may meet besides those: a redundancy group, drawn as one box of its members.
GROUP = "group"
NODES: dict[str, type[m.Service | m.System | m.Component | m.RedundancyGroup]] = {
    **MODELS,
    GROUP: m.RedundancyGroup,
}
# The edge from a group to each member: the group is up while any one of them is.
ANY_ONE_OF = "any_one_of"
MEMBERS = (("system", m.RedundancyGroup.systems), ("component", m.RedundancyGroup.components))
DEFAULT_DEPTH = 6
MAX_DEPTH = 30
MAX_NODES = 300  # in each direction
LOOK_BEYOND = 20  # levels past the depth limit counted for the "not shown" note
# Edges read past the depth limit, in each direction, to count those levels: past it the
# note says "at least" (below a large service, 20 levels held 80,000 edges).
MAX_LOOK_EDGES = MAX_NODES * 4
DEPTH_CHOICES = (1, 2, 3, 4, 6, 8, 10, 15, 20, 30)


def url_name(kind: str) -> str:
    return f"estate:{kind}_dependencies"


def dependencies_url(obj: models.Model) -> str | None:
    """The dependency page of a service, system or component; None for other records."""
    kind = obj._meta.model_name
    if obj._meta.app_label != "estate" or kind not in MODELS or obj.pk is None:
        return None
    return reverse(url_name(kind), args=[obj.pk])


def _fetcher(user: Any, direction: str) -> graph.Fetch:
    """fetch(nodes, limit): one query for the edges leaving `nodes` in `direction`, to
    records the person may see, through dependencies the person may see."""
    here, there = ("from", "to") if direction == graph.NEEDS else ("to", "from")
    base = m.Dependency.objects.restrict(user, "view")
    if any(permissions.has_row_rules(model) for model in NODES.values()):
        # Only when some people see only some records: otherwise `to_system_id IN (SELECT id
        # FROM every system)` holds for every edge and cost a scan of all of them (0.8 to
        # 1.9 s on the large estate) where the (end, id) indexes answer in a millisecond.
        visible_far = Q()
        for kind, model in MODELS.items():
            visible = model.objects.restrict(user, "view")
            visible_far |= Q(**{f"{there}_{kind}__in": visible})
        if direction == graph.NEEDS:
            visible_groups = m.RedundancyGroup.objects.restrict(user, "view")
            visible_far |= Q(**{f"{there}_{GROUP}__in": visible_groups})
        base = base.filter(visible_far)
    columns = [
        *(f"from_{kind}_id" for kind in MODELS),
        *(f"to_{kind}_id" for kind in NODES),
        "kind",
    ]
    groups = m.RedundancyGroup.objects.restrict(user, "view")

    def fetch(nodes: Sequence[graph.Key], limit: int) -> list[graph.Edge]:
        ids: dict[str, list] = {}
        for kind, pk in nodes:
            ids.setdefault(kind, []).append(pk)
        edges = _member_edges(groups, ids, direction, limit)
        if direction == graph.NEEDS:
            ids.pop(GROUP, None)  # a group needs only its members
        if not ids or len(edges) >= limit:
            return edges[:limit]
        limit -= len(edges)
        asked = Q()
        for kind, pks in ids.items():
            asked |= Q(**{f"{here}_{kind}__in": pks})
        # Ordered by the asked end first: in id order alone, PostgreSQL walked the primary
        # key hoping to meet the few matching edges early, and read all 300,000 (120 ms
        # a level); this order it can only get by reading the matches through the (end,
        # id) indexes and sorting them.
        near = Coalesce(*(f"{here}_{kind}" for kind in (MODELS if here == "from" else NODES)))
        rows = base.filter(asked).order_by(near, "pk").values_list(*columns)[:limit]
        n = len(MODELS)
        for row in rows:
            source = _end(MODELS, row[:n])
            target = _end(NODES, row[n:-1])
            if source and target:
                edges.append(graph.Edge(source, target, row[-1]))
        return edges

    return fetch


def _member_edges(
    groups: models.QuerySet, ids: dict[str, list], direction: str, limit: int
) -> list[graph.Edge]:
    """The edges from redundancy groups to their members that touch the asked nodes: from
    the asked groups (walking what they need), or to the asked systems and components
    (walking what needs them), among groups the person may see."""
    edges: list[graph.Edge] = []
    for kind, relation in MEMBERS:
        through = relation.through.objects.order_by("pk")
        if direction == graph.NEEDS:
            if GROUP not in ids:
                continue
            rows = through.filter(redundancygroup_id__in=ids[GROUP])
        else:
            if kind not in ids:
                continue
            rows = through.filter(**{f"{kind}_id__in": ids[kind]})
        rows = rows.filter(redundancygroup__in=groups)
        for group, member in rows.values_list("redundancygroup_id", f"{kind}_id")[:limit]:
            edges.append(graph.Edge((GROUP, group), (kind, member), ANY_ONE_OF))
    return edges


def _end(kinds: Iterable[str], ids: Sequence[int | None]) -> graph.Key | None:
    for kind, pk in zip(kinds, ids, strict=True):
        if pk is not None:
            return (kind, pk)
    return None


def _names(user: Any, keys: set[graph.Key]) -> dict[graph.Key, str]:
    """The names of the records the person may see: one query per kind of record."""
    by_kind: dict[str, list] = {}
    for kind, pk in keys:
        by_kind.setdefault(kind, []).append(pk)
    names = {}
    for kind, pks in by_kind.items():
        model = NODES[kind]
        rows = model.objects.restrict(user, "view").filter(pk__in=pks)
        for pk, name in rows.values_list("pk", "name"):
            names[(kind, pk)] = name
    return names


def _group_members(user: Any, keys: Iterable[graph.Key]) -> dict[graph.Key, list[str]]:
    """The names of each shown redundancy group's members the person may see, sorted: the
    box drawn for a group lists them. One query per kind of member."""
    ids = [int(str(pk)) for kind, pk in keys if kind == GROUP]
    members: dict[graph.Key, list[str]] = {}
    if not ids:
        return members
    for kind, relation in MEMBERS:
        visible = MODELS[kind].objects.restrict(user, "view")
        rows = relation.through.objects.filter(
            redundancygroup_id__in=ids, **{f"{kind}__in": visible}
        ).values_list("redundancygroup_id", f"{kind}__name")
        for group, name in rows:
            members.setdefault((GROUP, group), []).append(name)
    return {key: sorted(names, key=str.casefold) for key, names in members.items()}


def group_label(name: str, members: Sequence[str]) -> str:
    """How a redundancy group reads in the drawing and the lists: its name and members."""
    return f"{name}: any one of {', '.join(members)}" if members else name


_PROBE = 4_294_967_291  # a record id no address holds otherwise


def detail_urls(keys: Iterable[graph.Key]) -> dict[graph.Key, str]:
    """The address of each record's page, with one `reverse` per kind of record rather
    than per record (600 of them cost 15 ms on a hub's page)."""
    around: dict[str, tuple[str, str]] = {}
    urls = {}
    for kind, pk in keys:
        if kind not in around:
            page = NODES[kind]._meta.model_name
            probe = reverse(f"estate:{page}_detail", args=[_PROBE])
            head, _, tail = probe.partition(str(_PROBE))
            around[kind] = (head, tail)
        head, tail = around[kind]
        urls[(kind, pk)] = f"{head}{pk}{tail}"
    return urls


def _depth(request: HttpRequest) -> int:
    try:
        depth = int(request.GET.get("depth", DEFAULT_DEPTH))
    except ValueError:
        return DEFAULT_DEPTH
    return min(max(depth, 1), MAX_DEPTH)


def _rows(
    item: graph.Item,
    direction: str,
    names: dict[graph.Key, str],
    urls: dict[graph.Key, str],
    kinds: dict[str, str],
    focus: graph.Key,
    losses: dict[graph.Key, int] | None = None,
    members: dict[graph.Key, list[str]] | None = None,
) -> list[dict[str, Any]]:
    """The children of a tree item as template rows (nested through `children`); `loss`
    is how many mission-essential services stop without the record (0: none)."""
    losses = losses or {}
    members = members or {}
    out = []
    for child in item.children:
        key = child.key
        assert child.edge is not None  # only the root has no edge
        out.append(
            {
                "name": names[key],
                "url": urls[key],
                "kind": NODES[key[0]]._meta.verbose_name,
                "kind_key": key[0],
                "relation": kinds.get(child.edge.kind, child.edge.kind),
                "parent": names[item.key],
                "anchor": f"{direction}-{graph.node_id(key)}",
                "ref": child.ref,
                "is_focus": key == focus,
                "more": child.more,
                "loss": losses.get(key, 0),
                "members": members.get(key, []) if key[0] == GROUP else None,
                "children": _rows(child, direction, names, urls, kinds, focus, losses, members),
            }
        )
    return out


def tree_html(rows: list[dict[str, Any]], direction: str) -> SafeString:
    """A dependency tree as nested lists: what `_dependency_tree.html` drew, written here
    because including that template once per row cost about 100 ms on a page of 300 rows.
    Every value is escaped by `format_html`."""
    items = []
    for row in rows:
        if direction == graph.NEEDS:
            text = format_html(
                '{} <a href="{}">{}</a> ({})', row["relation"], row["url"], row["name"], row["kind"]
            )
        else:
            text = format_html(
                '<a href="{}">{}</a> ({}) {} {}',
                row["url"],
                row["name"],
                row["kind"],
                str(row["relation"]).lower(),
                row["parent"],
            )
        notes = []
        if row["members"] is not None:
            notes.append(
                format_html("— any one of: {}", ", ".join(row["members"]) or "no members shown")
            )
        if row["loss"] and not row["ref"]:
            notes.append(
                format_html(
                    "— <strong>single point of failure</strong>: its loss stops {} "
                    "mission-essential service{}",
                    row["loss"],
                    "" if row["loss"] == 1 else "s",
                )
            )
        if row["ref"] == "cycle":
            target = f"{direction}-heading" if row["is_focus"] else row["anchor"]
            notes.append(
                format_html(
                    '— <a href="#{}"><strong>cycle: already listed above</strong></a>', target
                )
            )
        elif row["ref"] == "seen_above":
            notes.append(format_html('— <a href="#{}">already listed above</a>', row["anchor"]))
        elif row["ref"] == "seen_below":
            notes.append(format_html('— <a href="#{}">listed further down</a>', row["anchor"]))
        elif row["more"]:
            notes.append(mark_safe("— <em>more not shown</em>"))  # noqa: S308 - constant
        children = tree_html(row["children"], direction) if row["children"] else ""
        anchor = "" if row["ref"] else format_html(' id="{}"', row["anchor"])
        items.append(
            format_html(
                "<li{}>{} {}{}</li>",
                anchor,
                text,
                mark_safe(" ".join(notes)),  # noqa: S308 - each note made by format_html
                children,
            )
        )
    return format_html('<ul class="usa-list th-dep-tree">{}</ul>', mark_safe("".join(items)))  # noqa: S308


def _losses(user: Any) -> dict[graph.Key, int] | None:
    """How many mission-essential services each record's loss stops, from the module that
    registered it (`core.plugins.register_single_points`: continuity); {} when none did,
    None when there is too much to work out here. The same for every record's page, and a
    walk below every mission-essential service (about a second on the large estate): kept
    until the next change (`core.kept`)."""
    marks = plugins.single_points()
    if marks is None:
        return {}
    return kept(f"estate:dependency-losses:{user.pk}", marks.counts, user)


def _single_points_url() -> str:
    marks = plugins.single_points()
    return reverse(marks.more) + marks.anchor if marks else ""


def _mark_single_points(picture: dict[str, Any], losses: dict[graph.Key, int]) -> int:
    """Give each drawn single point of failure its count and a caption that says it, so the
    picture marks it by more than colour; returns how many are drawn."""
    by_id = {graph.node_id(key): n for key, n in losses.items()}
    marked = 0
    for node in picture["nodes"]:
        n = by_id.get(node["id"], 0)
        node["loss"] = n
        if n:
            marked += 1
            node["caption"] = f"{node['label']} (stops {n})"
    return marked


class DependencyPage(View):
    kind = ""  # "service", "system" or "component"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        model = MODELS[self.kind]
        user = request.user
        obj = get_object_or_404(model.objects.restrict(user, "view"), pk=pk)
        depth = _depth(request)
        focus: graph.Key = (self.kind, obj.pk)
        walks = {
            direction: graph.walk(
                focus,
                _fetcher(user, direction),
                direction,
                max_depth=depth,
                max_nodes=MAX_NODES,
                look_beyond=LOOK_BEYOND,
                max_look_edges=MAX_LOOK_EDGES,
            )
            for direction in graph.DIRECTIONS
        }
        keys = {focus} | {k for w in walks.values() for k in w.distance}
        losses = _losses(user)
        losses_skipped = losses is None
        losses = losses or {}
        names = _names(user, keys - {focus})
        names[focus] = obj.name
        urls = detail_urls(names)
        kinds = {**dict(m.Dependency.Kind.choices), ANY_ONE_OF: "Any one of"}
        members = _group_members(user, names)

        def sort_key(key: graph.Key) -> tuple[str, str, Hashable]:
            return (names.get(key, "").casefold(), key[0], key[1])

        sections = []
        for direction, title, empty in (
            (
                graph.NEEDS,
                f"What {obj.name} depends on",
                f"{obj.name} depends on nothing recorded.",
            ),
            (
                graph.NEEDED_BY,
                f"What depends on {obj.name}",
                f"Nothing recorded depends on {obj.name}.",
            ),
        ):
            w = walks[direction]
            edges = [e for e in w.edges if e.source in names and e.target in names]
            root = graph.tree(
                focus, edges, direction, max_depth=depth, more=w.more, sort_key=sort_key
            )
            shown = {i.key for i in graph.flatten(root)} - {focus}
            rows = _rows(root, direction, names, urls, kinds, focus, losses, members)
            sections.append(
                {
                    "direction": direction,
                    "title": title,
                    "empty": empty,
                    "rows": rows,
                    "tree": tree_html(rows, direction),
                    "count": len(shown),
                    "levels": max((i.depth for i in graph.flatten(root)), default=0),
                    "hidden_levels": w.hidden_levels,
                    "hidden_levels_exact": w.hidden_levels_exact,
                    "capped": w.capped,
                    "more": root.more or any(i.more for i in graph.flatten(root)),
                }
            )
        all_edges = {e for w in walks.values() for e in w.edges}
        cycle_groups = [
            [{"name": names[k], "url": urls[k]} for k in group]
            for group in graph.cycles(
                e for e in all_edges if e.source in names and e.target in names
            )
        ]
        labels = {
            key: group_label(name, members.get(key, [])) if key[0] == GROUP else name
            for key, name in names.items()
        }
        picture = graph.picture(focus, walks, labels, urls)
        single_points = _mark_single_points(picture, losses)
        list_url = reverse(f"estate:{self.kind}_list")
        deeper = min(MAX_DEPTH, next((d for d in DEPTH_CHOICES if d > depth), MAX_DEPTH))
        return render(
            request,
            "estate/dependencies.html",
            {
                "object": obj,
                "opts": model._meta,
                "list_url": list_url,
                "here": "Dependencies",
                "depth": depth,
                "depth_choices": sorted({*DEPTH_CHOICES, depth}),
                "deeper": deeper if deeper > depth else None,
                "max_nodes": MAX_NODES,
                "sections": sections,
                "cycles": cycle_groups,
                "graph": picture,
                "node_count": len(picture["nodes"]),
                "single_points": single_points,
                "single_points_skipped": losses_skipped,
                "focus_loss": losses.get(focus, 0),
                "single_points_url": _single_points_url(),
            },
        )
