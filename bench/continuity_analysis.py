"""Continuity analysis of a large estate, against the same computation with networkx.

Generates (seeded) a dependency graph shaped like the large demo estate: 500 services,
5,000 systems and 100,000 components (platforms such as virtual machines and databases,
hosts, storage and network, and a core of SANs, core switches and directory servers),
joined by 300,000 dependency edges that run down the layers (services -> systems ->
platforms -> hosts -> storage and network -> core), with some edges inside a layer (onto a
shared tenth of it) and a few cycles. Shared infrastructure is needed by many more items
than the rest, as in a real estate. About a tenth of the restore times are unknown. Then,
in this one run:

- times `townhall.continuity.analysis` building its graph from the items and edges, finding
  the cycles, and computing every item's effective recovery time and the recovery order
  (tiers), with the per-item results as dictionaries;
- times the same with networkx: a DiGraph from the same items and edges,
  `networkx.condensation`, the longest path of restore times by a pass in topological order,
  and `networkx.topological_generations` for the tiers;
- prints both times and their ratio, and checks that the two agree on every item;
- times the other analyses (RTO gaps and inversions, RPO gaps, single points of failure)
  on their own, for the record.

Times are processor time of this process (the machine may be shared), so the two measures
compare fairly. Pure Python, no database. Prints figures; it is not a test. networkx is not
a dependency of Townhall: without it the comparison is skipped. Target: the analysis within
2 s for the large estate.

    .venv/bin/python bench/continuity_analysis.py
    .venv/bin/python bench/continuity_analysis.py --components 20000 --dependencies 60000
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from townhall.continuity import analysis  # noqa: E402
from townhall.continuity.analysis import Item, Key  # noqa: E402

TARGET_SECONDS = 2.0
# Shares of the components in each layer below the systems.
COMPONENT_LAYERS = [("platform", 0.30), ("host", 0.50), ("fabric", 0.17), ("core", 0.03)]
# Shares of the dependency edges between layers (the core -> core edges take the rest).
EDGE_SHARES = [
    ("service", "system", 0.0083),
    ("system", "system", 0.0083),
    ("system", "platform", 0.15),
    ("platform", "platform", 0.04),
    ("platform", "host", 0.30),
    ("host", "fabric", 0.33),
    ("fabric", "core", 0.13),
]
# (layer, how many cycles); each a ring of 2 to 4 items of the layer.
CYCLES = [("system", 6), ("platform", 4), ("core", 2)]


def restore(rng: random.Random, choices: list[float], unknown: float) -> float | None:
    return None if rng.random() < unknown else rng.choice(choices)


def generate(
    seed: int, services: int, systems: int, components: int, dependencies: int
) -> tuple[list[Item], list[tuple[Key, Key]]]:
    """Items and (dependant, dependency) edges, layered; see the module docstring."""
    rng = random.Random(seed)
    layers: dict[str, list[Key]] = {
        "service": [("service", n) for n in range(services)],
        "system": [("system", n) for n in range(systems)],
    }
    start = 0
    for name, share in COMPONENT_LAYERS:
        size = max(1, round(components * share)) if name != "core" else components - start
        layers[name] = [("component", n) for n in range(start, start + size)]
        start += size

    items = []
    for key in layers["service"]:
        items.append(
            Item(
                *key,
                name=f"Service {key[1]}",
                restore_hours=restore(rng, [0.25, 0.5, 1, 2], 0.05),
                rto_hours=rng.choice([2, 4, 8, 24, 72]),
                rpo_target_hours=rng.choice([0.25, 1, 4, 24]),
                mission_essential=rng.random() < 0.3,
            )
        )
    for key in layers["system"]:
        items.append(
            Item(
                *key,
                name=f"System {key[1]}",
                restore_hours=restore(rng, [1, 2, 4, 8, 12], 0.08),
                rto_hours=rng.choice([4, 8, 24, 72]) if rng.random() < 0.3 else None,
            )
        )
    stores = {"platform": (0.25, [0.25, 1, 4, 24]), "fabric": (0.4, [1, 4, 24, 168])}
    hours = {
        "platform": [0.5, 1, 2, 4, 8],
        "host": [1, 2, 4, 8],
        "fabric": [2, 4, 8, 24],
        "core": [4, 8, 24, 48, 72],
    }
    for name, _ in COMPONENT_LAYERS:
        share, rpo = stores.get(name, (0.0, []))
        for key in layers[name]:
            items.append(
                Item(
                    *key,
                    name=f"{name.capitalize()} {key[1]}",
                    restore_hours=restore(rng, hours[name], 0.1),
                    rpo_achievable_hours=rng.choice(rpo) if rng.random() < share else None,
                )
            )

    def pick(layer: list[Key]) -> Key:
        # Skewed towards the front of the layer: shared infrastructure is needed by many.
        return layer[int(len(layer) * rng.random() ** 2)]

    edges: list[tuple[Key, Key]] = []
    shares = [*EDGE_SHARES, ("core", "core", 1 - sum(s for *_, s in EDGE_SHARES))]
    for source, target, share in shares:
        count = round(dependencies * share) if source != "core" else dependencies - len(edges)
        upper, lower = layers[source], layers[target]
        if source == target:  # inside a layer: onto its shared tenth (directory, DNS, …)
            cut = max(1, len(upper) // 10)
            upper, lower = upper[cut:] or upper, upper[:cut]
        for _ in range(count):
            edges.append((rng.choice(upper), pick(lower)))
    for layer, count in CYCLES:
        for _ in range(count):
            ring = rng.sample(layers[layer], rng.randint(2, 4))
            edges += zip(ring, ring[1:] + ring[:1], strict=True)
    return items, edges


def ours(items: list[Item], edges: list[tuple[Key, Key]]) -> tuple[dict, dict, list]:
    graph = analysis.Graph(items, edges)
    times = analysis.recovery_times(graph)
    order = analysis.recovery_order(graph)
    return times.as_dict(), order.tier, [c.members for c in order.cycles]


def with_networkx(nx, items: list[Item], edges: list[tuple[Key, Key]]) -> tuple[dict, dict, list]:
    """The same answers from networkx: restore time of a cycle is its longest member's."""
    graph = nx.DiGraph()
    graph.add_nodes_from((i.key, {"restore": i.restore_hours or 0.0}) for i in items)
    graph.add_edges_from(edges)
    units = nx.condensation(graph)
    mapping = units.graph["mapping"]
    restore = graph.nodes
    hours: dict[int, float] = {}
    for unit in reversed(list(nx.topological_sort(units))):
        own = max(restore[m]["restore"] for m in units.nodes[unit]["members"])
        hours[unit] = own + max((hours[d] for d in units.successors(unit)), default=0.0)
    tier = {}
    for level, generation in enumerate(nx.topological_generations(units.reverse(copy=False))):
        for unit in generation:
            tier[unit] = level
    loops = set(nx.nodes_with_selfloops(graph))
    cycles = [
        members
        for _, members in units.nodes(data="members")
        if len(members) > 1 or next(iter(members)) in loops
    ]
    return (
        {key: hours[unit] for key, unit in mapping.items()},
        {key: tier[unit] for key, unit in mapping.items()},
        cycles,
    )


def timed(fn, *args):
    started, wall = time.process_time(), time.perf_counter()
    result = fn(*args)
    return result, time.process_time() - started, time.perf_counter() - wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=500)
    parser.add_argument("--systems", type=int, default=5000)
    parser.add_argument("--components", type=int, default=100_000)
    parser.add_argument("--dependencies", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    started = time.perf_counter()
    items, edges = generate(
        args.seed, args.services, args.systems, args.components, args.dependencies
    )
    unknown = sum(i.restore_hours is None for i in items)
    print(
        f"estate: {args.services:,} services, {args.systems:,} systems, "
        f"{args.components:,} components = {len(items):,} items; {len(edges):,} dependencies; "
        f"{unknown:,} restore times unknown (generated in {time.perf_counter() - started:.1f} s)"
    )

    (hours, tiers, cycles), seconds, wall = timed(ours, items, edges)
    slowest = max(hours.values())
    print(
        f"townhall.continuity: graph, cycles, effective recovery times and recovery order in "
        f"{seconds:.2f} s of processor time ({wall:.2f} s on the clock)"
    )
    print(
        f"         {len(cycles)} cycles ({sum(map(len, cycles))} items), "
        f"{max(tiers.values()) + 1} tiers, longest effective recovery time {slowest:g} h"
    )
    met = seconds <= TARGET_SECONDS
    print(f"target (within {TARGET_SECONDS:g} s): {'met' if met else 'NOT met'}")

    graph = analysis.Graph(items, edges)
    times = analysis.recovery_times(graph)
    started = time.process_time()
    gaps = analysis.rto_gaps(graph, times)
    inversions = analysis.rto_inversions(graph)
    rpo = analysis.rpo_gaps(graph)
    points = analysis.single_points_of_failure(graph, limit=100)
    others = time.process_time() - started
    essential = sum(i.mission_essential for i in items)
    top = points[0].count if points else 0
    print(
        f"other analyses: {len(gaps):,} RTO gaps, {len(inversions):,} RTO inversions, "
        f"{len(rpo):,} RPO gaps, single points of failure (the worst stops {top} of "
        f"{essential} mission-essential services) in {others:.2f} s"
    )
    if gaps:
        chain = " -> ".join(f"{k[0]} {k[1]}" for k in gaps[0].chain)
        print(f"         largest RTO gap: {gaps[0].gap_hours:g} h, through {chain}")

    try:
        import networkx as nx
    except ImportError:
        print("networkx is not installed: pip install networkx to compare")
        return
    (nx_hours, nx_tiers, nx_cycles), nx_seconds, nx_wall = timed(with_networkx, nx, items, edges)
    print(
        f"networkx {nx.__version__}: the same in {nx_seconds:.2f} s of processor time "
        f"({nx_wall:.2f} s on the clock)"
    )
    print(f"ratio: networkx takes {nx_seconds / seconds:.1f}x the time of townhall.continuity")
    agree = (
        hours == nx_hours
        and tiers == nx_tiers
        and {frozenset(c) for c in cycles} == {frozenset(c) for c in nx_cycles}
    )
    print(
        f"results agree on every item: {'yes' if agree else 'NO'} "
        f"(recovery times, tiers and cycles of {len(hours):,} items)"
    )
    if not agree:
        sys.exit(1)


if __name__ == "__main__":
    main()
