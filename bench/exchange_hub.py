"""The exchange hub at scale: members' signed submissions through the API, and the
recomputation of every cohort statistic, against reading all the values with one query.

The goal (the exchange issue): a hub on PostgreSQL serves ten thousand jurisdictions with
fifty metrics over ten years. In one process on a fresh SQLite database (or `--database`,
a PostgreSQL URL whose database is recreated; `DATABASE_URL` is read too), it:

(a) registers a generated metric set version of `--metrics` metrics (bench only);
(b) makes `--members` members with seeded profile bands, and bulk-loads a submission for
    each member and each of `--years` years through the write path (`create_many`);
(c) sends `--sample` signed submissions for one more year through the API with Django's
    test client (signature checks, metric and profile checks, the write path): per second,
    after one request that loads the middleware and the URLs (`--profile`: where it goes);
(d) baseline: reads every stored value with one query;
(e) recomputes every cohort statistic (`hub.recompute`), as the job does;
(f) recomputes again with nothing changed (every cohort keeps its figures);
(g) one member changes a year's figures, and the statistics are recomputed.

Prints each time (wall clock), and the ratio (e) / (d). Prints figures; it is not a test.

    .venv/bin/python bench/exchange_hub.py                 # 10,000 members, 50 metrics, 10 years
    .venv/bin/python bench/exchange_hub.py --small
    .venv/bin/python bench/exchange_hub.py --small --profile   # where a submission's time goes
    .venv/bin/python bench/exchange_hub.py --database postgres://postgres@127.0.0.1:5432/bench_hub
"""

import argparse
import cProfile
import json
import os
import pstats
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VERSION = "bench.1"
FIRST_YEAR = 2015


def fresh_database(url: str | None, folder: Path) -> str:
    if url is None:
        return f"sqlite:///{folder / 'bench.sqlite3'}"
    base, _, name = url.rpartition("/")
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}"')
        con.execute(f'CREATE DATABASE "{name}"')
    return url


def setup_django(folder: Path, url: str | None) -> None:
    os.environ.update(
        {
            "TOWNHALL_VAR_DIR": str(folder),
            "DATABASE_URL": fresh_database(url, folder),
            "DEBUG": "false",
            "SECRET_KEY": "bench-only",
            "TOWNHALL_EXCHANGE_HUB": "true",
            "DJANGO_SETTINGS_MODULE": "townhall.settings",
        }
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def generated_metrics(count: int) -> dict:
    """A metric set version of `count` percentages, known to this process only."""
    from townhall.exchange import metrics

    found = {
        f"bench_{i:02d}": metrics.Metric(
            f"bench_{i:02d}", f"Bench metric {i}", "percent", 0, 100, True, "governance", "-"
        )
        for i in range(count)
    }
    metrics.VERSIONS[VERSION] = found
    return found


def profile_of(rng: random.Random) -> dict[str, str]:
    from townhall.exchange import bands

    return {k: rng.choice(v) for k, v in bands.PROFILE_CHOICES.items()}


def values_for(rng: random.Random, keys: list[str]) -> dict[str, float]:
    return {k: round(rng.uniform(0, 100), 2) for k in keys}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--metrics", type=int, default=50)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--sample", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--small", action="store_true", help="300 members, 2 years, 100 sent")
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL"))
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile (c) with cProfile: the 40 costliest of our functions",
    )
    args, _ = parser.parse_known_args()
    if args.small:
        args.members, args.years, args.sample = 300, 2, 100
    args.sample = min(args.sample, args.members)
    with tempfile.TemporaryDirectory() as tmp:
        run(args, Path(tmp))


def run(args: argparse.Namespace, folder: Path) -> None:
    setup_django(folder, args.database)
    from django.db import connection
    from django.test import Client

    from townhall.core import context, services
    from townhall.exchange import hub, protocol
    from townhall.exchange.models import HubMember, HubSubmission

    rng = random.Random(args.seed)
    keys = list(generated_metrics(args.metrics))
    key = protocol.new_private_key()
    public = protocol.public_key(key)
    print(
        f"{connection.vendor}: {args.members:,} members, {args.metrics} metrics, "
        f"{args.years} years, {args.sample:,} submissions through the API"
    )

    started = time.perf_counter()
    with context.acting("cli"):
        members = services.create_many(
            context.SYSTEM,
            HubMember,
            (
                {"member_id": f"m{i:06d}", "name": f"Member {i}", "public_key": public}
                | profile_of(rng)
                for i in range(args.members)
            ),
        )
        services.create_many(
            context.SYSTEM,
            HubSubmission,
            (
                {
                    "member": m,
                    "year": FIRST_YEAR + y,
                    "metric_set_version": VERSION,
                    "values": values_for(rng, keys),
                    "signature": "bulk-loaded",
                }
                for m in members
                for y in range(args.years)
            ),
        )
    load = time.perf_counter() - started
    print(f"(b) bulk load of {args.members * args.years:,} submissions: {load:.1f} s")

    client = Client()
    path = "/hub/api/submissions/"
    year = FIRST_YEAR + args.years
    bodies = []
    for m in members[: args.sample]:
        bands = {f: getattr(m, f) for f in hub.PROFILE_FIELDS}
        payload = {
            "year": year,
            "metric_set_version": VERSION,
            "profile": bands,
            "values": values_for(rng, keys),
        }
        body = json.dumps({"payload": payload, "signature": protocol.sign_document(key, payload)})
        bodies.append((m.member_id, body.encode()))
    # One request first: the first request loads the middleware (whitenoise reads every
    # static file) and imports every URL module, seconds that are no submission's.
    client.post(path, b"{}", content_type="application/json")
    profiler = cProfile.Profile() if args.profile else None
    if profiler is not None:
        profiler.enable()
    started = time.perf_counter()
    for member_id, body in bodies:
        headers = protocol.request_headers(key, member_id, "POST", path, body, time.time())
        answer = client.post(path, body, content_type="application/json", headers=headers)
        if answer.status_code != 200:
            raise SystemExit(f"refused: {answer.status_code} {answer.content[:200]!r}")
    sent = time.perf_counter() - started
    if profiler is not None:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats("townhall/", 40)
    print(f"(c) {len(bodies):,} signed submissions: {sent:.1f} s, {len(bodies) / sent:,.0f}/s")

    started = time.perf_counter()
    count = sum(
        len(v) for v in HubSubmission.objects.values_list("values", flat=True).iterator(2000)
    )
    baseline = time.perf_counter() - started
    print(f"(d) baseline, every value read with one query: {count:,} values, {baseline:.2f} s")

    started = time.perf_counter()
    with context.acting("task"):
        rows = hub.recompute(context.SYSTEM)
    again = time.perf_counter() - started
    print(f"(e) recomputation: {rows:,} cohort statistics, {again:.1f} s")
    print(f"    ratio (e) / (d): {again / baseline:.1f}")

    started = time.perf_counter()
    with context.acting("task"):
        hub.recompute(context.SYSTEM)
    unchanged = time.perf_counter() - started
    print(f"(f) recomputation again, nothing changed (figures kept): {unchanged:.1f} s")

    member = members[0]
    payload = {
        "year": year,
        "metric_set_version": VERSION,
        "profile": {f: getattr(member, f) for f in hub.PROFILE_FIELDS},
        "values": values_for(rng, keys),
    }
    body = json.dumps({"payload": payload, "signature": protocol.sign_document(key, payload)})
    headers = protocol.request_headers(
        key, member.member_id, "POST", path, body.encode(), time.time()
    )
    assert (
        client.post(path, body, content_type="application/json", headers=headers).status_code == 200
    )
    started = time.perf_counter()
    with context.acting("task"):
        hub.recompute(context.SYSTEM)
    one = time.perf_counter() - started
    print(f"(g) recomputation after one member changed a year's figures: {one:.1f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"    peak memory: {peak:,.0f} MB")


if __name__ == "__main__":
    main()
