"""Item and service health (`townhall.foundation.health`) on a large made-up estate.

Generates (seeded) a county's estate: 400 services (a tenth mission-essential), 5,000
systems each under one to three services, and 100,000 components, each under one or two
systems, with redundancy groups (a tenth of the components in pairs of servers, a
twentieth in dual links, one system in fifty clustered with another) and every factor
present somewhere (vendor dates past, near and later, install and go-live dates and lives,
known-exploited vulnerabilities, incidents, restore tests, single points of failure,
missing owners, a component's inherited from the systems above it). Then times, in
processor time of this process (the machine may be shared) and wall-clock time:

- `inherited_owners` (which components inherit a technical owner) and `assess_all` over
  every system and component;
- `services_health` over every service, keeping the 20 weakest items of each with their
  chains. Target: both together well within 2 s.

Prints figures; it is not a test.

    .venv/bin/python bench/foundation_health.py
    .venv/bin/python bench/foundation_health.py --components 20000 --seed 2
"""

import argparse
import random
import sys
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from townhall.foundation import health  # noqa: E402

TODAY = date(2026, 8, 15)


def generate(seed: int, components: int, systems: int, services: int) -> tuple:
    rng = random.Random(seed)
    facts: list[health.ItemFacts] = []
    edges: list[tuple[health.Key, health.Key]] = []
    service_keys = [(("service", n), f"Service {n:03d}") for n in range(services)]
    essential = {k for k, _ in rng.sample(service_keys, services // 10)}

    def day(low: int, high: int) -> date:
        return TODAY + timedelta(days=rng.randint(low, high))

    groups = 0
    for n in range(systems):
        key = ("system", n)
        above = [s for s, _ in rng.sample(service_keys, rng.randint(1, 3))]
        if n % 50 == 1:  # every fiftieth clustered with the one before
            groups += 1
            group = ("group", groups)
            edges += [(s, group) for s in above]
            edges += [(group, ("system", n - 1)), (group, key)]
        else:
            edges += [(s, key) for s in above]
        facts.append(
            health.ItemFacts(
                key,
                f"System {n}",
                end_of_support=day(-900, 2500) if rng.random() < 0.6 else None,
                support_state=rng.choice(["unknown", "no_end_date", "dated"]),
                install_date=day(-5000, 0) if rng.random() < 0.7 else None,
                life_years=10,
                kev_affected=rng.choice([0] * 20 + [1, 2]),
                incidents=rng.choice([0] * 15 + [1, 2, 3]),
                has_capability=rng.random() < 0.5,
                restore_tested=day(-700, 0) if rng.random() < 0.7 else None,
                stops=rng.choice([0] * 10 + [1, 4]),
                stops_named=("Dispatch",),
                owner_known=rng.random() < 0.85,
            )
        )
    for n in range(components):
        key = ("component", n)
        above = [("system", rng.randrange(systems)) for _ in range(rng.randint(1, 2))]
        # Every twentieth with the one before: a pair of servers; every fortieth (offset):
        # a dual link.
        if n % 20 == 1 or n % 40 == 12:
            groups += 1
            group = ("group", groups)
            for a in above:
                edges.append((a, group))
            edges += [(group, ("component", n - 1)), (group, key)]
        else:
            edges += [(a, key) for a in above]
        facts.append(
            health.ItemFacts(
                key,
                f"Component {n}",
                end_of_support=day(-1500, 3000) if rng.random() < 0.4 else None,
                support_state=rng.choice(["unknown", "no_end_date", "dated"]),
                install_date=day(-3650, 0),
                life_years=rng.choice([4, 5, 7, 10]),
                kev_affected=rng.choice([0] * 50 + [1]),
                has_capability=rng.random() < 0.2,
                restore_tested=day(-700, 0) if rng.random() < 0.6 else None,
                stops=rng.choice([0] * 30 + [1]),
            )
        )
    owners = {n: f.owner_known is True for n, f in enumerate(facts) if f.key[0] == "system"}
    return facts, edges, service_keys, essential, owners


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--components", type=int, default=100_000)
    parser.add_argument("--systems", type=int, default=5_000)
    parser.add_argument("--services", type=int, default=400)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    facts, edges, services, _, owners = generate(
        args.seed, args.components, args.systems, args.services
    )
    groups = {a for a, _ in edges if a[0] == "group"}
    system_groups = {a for a, b in edges if a[0] == "group" and b[0] == "system"}
    print(
        f"{len(facts):,} items ({args.components:,} components), {len(edges):,} dependencies, "
        f"{len(services):,} services, {len(groups):,} redundancy groups "
        f"({len(groups) - len(system_groups):,} of components, {len(system_groups):,} of "
        "systems)"
    )
    cpu, wall = time.process_time(), time.perf_counter()
    inherited = health.inherited_owners(edges, owners)
    owners_cpu, owners_wall = time.process_time() - cpu, time.perf_counter() - wall
    facts = [
        replace(f, owner_known=inherited.get(f.key[1]), owner_inherited=True)
        if f.key[0] == "component"
        else f
        for f in facts
    ]
    cpu, wall = time.process_time(), time.perf_counter()
    healths = health.assess_all(facts, TODAY)
    assessed_cpu, assessed_wall = time.process_time() - cpu, time.perf_counter() - wall
    cpu, wall = time.process_time(), time.perf_counter()
    found = health.services_health(services, edges, healths, limit=20)
    services_cpu, services_wall = time.process_time() - cpu, time.perf_counter() - wall
    counts = health.band_counts(healths.values())
    print("items by band:", ", ".join(f"{b} {n:,}" for b, n in counts.items()))
    reasons = health.factor_counts(healths.values())
    print(
        "reasons:",
        ", ".join(f"{code} {severity} {n:,}" for (code, severity), n in sorted(reasons.items())),
    )
    print(f"inherited_owners:{owners_cpu:6.2f} s processor, {owners_wall:6.2f} s wall")
    print(f"assess_all:      {assessed_cpu:6.2f} s processor, {assessed_wall:6.2f} s wall")
    print(f"services_health: {services_cpu:6.2f} s processor, {services_wall:6.2f} s wall")
    total = owners_cpu + assessed_cpu + services_cpu
    print(f"together:        {total:6.2f} s processor (target: under 2 s)")
    worst = found[0]
    print(
        f"weakest service: {worst.name}, {worst.band}, {worst.items_under:,} items under it, "
        f"{worst.weak_count:,} with a reason; first chain: {worst.weakest[0].chain}"
    )


if __name__ == "__main__":
    main()
