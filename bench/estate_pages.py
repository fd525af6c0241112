"""Server time and queries for the estate's pages and API on a big estate, on SQLite or
PostgreSQL.

Requests each page through Django's test Client as the demo IT staff account (30 times by
default, after one warm-up request) and prints p50/p95/max server time, the median CPU
time the request took in this process (Python and templates, not the database's own work:
steadier than the wall clock when other work shares the machine) and the queries per page.
The systems list, which met the goal before, is measured in the same run as a reference for
the machine's speed. Prints figures; it is not a test.

On SQLite it builds the demo (large by default: about 5,000 systems, 100,000 components and
300,000 dependencies) in a temporary TOWNHALL_VAR_DIR, or reuses one; on PostgreSQL
(DATABASE_URL set) it uses the database as it is and loads nothing.

    .venv/bin/python bench/estate_pages.py                          # SQLite, new large demo
    .venv/bin/python bench/estate_pages.py --scale small
    .venv/bin/python bench/estate_pages.py --var-dir /tmp/big --keep   # build once, keep it
    .venv/bin/python bench/estate_pages.py --var-dir /tmp/big          # reuse what is there
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/big .venv/bin/python bench/estate_pages.py

Before and after a change: run once with `--save before.json` (on the old code:
`PYTHONPATH=/path/to/old/checkout`), then with `--compare before.json` on the new code, on
the same database; the table then shows both runs' p50 and p95 side by side.
"""

import argparse
import gc
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

if "PYTHONPATH" not in os.environ:  # else the old code under measurement comes first
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

GOAL_MS = 150


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of `values` (share 0.95 for p95)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["small", "large"], default="large")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=30, help="requests per page")
    parser.add_argument("--var-dir", help="SQLite: this TOWNHALL_VAR_DIR (reused if it has data)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    parser.add_argument(
        "--only", help="measure only pages whose name contains this (and the reference)"
    )
    parser.add_argument("--save", help="write the figures to this JSON file")
    parser.add_argument("--compare", help="show the figures of this JSON file beside")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townhall.settings")
    if os.environ.get("DATABASE_URL"):
        run(args, None)
        return
    var_dir = Path(args.var_dir or tempfile.mkdtemp(prefix="townhall-bench-"))
    var_dir.mkdir(parents=True, exist_ok=True)
    os.environ["TOWNHALL_VAR_DIR"] = str(var_dir)
    try:
        run(args, var_dir)
    finally:
        if not (args.keep or args.var_dir):
            shutil.rmtree(var_dir, ignore_errors=True)


def pages(rng: random.Random, n: int) -> dict[str, list[str]]:
    """The pages measured: each a list of `n` addresses (random records where it says so)."""
    from django.db.models import Count

    from townhall.estate import models as m

    def busiest(end: str, model: type) -> int:
        """The record of this kind with the most dependencies on it (a hub)."""
        top = (
            m.Dependency.objects.filter(**{f"to_{end}__isnull": False})
            .values(f"to_{end}")
            .annotate(n=Count("id"))
            .order_by("-n", f"to_{end}")[:1]
        )
        row = next(iter(top), None)
        return row[f"to_{end}"] if row else model.objects.order_by("pk").values_list("pk")[0][0]

    component_ids = list(m.Component.objects.order_by("pk").values_list("pk", flat=True))
    system_ids = list(m.System.objects.order_by("pk").values_list("pk", flat=True))
    hub_component = busiest("component", m.Component)
    hub_system = busiest("system", m.System)
    hub_service = busiest("service", m.Service)
    # The service that needs the most systems directly: its page's continuity panel gives
    # the recovery time of everything below it.
    top_service = (
        m.Dependency.objects.filter(from_service__isnull=False)
        .values("from_service")
        .annotate(n=Count("id"))
        .order_by("-n", "from_service")[:1]
    )
    deep_service = next(iter(top_service), {"from_service": hub_service})["from_service"]
    components_pages = -(-len(component_ids) // 25)
    deps_pages = -(-m.Dependency.objects.count() // 25)
    deep = min(2000, components_pages)
    deep_deps = min(2000, deps_pages)
    system_name = m.System.objects.get(pk=rng.choice(system_ids)).name
    # The same deep rows reached by key as by number: the API's page `deep // 2` of 50
    # starts after this component; the audit log's entry `deep_entry` (newest first).
    api_deep = deep // 2
    after = component_ids[max(min(len(component_ids), (api_deep - 1) * 50), 1) - 1]
    from townhall.audit.models import AuditEntry
    from townhall.core.paging import encode_cursor

    entries = AuditEntry.objects.count()
    deep_entry = min(100_000, max(entries - 50, 0))
    boundary = AuditEntry.objects.values_list("at", "id")[deep_entry : deep_entry + 1]
    at_id = next(iter(boundary), None)
    audit_deep = (
        {
            f"audit log, older from entry {deep_entry:,}": [
                f"/audit/?cursor={encode_cursor(at_id, False)}"
            ]
            * n
        }
        if at_id
        else {}
    )
    sample = rng.sample(component_ids, min(n, len(component_ids)))
    # Random records' dependency pages, as people open them (bench/load.py): most services
    # lie above thousands of components, more than the page shows.
    service_ids = list(m.Service.objects.order_by("pk").values_list("pk", flat=True))
    some_services = [rng.choice(service_ids) for _ in range(n)]
    some_systems = [rng.choice(system_ids) for _ in range(n)]
    return {
        "systems list (reference)": ["/estate/systems/"] * n,
        "component detail": [f"/estate/components/{pk}/" for pk in sample],
        "hub component detail": [f"/estate/components/{hub_component}/"] * n,
        "hub system detail": [f"/estate/systems/{hub_system}/"] * n,
        "service detail, most needed": [f"/estate/services/{deep_service}/"] * n,
        "hub service dependencies": [f"/estate/services/{hub_service}/dependencies/"] * n,
        "hub system dependencies": [f"/estate/systems/{hub_system}/dependencies/"] * n,
        "hub component dependencies": [f"/estate/components/{hub_component}/dependencies/"] * n,
        "service dependencies, random": [
            f"/estate/services/{pk}/dependencies/" for pk in some_services
        ],
        "system dependencies, random": [
            f"/estate/systems/{pk}/dependencies/" for pk in some_systems
        ],
        "search, common word": ["/search/?q=server"] * n,
        "search, system name": [f"/search/?q={system_name}"] * n,
        "search, no match": ["/search/?q=zzqx-nothing"] * n,
        f"components list, page {deep}": [f"/estate/components/?page={deep}"] * n,
        "components list, last page": [f"/estate/components/?page={components_pages}"] * n,
        f"dependencies list, page {deep_deps}": [f"/estate/dependencies/?page={deep_deps}"] * n,
        "dependencies list, last page": [f"/estate/dependencies/?page={deps_pages}"] * n,
        "components list, filtered + sorted": ["/estate/components/?kind=server&sort=-install_date"]
        * n,
        **cyber_pages(n),
        "audit log": ["/audit/"] * n,
        "API components list": ["/api/estate/components/"] * n,
        f"API components, page {api_deep}": [f"/api/estate/components/?page={api_deep}"] * n,
        f"API components, cursor at page {api_deep}": [
            f"/api/estate/components/?cursor={encode_cursor([after], False)}"
        ]
        * n,
        **audit_deep,
        "API dependencies list": ["/api/estate/dependencies/"] * n,
        "API component detail": [f"/api/estate/components/{pk}/" for pk in sample],
        "API search components": ["/api/estate/components/?q=server"] * n,
    }


def cyber_pages(n: int) -> dict[str, list[str]]:
    """The cyber pages a CISO opens: the front page and the brief, the insurer's questions,
    exposure, training, risks, the plan, who performs each function and the assessment
    being worked on (the one the front page reports)."""
    from townhall.accounts.models import User
    from townhall.cyber.brief import latest_assessment

    assessment = latest_assessment(User.objects.get(username="staff"))
    on_assessment = (
        {
            "cyber assessment": [f"/cyber/assessments/{assessment.pk}/"] * n,
            "cyber assessment workspace": [f"/cyber/assessments/{assessment.pk}/workspace/"] * n,
        }
        if assessment
        else {}
    )
    return {
        "cyber health (front page)": ["/cyber/"] * n,
        "cyber brief (as HTML)": ["/cyber/brief.pdf?format=html"] * n,
        "cyber insurance questionnaire": ["/cyber/insurance/"] * n,
        "cyber exposure": ["/cyber/exposure/"] * n,
        "cyber training coverage": ["/cyber/training/coverage/"] * n,
        "cyber risks list": ["/cyber/risks/"] * n,
        "cyber risk register": ["/cyber/risks/register/"] * n,
        "cyber plan of action": ["/cyber/plan/"] * n,
        "cyber function coverage": ["/cyber/coverage/"] * n,
        "cyber incident metrics": ["/cyber/incidents/metrics/"] * n,
        **on_assessment,
    }


def run(args: argparse.Namespace, var_dir: Path | None) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    import townhall
    from townhall.accounts.models import User
    from townhall.estate import models as m

    setup_test_environment()  # lets the test Client's host through ALLOWED_HOSTS
    print(f"code: {Path(townhall.__file__).parent.parent}")
    if var_dir is not None:
        call_command("migrate", verbosity=0)
        print(f"database: SQLite {var_dir / 'townhall.sqlite3'}")
        if not m.System.objects.exists():
            started = time.perf_counter()
            call_command("demo", scale=args.scale, seed=args.seed, stdout=open(os.devnull, "w"))  # noqa: SIM115
            print(f"demo load ({args.scale}): {time.perf_counter() - started:.1f} s")
    else:
        print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    counts = {
        model: model.objects.count() for model in (m.System, m.Component, m.Dependency, m.Contract)
    }
    print("records: " + ", ".join(f"{v:,} {m_.__name__}" for m_, v in counts.items()))

    client = Client()
    client.force_login(User.objects.get(username="staff"))
    rng = random.Random(args.seed)
    measured = {
        name: urls
        for name, urls in pages(rng, args.requests).items()
        if not args.only or args.only in name or "(reference)" in name
    }
    before = json.loads(Path(args.compare).read_text()) if args.compare else {}
    # As the server does after start-up (townhall/wsgi.py): what lives as long as the process
    # is set aside from the garbage collector's full passes, which otherwise walk it all and
    # put pauses of 80 ms to a second (on a busy machine) into a page's p95 that no server
    # request pays.
    gc.collect()
    gc.freeze()
    figures: dict[str, dict[str, float]] = {}
    head = (
        f"{'page':38} {'n':>3} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'cpu ms':>8} "
        f"{'queries':>8}"
    )
    print(f"\n{head}" + (f" {'before p50':>10} {'p95':>8} {'queries':>8}" if before else ""))
    for name, urls in measured.items():
        client.get(urls[0])  # warm caches once
        times, cpu, queries = [], [], []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                started, used = time.perf_counter(), time.process_time()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - used) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            queries.append(len(ctx.captured_queries))
        q = f"{min(queries)}" if min(queries) == max(queries) else f"{min(queries)}-{max(queries)}"
        p50, p95 = statistics.median(times), percentile(times, 0.95)
        cpu50 = statistics.median(cpu)
        figures[name] = {
            "p50": p50,
            "p95": p95,
            "max": max(times),
            "cpu": cpu50,
            "queries": max(queries),
        }
        line = f"{name:38} {len(urls):3} {p50:8.1f} {p95:8.1f} {max(times):8.1f} {cpu50:8.1f}"
        line += f" {q:>8}"
        if name in before:
            was = before[name]
            line += f" {was['p50']:10.1f} {was['p95']:8.1f} {was.get('queries', ''):>8}"
        print(line + ("" if p95 <= GOAL_MS else "  over the goal"), flush=True)
    over = [name for name, f in figures.items() if f["p95"] > GOAL_MS]
    print(f"\ngoal p95 <= {GOAL_MS} ms: " + (f"missed by {', '.join(over)}" if over else "met"))
    if args.save:
        Path(args.save).write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
