"""Matching a large estate to full-size feeds, against comparing every item with every entry.

Generates (seeded) a KEV catalog of 1,500 entries over 200 vendors (a few large vendors with
hundreds of entries, as the real catalog has; about 3% "Multiple Products"), endoflife.date
data for 60 products of 12 cycles, an alias table of 40 rows, and an estate of 5,000 systems
and 100,000 components (half with an OS or firmware and version, all with a model; about a
third of the vendors unknown to the feeds). As in a real estate, things repeat: components
come from 2,000 models and 400 OS builds, systems from 1,500 products and versions;
`--worst-case` gives every item a product and version of its own. Then, in this one run:

- builds the matcher (`townhall.cyber.matching`) and matches every item, timing both;
- measures a naive all-pairs baseline (every item compared with every KEV entry, names
  normalised once beforehand, no index) on a sample of items, and extrapolates it to the
  whole estate;
- prints both, their ratio, and whether the matcher found every match the baseline found on
  the sample.

Times are processor time of this process (the machine may be shared), so the two measures
compare fairly. Pure Python, no database. Prints figures; it is not a test.

    .venv/bin/python bench/exposure_matching.py
    .venv/bin/python bench/exposure_matching.py --worst-case
    .venv/bin/python bench/exposure_matching.py --components 20000 --sample 500 --seed 2
"""

import argparse
import datetime
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from townhall.cyber import matching  # noqa: E402
from townhall.cyber.eol import EolRelease  # noqa: E402
from townhall.cyber.kev import KevEntry  # noqa: E402

SYLLABLES = "ka lo mi ra ten vor quil bram lan cop owl mar tum har fern jay this kes moon".split()
SUFFIXES = ["", " Inc.", " Corporation", ", LLC", " Ltd", " Systems", " Networks", " GmbH"]
PRODUCT_WORDS = (
    "Gateway Server Manager Connect Secure Portal Edge Cloud Desktop Agent Console Studio "
    "Router Switch Firewall Vault Sentinel Beacon Ledger Atlas Summit Harbor Compass"
).split()
TODAY = datetime.date(2026, 6, 1)


def word(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def generate(
    seed: int, systems: int, components: int, worst: bool = False
) -> tuple[list, list, list, list]:
    rng = random.Random(seed)
    vendors = sorted({word(rng, rng.choice([2, 3])) for _ in range(260)})[:200]
    # A few vendors hold most entries, as in the real catalog.
    weights = [1000 / (i + 1) ** 1.1 for i in range(len(vendors))]
    products: dict[str, list[str]] = {
        v: [f"{word(rng)} {rng.choice(PRODUCT_WORDS)}" for _ in range(rng.randint(1, 12))]
        for v in vendors
    }
    kev = []
    for n in range(1500):
        vendor = rng.choices(vendors, weights)[0]
        generic = rng.random() < 0.03
        product = "Multiple Products" if generic else rng.choice(products[vendor])
        named = rng.choice(products[vendor])
        kev.append(
            KevEntry(
                cve_id=f"CVE-{rng.randint(2015, 2026)}-{n:05d}",
                vendor=vendor + rng.choice(["", "", " "]),
                product=product,
                name=f"{vendor} {product} vulnerability",
                short_description=f"{vendor} {named} lets a remote attacker run code.",
                due_date=TODAY - datetime.timedelta(days=rng.randint(-60, 2000)),
                ransomware=rng.random() < 0.2,
            )
        )
    eol_products = [f"{word(rng)}-os" for _ in range(60)]
    releases = [
        EolRelease(
            product=p,
            cycle=f"{major}.{minor}" if minor is not None else str(major),
            end_of_life=TODAY + datetime.timedelta(days=rng.randint(-2000, 2000)),
        )
        for p in eol_products
        for major in range(1, 7)
        for minor in (None, rng.randint(0, 9))
    ]
    strangers = [word(rng, 3) + " Works" for _ in range(100)]  # vendors no feed knows
    aliases = [
        matching.Alias(
            "product",
            f"{word(rng)} Suite",
            feed_vendor=rng.choice(vendors),
            feed_product=rng.choice(PRODUCT_WORDS),
        )
        for _ in range(30)
    ] + [
        matching.Alias("vendor", rng.choice(strangers), feed_vendor=rng.choice(vendors))
        for _ in range(10)
    ]

    def vendor_name() -> str:
        if rng.random() < 0.33:
            return rng.choice(strangers)
        return rng.choice(vendors) + rng.choice(SUFFIXES)

    def model() -> tuple[str, str]:
        prefix = rng.choice(["NET", "FW", "SRV", "AP", "UPS"])
        return vendor_name(), f"{prefix}-{rng.randint(100, 9999)}"

    def platform() -> tuple[str, str]:
        os_name = rng.choice(eol_products).replace("-", " ").title()
        return os_name, f"{rng.randint(1, 7)}.{rng.randint(0, 12)}.{rng.randint(0, 30)}"

    def application() -> tuple[str, str, str]:
        vendor = vendor_name()
        base = vendor.split()[0].split(",")[0]
        product = rng.choice(products.get(base, [f"{word(rng)} {rng.choice(PRODUCT_WORDS)}"]))
        return vendor, product, f"{rng.randint(1, 12)}.{rng.randint(0, 9)}"

    # As in a real estate, things repeat: fleets of one model, servers on a few OS builds.
    # The worst case gives every component a model and version of its own.
    models = [model() for _ in range(2000)]
    platforms = [platform() for _ in range(400)]
    applications = [application() for _ in range(1500)]
    items = []
    for n in range(systems):
        vendor, product, version = application() if worst else rng.choice(applications)
        items.append(matching.Item(("system", n), vendor, product, version))
    for n in range(components):
        if rng.random() < 0.5:
            os_name, version = platform() if worst else rng.choice(platforms)
            items.append(
                matching.Item(("component", n), "", os_name, version, what="OS or firmware")
            )
        vendor, number = model() if worst else rng.choice(models)
        items.append(matching.Item(("component", n), vendor, number, "", what="model"))
    return kev, releases, aliases, items


def naive(kev: list, items: list) -> tuple[float, set]:
    """Every item against every KEV entry: same vendor after normalising, and a product
    name of the entry as whole consecutive words in the item's product. Names of the feed
    are normalised once, before timing; those of each item once per item."""
    feed = []
    for e in kev:
        vendor = matching.vendor_key(e.vendor)
        parts, generic = matching._parts_of_product(e.product, {tuple(vendor.split())})
        feed.append((vendor, parts, e.cve_id))
    found = set()
    started = time.process_time()
    for item in items:
        vendor = matching.vendor_key(item.vendor)
        words = matching.tokens(item.product)
        for entry_vendor, parts, cve in feed:
            if entry_vendor != vendor:
                continue
            for part in parts:
                size = len(part)
                if any(words[i : i + size] == part for i in range(len(words) - size + 1)):
                    found.add((item.ref, item.what, cve))
                    break
    return time.process_time() - started, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", type=int, default=5000)
    parser.add_argument("--components", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=2000, help="items for the baseline")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--worst-case",
        action="store_true",
        help="every system and component with a product and version no other has",
    )
    args = parser.parse_args()

    kev, releases, aliases, items = generate(
        args.seed, args.systems, args.components, args.worst_case
    )
    combos = len({(i.vendor, i.product, i.version) for i in items})
    print(
        f"feeds: {len(kev):,} KEV entries of {len({e.vendor.strip() for e in kev})} vendors, "
        f"{len(releases):,} release cycles of {len({r.product for r in releases})} products, "
        f"{len(aliases)} aliases"
    )
    print(
        f"estate: {args.systems:,} systems and {args.components:,} components = "
        f"{len(items):,} items to match, {combos:,} distinct vendor/product/version"
    )

    for cached in (matching._plain, matching.tokens, matching.names, matching.vendor_keys):
        cached.cache_clear()  # start cold: no name normalised yet
    started = time.process_time()
    matcher = matching.Matcher(kev, releases, aliases, today=TODAY)
    built = time.process_time() - started
    started, wall = time.process_time(), time.perf_counter()
    result = matcher.run(items)
    ran, wall = time.process_time() - started, time.perf_counter() - wall
    kev_matches = sum(len(o.kev) for _, o in result.pairs)
    eol_matches = sum(1 for _, o in result.pairs if o.eol)
    print(
        f"matcher: built in {built * 1000:.0f} ms, matched every item in {ran:.2f} s of "
        f"processor time ({wall:.2f} s on the clock)"
    )
    print(
        f"         {len(items) / ran:,.0f} items/s; {kev_matches:,} KEV matches, "
        f"{eol_matches:,} release cycles found, {len(result.unmatched):,} groups not matched"
    )

    rng = random.Random(args.seed + 1)
    sample = rng.sample(items, min(args.sample, len(items)))
    seconds, baseline = naive(kev, sample)
    per_item = seconds / len(sample)
    whole = per_item * len(items)
    print(
        f"naive all-pairs baseline: {len(sample):,} items x {len(kev):,} entries in "
        f"{seconds:.2f} s = {per_item * 1e6:.0f} µs per item; whole estate about {whole:.1f} s"
    )
    print(
        f"ratio: the baseline takes {whole / ran:.1f}x the matcher's time for the estate "
        f"(per item: matcher {ran / len(items) * 1e6:.1f} µs, baseline {per_item * 1e6:.0f} µs)"
    )
    found = {
        (item.ref, item.what, entry.cve_id)
        for item in sample
        for entry, _ in matcher.outcome(item).kev
    }
    missed = baseline - found
    print(
        f"on the sample: baseline {len(baseline):,} KEV matches, matcher {len(found):,} "
        f"(it also uses aliases and the other vendor rules); baseline matches the matcher "
        f"missed: {len(missed)}"
    )


if __name__ == "__main__":
    main()
