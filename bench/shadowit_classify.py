"""Shadow IT classification: how right on a labelled set, and how fast on a year of card data.

Quality. `bench/data/shadowit_labelled.csv` holds about 560 card descriptors we wrote, each
with a merchant category code (or none) and its true category: vendors on the reference list
dressed as statements print them, technology merchants the list does not know (left to the
code and the name's words), ordinary merchants including look-alikes ("CLOUD 9 CAFE",
"SLACK WATER MARINA", "SPRINT CAR WASH"), and Amazon Marketplace charges, a third of which
bought technology the statement cannot show. Its first 396 rows were generated once from
hand-written templates with a fixed seed; the rest are hand-written statements across
processors and styles (labels by what the merchant sells) and a few rows given typical
category codes by a seeded draw; the last 47 are lines whose only technical word is a weak
one (FIBER ARTS SUPPLY, MOBILE MINI INC) or is backed by a code or another word. It is kept
as written. Prints precision and recall of "is technology" (software, hardware or telecom),
the accuracy of the category itself, and the mistakes.

Speed. Writes (seeded) a year of purchasing-card data for a large county — 500,000 charges
over about 4,000 descriptors, one in seven carrying a reference of its own as marketplace
orders do — to a temporary CSV file, then times reading it with `csv.reader` alone against
reading it, parsing each date and amount, and normalising and classifying each charge
(`townhall.shadowit.classify.Classifier`). Prints both times and their ratio; the goal is at
most 5. Processor time of this process, best of `--repeat` runs.

    .venv/bin/python bench/shadowit_classify.py
    .venv/bin/python bench/shadowit_classify.py --rows 100000 --repeat 1
    .venv/bin/python bench/shadowit_classify.py --scale small   # 50,000 charges
"""

import argparse
import csv
import datetime
import random
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from townhall.shadowit.classify import TECHNOLOGY, Classifier  # noqa: E402

LABELLED = Path(__file__).resolve().parent / "data" / "shadowit_labelled.csv"


def quality() -> None:
    with LABELLED.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    classifier = Classifier()
    tp = fp = fn = tn = same = 0
    mistakes = []
    for row in rows:
        merchant, result = classifier(row["descriptor"], row["mcc"] or None)
        truth = row["category"]
        predicted_tech = result.category in TECHNOLOGY
        true_tech = truth in TECHNOLOGY
        tp += predicted_tech and true_tech
        fp += predicted_tech and not true_tech
        fn += true_tech and not predicted_tech
        tn += not predicted_tech and not true_tech
        same += result.category == truth
        if result.category != truth:
            mistakes.append((row["descriptor"], row["mcc"], truth, result.category, result.why))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    print(f"labelled set: {len(rows)} descriptors ({tp + fn} technology)")
    print(f"  is technology: precision {precision:.3f}, recall {recall:.3f}")
    print(f"  (true positives {tp}, false positives {fp}, false negatives {fn}, negatives {tn})")
    print(f"  category exactly right: {same / len(rows):.3f}")
    print(f"  mistakes ({len(mistakes)}):")
    for descriptor, mcc, truth, got, why in mistakes:
        print(f"    {descriptor!r} mcc={mcc or '-'}: {truth} taken as {got}: {why}")


DEPARTMENTS = ["Parks", "Library", "Sheriff", "Public Works", "Health", "IT", "Clerk", "Courts"]


def generate(path: Path, rows: int, seed: int) -> None:
    rng = random.Random(seed)
    with LABELLED.open(newline="", encoding="utf-8") as f:
        base = [(r["descriptor"], r["mcc"]) for r in csv.DictReader(f)]
    words = "NORTH SOUTH RIVER PEAK CEDAR HARBOR VALLEY SUMMIT PINE LAKE BAY CREST".split()
    trades = "CAFE SUPPLY SERVICES PRINTING TIRE AUTO MARKET HARDWARE GRILL CONSULTING".split()
    pool = list(base)
    while len(pool) < 4000:
        name = f"{rng.choice(words)} {rng.choice(words)} {rng.choice(trades)}"
        pool.append((f"{name} #{rng.randint(1, 999)}", rng.choice(["5812", "5999", "7399", ""])))
    weights = [1 / (i + 1) ** 0.8 for i in range(len(pool))]
    start = datetime.date(2025, 7, 1)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["posted", "descriptor", "mcc", "amount", "department", "cardholder"])
        picks = rng.choices(pool, weights=weights, k=rows)
        for i, (descriptor, mcc) in enumerate(picks):
            if rng.random() < 1 / 7:
                ref = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(8))
                descriptor = f"AMZN Mktp US*{ref}"
                mcc = "5999"
            day = start + datetime.timedelta(days=i * 365 // rows)
            writer.writerow(
                [
                    day.isoformat(),
                    descriptor,
                    mcc,
                    f"{rng.uniform(3, 2500):.2f}",
                    rng.choice(DEPARTMENTS),
                    f"card {rng.randint(1, 1500):04d}",
                ]
            )


def read_only(path: Path) -> int:
    count = 0
    with path.open(newline="", encoding="utf-8") as f:
        for _row in csv.reader(f):
            count += 1
    return count


def read_and_classify(path: Path) -> dict[str, int]:
    classifier = Classifier()
    counts: dict[str, int] = {}
    parse_date = datetime.date.fromisoformat
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader)
        for posted, descriptor, mcc, amount, _department, _card in reader:
            parse_date(posted)
            Decimal(amount)
            _merchant, result = classifier(descriptor, mcc or None)
            counts[result.category] = counts.get(result.category, 0) + 1
    return counts


def timed(fn: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    started = time.process_time()
    value = fn(*args)
    return time.process_time() - started, value


def speed(rows: int, seed: int, repeat: int) -> None:
    from townhall.shadowit import classify, descriptors

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "card.csv"
        generate(path, rows, seed)
        size = path.stat().st_size / 1e6
        base = min(timed(read_only, path)[0] for _ in range(repeat))
        runs = []
        for _ in range(repeat):
            descriptors._normalize.cache_clear()  # each run starts cold
            classify._classify_builtin.cache_clear()
            runs.append(timed(read_and_classify, path))
        full, counts = min(runs, key=lambda r: r[0])
    print(f"speed: {rows:,} charges, {size:.1f} MB")
    print(f"  csv.reader alone:              {base:.2f} s")
    print(f"  read, parse, normalise, classify: {full:.2f} s")
    print(f"  ratio: {full / base:.2f} (goal: at most 5)")
    print(f"  categories: {dict(sorted(counts.items()))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=None, help="default: 500,000")
    parser.add_argument("--scale", choices=["small", "large"], default="large")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args()
    quality()
    if not args.skip_speed:
        rows = args.rows or (50_000 if args.scale == "small" else 500_000)
        speed(rows, args.seed, args.repeat)


if __name__ == "__main__":
    main()
