"""Import of many components from CSV, against the database's plain bulk load of the same rows.

Both run in this one process run, from the same CSV file: Townhall's importer (`townhall
import component FILE`, as a separate process: parsing, mapping, validation, permission
checks, one audit entry per record, one transaction) and a baseline that parses the same file
with the csv module and loads it with no checks — sqlite3's executemany on SQLite, psycopg's
COPY on PostgreSQL. Prints both times, the ratio and the import's peak memory (the child
process's ru_maxrss). Prints figures; it is not a test.

The importer's time is given twice, each against the baseline: the whole process, and the
import itself, which is the whole process less the same command's time for a file of the
same header and no rows (interpreter and Django start-up, system checks, reading what the
import reads once), measured in the same run.

    .venv/bin/python bench/import_components.py                 # 100,000 rows, SQLite
    .venv/bin/python bench/import_components.py --rows 10000
    .venv/bin/python bench/import_components.py --rows 10000 --again   # and re-import it
    DEBUG=false .venv/bin/python bench/import_components.py   # as in production
    DEBUG=false .venv/bin/python bench/import_components.py --postgres postgres://u@host/db

With --postgres the URL names a server and a database to start from; the benchmark creates
two fresh databases beside it (`<name>_bench`, `<name>_bench_base`) and drops them after.

It also prints a floor: the very rows the import wrote (the components and their audit
entries) written again, with no checks, straight into Townhall's own tables — executemany into
a freshly migrated copy of the database on SQLite, COPY into tables made `LIKE` Townhall's
(same columns, checks and indexes) on PostgreSQL. No importer can be faster than that floor,
whatever its validation costs: it is what the schema and one audit entry per record cost.

With DEBUG on (the default outside production) Django keeps every statement for its log; the
importer sends its rows with executemany (SQLite) or COPY (PostgreSQL), so that costs little.
"""

import argparse
import csv
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

HEADER = [
    "Name",
    "Kind",
    "Manufacturer",
    "Model",
    "Serial or asset tag",
    "Quantity",
    "Install date",
    "End of support",
    "Replacement cost",
    "Status",
]
KINDS = ["server", "virtual_machine", "storage", "network_device", "firewall"]


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            writer.writerow(
                [
                    f"bench-{i:06d}",
                    KINDS[i % len(KINDS)],
                    "Northwind Hardware",
                    f"NW-{i % 40}",
                    f"AT{i:07d}",
                    1 + i % 3,
                    f"{1 + i % 12}/{1 + i % 28}/20{10 + i % 14}",
                    f"20{26 + i % 8}-06-30",
                    f"${1000 + i % 9000:,}.00",
                    "in_service",
                ]
            )


def baseline(path: Path, db: Path) -> float:
    start = time.perf_counter()
    con = sqlite3.connect(db)
    con.execute(
        "CREATE TABLE component (name TEXT, kind TEXT, manufacturer TEXT, model TEXT,"
        " asset_tag TEXT, quantity INTEGER, install_date TEXT, end_of_support TEXT,"
        " replacement_cost TEXT, status TEXT)"
    )
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        con.executemany("INSERT INTO component VALUES (?,?,?,?,?,?,?,?,?,?)", reader)
    con.commit()
    con.close()
    return time.perf_counter() - start


def baseline_postgres(path: Path, url: str) -> float:
    import psycopg

    start = time.perf_counter()
    with psycopg.connect(url) as con, con.cursor() as cur:
        cur.execute(
            "CREATE TABLE component (name text, kind text, manufacturer text, model text,"
            " asset_tag text, quantity integer, install_date text, end_of_support text,"
            " replacement_cost text, status text)"
        )
        with (
            path.open(newline="", encoding="utf-8") as handle,
            cur.copy("COPY component FROM STDIN") as copy,
        ):
            reader = csv.reader(handle)
            next(reader)
            for row in reader:
                copy.write_row(row)
    return time.perf_counter() - start


# Table names below come from this constant, never from input (hence the noqa: S608).
TABLES = ("estate_component", "audit_auditentry")


def floor_sqlite(imported: Path, clean: Path) -> float:
    """Seconds to write the rows the import wrote into a migrated, empty copy of the database."""
    with sqlite3.connect(imported) as source:
        rows = {
            table: source.execute(f"SELECT * FROM {table}").fetchall()  # noqa: S608
            for table in TABLES
        }
    start = time.perf_counter()
    con = sqlite3.connect(clean)
    for table, values in rows.items():
        marks = ",".join("?" * len(values[0]))
        con.executemany(f"INSERT INTO {table} VALUES ({marks})", values)  # noqa: S608
    con.commit()
    con.close()
    return time.perf_counter() - start


def floor_postgres(url: str) -> float:
    """Seconds to COPY the rows the import wrote into tables made like Townhall's."""
    import psycopg

    with psycopg.connect(url) as con, con.cursor() as cur:
        data = {}
        for table in TABLES:
            with cur.copy(f"COPY {table} TO STDOUT") as copy:
                data[table] = b"".join(bytes(block) for block in copy)
            cur.execute(f"CREATE TABLE floor_{table} (LIKE {table} INCLUDING ALL)")
        con.commit()
        start = time.perf_counter()
        for table, text in data.items():
            with cur.copy(f"COPY floor_{table} FROM STDIN") as copy:
                copy.write(text)
        con.commit()
        took = time.perf_counter() - start
        for table in TABLES:
            cur.execute(f"DROP TABLE floor_{table}")
    return took


def townhall(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Seconds the command took, and its peak resident memory in bytes."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "townhall.cli", *args], env=env, stdout=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"townhall {' '.join(args)} failed ({child.returncode})")
    return time.perf_counter() - start, usage.ru_maxrss * 1024  # kilobytes on Linux


def _databases(url: str) -> tuple[str, str, Any]:
    """Two fresh databases beside the one `url` names; and how to drop them."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "postgres"
    names = [f"{name}_bench", f"{name}_bench_base"]
    admin = urlunsplit(parts._replace(path="/postgres"))

    def run(statement: str) -> None:
        with psycopg.connect(admin, autocommit=True) as con:
            for db in names:
                con.execute(statement.format(db=db))

    run('DROP DATABASE IF EXISTS "{db}"')
    run('CREATE DATABASE "{db}"')
    urls = [urlunsplit(parts._replace(path=f"/{db}")) for db in names]
    return urls[0], urls[1], lambda: run('DROP DATABASE IF EXISTS "{db}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--again", action="store_true", help="import the same file a second time (all unchanged)"
    )
    parser.add_argument(
        "--postgres", metavar="URL", help="run on PostgreSQL; compare with psycopg COPY"
    )
    args = parser.parse_args()
    drop = None
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.postgres:
            database, base_url, drop = _databases(args.postgres)
        else:
            database = f"sqlite:///{folder / 'townhall.sqlite3'}"
        env = {
            **os.environ,
            "TOWNHALL_VAR_DIR": str(folder),
            "DATABASE_URL": database,
            "TOWNHALL_IMPORT_INLINE_ROWS": str(args.rows + 1),
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        try:
            subprocess.run(
                [sys.executable, "-m", "townhall.cli", "migrate", "-v0"], env=env, check=True
            )
            if not args.postgres:
                shutil.copy(folder / "townhall.sqlite3", folder / "clean.sqlite3")
            source = folder / "components.csv"
            write_csv(source, args.rows)
            if args.postgres:
                base = baseline_postgres(source, base_url)
                how = "psycopg COPY"
            else:
                base = baseline(source, folder / "baseline.sqlite3")
                how = "sqlite3 executemany"
            empty = folder / "header-only.csv"
            write_csv(empty, 0)
            start_up, _ = townhall(["import", "component", str(empty)], env)
            ours, memory = townhall(["import", "component", str(source)], env)
            own = ours - start_up
            if args.postgres:
                floor = floor_postgres(database)
            else:
                floor = floor_sqlite(folder / "townhall.sqlite3", folder / "clean.sqlite3")
            debug = env.get("DEBUG", "(default: on)")
            vendor = "PostgreSQL" if args.postgres else "SQLite"
            print(f"rows: {args.rows:,}   DEBUG={debug}   database: {vendor}")
            print(f"{how} (csv module, no validation): {base:8.2f} s")
            print(f"townhall import (validated, audited, one transaction): {ours:8.2f} s")
            print(f"  of which start-up (same command, header-only file): {start_up:8.2f} s")
            print(f"  the import itself, less start-up: {own:8.2f} s")
            print(f"ratio townhall / baseline, whole process: {ours / base:8.1f}x")
            print(f"ratio townhall / baseline, import itself: {own / base:8.1f}x")
            print(
                f"floor: the same rows and audit entries straight into Townhall's tables: "
                f"{floor:8.2f} s ({floor / base:.1f}x the baseline)"
            )
            print(f"ratio townhall import itself / floor: {own / floor:8.1f}x")
            print(f"townhall rows per second (import itself): {args.rows / own:,.0f}")
            print(f"townhall import peak memory (ru_maxrss): {memory / 2**20:,.0f} MB")
            if args.again:
                again, memory = townhall(["import", "component", str(source)], env)
                print(f"townhall re-import (every row unchanged): {again:8.2f} s")
                print(f"townhall re-import rows per second: {args.rows / again:,.0f}")
                print(f"townhall re-import peak memory (ru_maxrss): {memory / 2**20:,.0f} MB")
        finally:
            if drop is not None:
                drop()


if __name__ == "__main__":
    main()
