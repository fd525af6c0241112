"""Shadow IT: a year of purchasing-card data imported and its merchants worked out, against
Python's csv module reading the same file.

The goal (issue 16, item 8): a large county's year, 500,000 card transactions, imports and
classifies within five times the time `csv.reader` takes just to read the file.

Writes (seeded) a card statement as a bank's export heads it — transaction and posting
date, merchant as printed, amount (one line in forty a refund), merchant category code,
cardholder, department, transaction ID — over about 4,000 descriptors (a few hundred
technology vendors spelled the ways statements spell them, ordinary merchants with store
numbers, one charge in seven an Amazon Marketplace order with a reference of its own), then,
in one process on a fresh SQLite database (or `--database`, a PostgreSQL URL whose database
is created afresh):

(a) reads it with `csv.reader` alone;
(b) imports it as "Purchases" through the platform's importer on the write path, as
    `townhall import purchase FILE` does (`imports.services.read`, the guessed columns,
    `engine.run` with commit): every row checked, matched, saved in batches and audited;
(c) runs the merchant job (`shadowit.merchants.work_out`): keys, merchants, categories,
    subscriptions; then runs it again (nothing changed) and imports the same file again.

Two more figures put the goal in scale. A plain load: the csv rows read and written, with no
checks, into a table of eight text columns and no index (sqlite3's executemany, or psycopg's
COPY). And a floor: the very rows the import wrote (the purchases and their audit entries)
written again, unchecked, into Townhall's own tables (a copy of the database taken before the
import on SQLite; tables made `LIKE` Townhall's, with their checks and indexes, on
PostgreSQL). No importer that keeps those rows can be faster than the floor.

Prints each time (wall clock), the ratio (b + c) / a against the goal of 5, and the peak
memory of the process. `--profile N` profiles (cProfile) the import of N rows instead and
prints where the time goes. Prints figures; it is not a test.

    .venv/bin/python bench/shadowit_import.py                # 500,000 rows
    .venv/bin/python bench/shadowit_import.py --rows 50000
    .venv/bin/python bench/shadowit_import.py --profile 20000
    .venv/bin/python bench/shadowit_import.py --rows 50000 \\
        --database postgres://postgres@127.0.0.1:5432/bench_shadowit
"""

import argparse
import cProfile
import csv
import datetime
import io
import os
import pstats
import random
import resource
import sqlite3
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LABELLED = ROOT / "bench" / "data" / "shadowit_labelled.csv"
DEPARTMENTS = [
    ("PARKS", "Parks and Recreation"),
    ("LIB", "Library"),
    ("SHERIFF", "Sheriff"),
    ("PW", "Public Works"),
    ("HEALTH", "Health"),
    ("IT", "Information Technology"),
    ("CLERK", "Clerk"),
    ("COURTS", "Courts"),
    ("FIRE", "Fire"),
    ("PLAN", "Planning"),
]
HEADER = [
    "Transaction Date",
    "Posting Date",
    "Merchant Name",
    "Amount",
    "MCC",
    "Cardholder Name",
    "Department",
    "Transaction ID",
]


def _merchant_pool(rng: random.Random, labelled: list[tuple[str, str, str]], size: int) -> list:
    """The merchants a county's cards buy from: the labelled descriptors and many local
    businesses (a few frequent, most seldom), each with its code."""
    towns = "ASHTON BRADLEY CLAYTON DORSET ELMWOOD FAIRVIEW GLENDALE HOLLIS IRVING JASPER".split()
    words = "NORTH SOUTH RIVER PEAK CEDAR HARBOR VALLEY SUMMIT PINE LAKE BAY CREST".split()
    # Family names far apart, so no two businesses read as one name mistyped.
    families = (
        "ANDERSON BLACKWELL CARRINGTON DELGADO ELLISON FITZGERALD GONZALES HUTCHINS IVERSON "
        "JENKINS KOWALSKI LINDQVIST MORALES NAKAMURA OKAFOR PATTERSON QUINTERO ROSENBERG "
        "SULLIVAN THOMPSON UNDERWOOD VASQUEZ WHITAKER YAMAMOTO ZIMMERMAN"
    ).split()
    trades = [
        ("CAFE", "5812"),
        ("GRILL", "5812"),
        ("SUPPLY", "5999"),
        ("SERVICES", "7399"),
        ("PRINTING", "2741"),
        ("TIRE", "5532"),
        ("AUTO PARTS", "5533"),
        ("MARKET", "5411"),
        ("HARDWARE", "5251"),
        ("CONSULTING", "7392"),
        ("FUEL", "5541"),
        ("LUMBER", "5211"),
    ]
    pool = [(d, mcc) for d, mcc, _ in labelled]
    names: set[str] = set()
    for _ in range(size * 20):
        if len(pool) >= size:
            break
        trade, mcc = rng.choice(trades)
        name = f"{rng.choice(towns + families)} {rng.choice(words)} {trade}"
        if name not in names:
            names.add(name)
            pool.append((name, mcc))
    return pool


def _subscriptions(rng: random.Random, labelled: list[tuple[str, str, str]], count: int) -> list:
    """Real subscriptions: a software or telecom vendor, one department, a cadence and a fixed
    price (now and then raised once, or cancelled part way through the year)."""
    tech = [(d, mcc) for d, mcc, category in labelled if category in ("software", "telecom")]
    prices = ["9.99", "14.99", "15.99", "29.00", "49.00", "99.00", "149.00", "250.00", "1200.00"]
    found = []
    for _ in range(count):
        descriptor, mcc = rng.choice(tech)
        months = rng.choices([1, 3, 12], weights=[75, 12, 13])[0]
        price = Decimal(rng.choice(prices)) * (12 if months == 12 else 1)
        found.append(
            {
                "descriptor": descriptor,
                "mcc": mcc,
                "department": rng.randrange(len(DEPARTMENTS)),
                "months": months,
                "price": price,
                "raise_at": rng.randrange(3, 10) if rng.random() < 0.1 else None,
                "stop_at": rng.randrange(4, 10) if rng.random() < 0.1 else None,
                "day": rng.randint(1, 28),
                "cardholder": f"CARDHOLDER {rng.randint(1, 1500):04d}",
            }
        )
    return found


def generate(path: Path, rows: int, seed: int) -> dict[str, int]:
    """A seeded year of card lines, in date order as a bank's export lists them: a few
    hundred real subscriptions at fixed prices, and for the rest one-off purchases across
    many merchants (one in seven a marketplace order, one in forty a refund of an earlier
    purchase)."""
    rng = random.Random(seed)
    with LABELLED.open(newline="", encoding="utf-8") as f:
        labelled = [(r["descriptor"], r["mcc"], r["category"]) for r in csv.DictReader(f)]
    start = datetime.date.today().replace(day=1) - datetime.timedelta(days=365)
    lines: list[tuple[datetime.date, str, Decimal, str, str, str]] = []
    for sub in _subscriptions(rng, labelled, max(20, min(400, rows // 250))):
        for n in range(0, 12, sub["months"]):
            if sub["stop_at"] is not None and n >= sub["stop_at"]:
                break
            day = start + datetime.timedelta(days=31 * n + sub["day"])
            raised = sub["raise_at"] is not None and n >= sub["raise_at"]
            price = sub["price"] * (Decimal("1.15") if raised else 1)
            department = DEPARTMENTS[sub["department"]][0]
            lines.append((day, sub["descriptor"], price, sub["mcc"], sub["cardholder"], department))
    subscription_lines = len(lines)
    pool = _merchant_pool(rng, labelled, max(2000, rows // 10))
    weights = [1 / (i + 1) ** 0.9 for i in range(len(pool))]
    rng.shuffle(pool)
    # Each merchant is mostly bought by a department or two, as cards are.
    home = {d: rng.sample(range(len(DEPARTMENTS)), 2) for d, _ in pool}
    picks = rng.choices(pool, weights=weights, k=max(0, rows - subscription_lines))
    bought: list[tuple[datetime.date, str, Decimal, str, str, str]] = []
    for descriptor, mcc in picks:
        day = start + datetime.timedelta(days=rng.randrange(365))
        department = DEPARTMENTS[rng.choice(home[descriptor])][0]
        cardholder = f"CARDHOLDER {rng.randint(1, 1500):04d}"
        if bought and rng.random() < 1 / 40:  # a refund of an earlier purchase
            day, descriptor, amount, mcc, cardholder, department = rng.choice(bought)
            day += datetime.timedelta(days=rng.randint(3, 20))
            line = (day, descriptor, -amount, mcc, cardholder, department)
        else:
            if rng.random() < 1 / 7:
                ref = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(8))
                descriptor, mcc = f"AMZN Mktp US*{ref}", "5999"
            elif "#" not in descriptor and rng.random() < 0.3:
                descriptor = f"{descriptor} #{rng.randint(1, 999)}"  # a store number
            amount = Decimal(f"{min(rng.lognormvariate(3.6, 1.1), 4999):.2f}")
            line = (day, descriptor, amount, mcc, cardholder, department)
            bought.append(line)
        lines.append(line)
    lines.sort(key=lambda line: line[0])
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        for i, (day, descriptor, amount, mcc, cardholder, department) in enumerate(lines):
            posted = day + datetime.timedelta(days=1 + i % 3)
            writer.writerow(
                [
                    f"{day.month}/{day.day}/{day.year}",
                    f"{posted.month}/{posted.day}/{posted.year}",
                    descriptor,
                    f"{amount:.2f}",
                    mcc,
                    cardholder,
                    department,
                    f"24{i:010d}",
                ]
            )
    return {"lines": len(lines), "subscription lines": subscription_lines}


def read_only(path: Path) -> int:
    count = 0
    with path.open(newline="", encoding="utf-8") as f:
        for _row in csv.reader(f):
            count += 1
    return count


FLOOR_TABLES = ("shadowit_purchase", "audit_auditentry")  # constants: never input (S608)


def plain_load(path: Path, vendor: str) -> float:
    """Seconds to read the file with csv and write its rows, unchecked, into a bare table."""
    from django.db import connection, transaction

    started = time.perf_counter()
    with (
        path.open(newline="", encoding="utf-8") as handle,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        reader = csv.reader(handle)
        next(reader)
        columns = ", ".join(f"c{i} text" for i in range(len(HEADER)))
        cursor.execute(f"CREATE TABLE bench_plain ({columns})")
        if vendor == "sqlite":
            marks = ", ".join("?" * len(HEADER))
            insert = f"INSERT INTO bench_plain VALUES ({marks})"  # noqa: S608 - constant
            cursor.connection.executemany(insert, reader)
        else:
            with cursor.cursor.copy("COPY bench_plain FROM STDIN") as copy:
                for row in reader:
                    copy.write_row(row)
    took = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_plain")
    return took


def floor(vendor: str, clean: Path | None, last_entry: int) -> float:
    """Seconds to write the rows the import wrote (its purchases, and the audit entries after
    `last_entry`) into empty tables of Townhall's own shape."""
    from django.db import connection, transaction

    where = {"shadowit_purchase": "", "audit_auditentry": f" WHERE id > {int(last_entry)}"}
    if vendor == "sqlite":
        assert clean is not None
        with connection.cursor() as cursor:
            rows = {
                t: cursor.execute(f"SELECT * FROM {t}{where[t]}").fetchall()  # noqa: S608
                for t in FLOOR_TABLES
            }
        con = sqlite3.connect(clean)
        started = time.perf_counter()
        for table, values in rows.items():
            marks = ",".join("?" * len(values[0]))
            con.executemany(f"INSERT INTO {table} VALUES ({marks})", values)  # noqa: S608
        con.commit()
        took = time.perf_counter() - started
        con.close()
        return took
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        data = {}
        for table in FLOOR_TABLES:
            query = f"COPY (SELECT * FROM {table}{where[table]}) TO STDOUT"  # noqa: S608
            with cursor.copy(query) as copy:
                data[table] = b"".join(bytes(block) for block in copy)
            cursor.execute(f"CREATE TABLE floor_{table} (LIKE {table} INCLUDING ALL)")
        started = time.perf_counter()
        with transaction.atomic():  # one transaction, as the import's
            for table, text in data.items():
                with cursor.copy(f"COPY floor_{table} FROM STDIN") as copy:
                    copy.write(text)
        took = time.perf_counter() - started
        for table in FLOOR_TABLES:
            cursor.execute(f"DROP TABLE floor_{table}")
    return took


def fresh_database(url: str | None, folder: Path) -> str:
    if url is None:
        return f"sqlite:///{folder / 'bench.sqlite3'}"
    base, _, name = url.rpartition("/")
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}"')
        con.execute(f'CREATE DATABASE "{name}"')
    return url


def setup_django(folder: Path, url: str | None, rows: int) -> None:
    os.environ.update(
        {
            "TOWNHALL_VAR_DIR": str(folder),
            "DATABASE_URL": fresh_database(url, folder),
            "TOWNHALL_IMPORT_INLINE_ROWS": str(rows + 1),
            "TOWNHALL_IMPORT_MAX_ROWS": str(rows + 1),
            "DEBUG": "false",
            "SECRET_KEY": "bench-only",
            "DJANGO_SETTINGS_MODULE": "townhall.settings",
        }
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from townhall.core import context, services
    from townhall.org.models import Department

    with context.acting("cli"):
        services.create_many(
            context.SYSTEM, Department, [{"code": c, "name": n} for c, n in DEPARTMENTS]
        )


def import_file(path: Path) -> Any:
    """As `townhall import purchase FILE` does."""
    from townhall.core import context
    from townhall.imports import engine, kinds, services

    kind = kinds.get("purchase")
    sheet = services.read(path.read_bytes(), path.name)
    with context.acting("cli"):
        return engine.run(
            context.SYSTEM,
            kind,
            sheet,
            kind.guess(sheet.header),
            commit=True,
            source=f"Import of {path.name}",
        )


def merchant_job() -> Any:
    from townhall.core import context
    from townhall.shadowit import merchants

    with context.acting("task"):
        return merchants.work_out(context.SYSTEM, datetime.date.today())


def timed(fn: Any, *args: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn(*args)
    return time.perf_counter() - started, value


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def speed(args: argparse.Namespace, folder: Path) -> None:
    path = folder / "card_statement.csv"
    made = generate(path, args.rows, args.seed)
    size = path.stat().st_size / 1e6
    setup_django(folder, args.database, args.rows)
    reading = min(timed(read_only, path)[0] for _ in range(3))
    from django.db import connection

    vendor = connection.vendor
    loading = plain_load(path, vendor)
    clean = None
    if vendor == "sqlite":
        clean = folder / "clean.sqlite3"
        with sqlite3.connect(clean) as target:
            connection.ensure_connection()
            connection.connection.backup(target)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM audit_auditentry")
        (last_entry,) = cursor.fetchone()
    before = peak_mb()
    importing, outcome = timed(import_file, path)
    assert outcome.committed and not outcome.problems, outcome.report()
    after_import = peak_mb()
    working, report = timed(merchant_job)
    again, second = timed(merchant_job)
    reimport, outcome2 = timed(import_file, path)
    lowest = floor(vendor, clean, last_entry)
    print(
        f"{made['lines']:,} card lines ({made['subscription lines']:,} of them subscription "
        f"charges), {size:.1f} MB, database {args.database or 'SQLite'}"
    )
    print(f"  csv read (csv.reader alone):     {reading:8.2f} s")
    print(f"  import on the write path:        {importing:8.2f} s  {outcome.counts()}")
    print(f"  merchant job:                    {working:8.2f} s  {report.text()}")
    print(f"  merchant job again (no change):  {again:8.2f} s  {second.text()}")
    print(f"  the same file imported again:    {reimport:8.2f} s  {outcome2.counts()}")
    print(
        f"  peak memory: {before:.0f} MB before the import, {after_import:.0f} MB after it, "
        f"{peak_mb():.0f} MB at the end"
    )
    print(f"  ratio (import + job) / read: {(importing + working) / reading:.1f} (goal: at most 5)")
    print(f"  ratio import / read:         {importing / reading:.1f}")
    print(f"  plain load (csv rows into a bare table, no checks): {loading:8.2f} s")
    print(f"  floor (the purchases and audit entries written again, unchecked): {lowest:8.2f} s")
    print(f"  ratio plain load / read:     {loading / reading:.1f}")
    print(f"  ratio floor / read:          {lowest / reading:.1f}")
    print(f"  ratio import / floor:        {importing / lowest:.1f}")


def profile(args: argparse.Namespace, folder: Path) -> None:
    path = folder / "card_statement.csv"
    generate(path, args.profile, args.seed)
    setup_django(folder, args.database, args.profile)
    for title, step in (("the import", import_file), ("the merchant job", merchant_job)):
        profiler = cProfile.Profile()
        profiler.enable()
        step(path) if step is import_file else step()
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs()
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(20)
        print(f"==== {title} of {args.profile:,} rows")
        print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", help="a PostgreSQL URL (its database is recreated)")
    parser.add_argument("--profile", type=int, default=0, help="profile importing N rows")
    args, _ = parser.parse_known_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.profile:
            profile(args, Path(tmp))
        else:
            speed(args, Path(tmp))


if __name__ == "__main__":
    main()
