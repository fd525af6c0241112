"""Import of many components from CSV, against plain sqlite3 executemany of the same rows.

Both run in this one process run, on SQLite, from the same CSV file: Townhall's importer
(`townhall import component FILE`, as a separate process: parsing, mapping, validation,
permission checks, one audit entry per record, one transaction) and a baseline that parses
the same file with the csv module and inserts it with sqlite3's executemany. Prints both
times and the ratio. Prints figures; it is not a test.

    .venv/bin/python bench/import_components.py                 # 100,000 rows
    .venv/bin/python bench/import_components.py --rows 10000
    .venv/bin/python bench/import_components.py --rows 10000 --again   # and re-import it
    DEBUG=false .venv/bin/python bench/import_components.py   # as in production

With DEBUG on (the default outside production) Django logs every statement, which for the
importer's large multi-row INSERTs costs a noticeable share of the time.
"""

import argparse
import csv
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def townhall(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "townhall.cli", *args],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--again", action="store_true", help="import the same file a second time (all unchanged)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {
            **os.environ,
            "TOWNHALL_VAR_DIR": str(folder),
            "DATABASE_URL": f"sqlite:///{folder / 'townhall.sqlite3'}",
            "TOWNHALL_IMPORT_INLINE_ROWS": str(args.rows + 1),
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        subprocess.run(
            [sys.executable, "-m", "townhall.cli", "migrate", "-v0"], env=env, check=True
        )
        source = folder / "components.csv"
        write_csv(source, args.rows)
        base = baseline(source, folder / "baseline.sqlite3")
        ours = townhall(["import", "component", str(source)], env)
        debug = env.get("DEBUG", "(default: on)")
        print(f"rows: {args.rows:,}   DEBUG={debug}")
        print(f"sqlite3 executemany (csv module, no validation): {base:8.2f} s")
        print(f"townhall import (validated, audited, one transaction): {ours:8.2f} s")
        print(f"ratio townhall / baseline: {ours / base:8.1f}x")
        print(f"townhall rows per second: {args.rows / ours:,.0f}")
        if args.again:
            again = townhall(["import", "component", str(source)], env)
            print(f"townhall re-import (every row unchanged): {again:8.2f} s")
            print(f"townhall re-import rows per second: {args.rows / again:,.0f}")


if __name__ == "__main__":
    main()
