"""Server time and queries for the estate's list and detail pages on a big demo estate.

Builds the demo jurisdiction (large scale by default: about 5,000 systems, 100,000
components and 300,000 dependencies) in a temporary TOWNHALL_VAR_DIR on SQLite, then
requests pages through Django's test Client as the demo IT staff account and prints p50/p95
server time and queries per page. Prints figures; it is not a test.

    .venv/bin/python bench/estate_pages.py                 # large scale, new database
    .venv/bin/python bench/estate_pages.py --scale small
    .venv/bin/python bench/estate_pages.py --var-dir /tmp/big --keep   # build once, keep it
    .venv/bin/python bench/estate_pages.py --var-dir /tmp/big          # reuse what is there
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["small", "large"], default="large")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=40, help="requests per page kind")
    parser.add_argument("--var-dir", help="use this TOWNHALL_VAR_DIR (reused if it has data)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    args = parser.parse_args()

    var_dir = Path(args.var_dir or tempfile.mkdtemp(prefix="townhall-bench-"))
    var_dir.mkdir(parents=True, exist_ok=True)
    os.environ["TOWNHALL_VAR_DIR"] = str(var_dir)
    os.environ.pop("DATABASE_URL", None)  # always the embedded SQLite database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townhall.settings")
    try:
        run(args, var_dir)
    finally:
        if not (args.keep or args.var_dir):
            shutil.rmtree(var_dir, ignore_errors=True)


def run(args: argparse.Namespace, var_dir: Path) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from townhall.accounts.models import User
    from townhall.estate import models as m

    setup_test_environment()  # lets the test Client's host through ALLOWED_HOSTS
    call_command("migrate", verbosity=0)
    print(f"database: {var_dir / 'townhall.sqlite3'}")
    if not m.System.objects.exists():
        started = time.perf_counter()
        call_command("demo", scale=args.scale, seed=args.seed, stdout=open(os.devnull, "w"))  # noqa: SIM115
        print(f"demo load ({args.scale}, seed {args.seed}): {time.perf_counter() - started:.1f} s")
    counts = {
        model: model.objects.count() for model in (m.System, m.Component, m.Dependency, m.Contract)
    }
    print("records: " + ", ".join(f"{v:,} {m_.__name__}" for m_, v in counts.items()))

    client = Client()
    client.force_login(User.objects.get(username="staff"))
    rng = random.Random(args.seed)
    system_ids = list(m.System.objects.values_list("pk", flat=True))
    component_ids = list(m.Component.objects.values_list("pk", flat=True))
    n = args.requests
    mid_systems = max(1, len(system_ids) // 25 // 2)
    mid_components = max(1, len(component_ids) // 25 // 2)
    pages = {
        "systems list": ["/estate/systems/"] * n,
        f"systems list, page {mid_systems}": [f"/estate/systems/?page={mid_systems}"] * n,
        "systems list, filtered + sorted": [
            "/estate/systems/?lifecycle=active&sort=-end_of_support"
        ]
        * n,
        "system detail": [f"/estate/systems/{pk}/" for pk in rng.sample(system_ids, n)],
        "components list": ["/estate/components/"] * n,
        f"components list, page {mid_components}": [f"/estate/components/?page={mid_components}"]
        * n,
        "components list, filtered + sorted": ["/estate/components/?kind=server&sort=-install_date"]
        * n,
        "component detail": [f"/estate/components/{pk}/" for pk in rng.sample(component_ids, n)],
        "estate dashboard": ["/estate/dashboard/"] * max(5, n // 4),
    }
    print(f"\n{'page':40} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8}")
    for name, urls in pages.items():
        client.get(urls[0])  # warm caches once
        times, queries = [], []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            queries.append(len(ctx.captured_queries))
        q = f"{min(queries)}" if min(queries) == max(queries) else f"{min(queries)}-{max(queries)}"
        print(
            f"{name:40} {len(urls):4} {statistics.median(times):8.1f} "
            f"{percentile(times, 0.95):8.1f} {max(times):8.1f} {q:>8}"
        )


if __name__ == "__main__":
    main()
