"""How checking and importing grow with the size of the file: seconds per 1,000 rows.

For each size (5,000, 20,000 and 100,000 rows by default) and each kind of record, a fresh
database is migrated, given what the rows refer to (departments, and for dependencies the
systems and components at both ends), and then `townhall import KIND FILE --dry-run`
(check) and `townhall import KIND FILE` (import) run as separate processes. Linear means
the same seconds per 1,000 rows at every size: the last line prints the ratio of the
largest size's figure to the smallest's (1.0 is linear).

The baseline is the same run of another checkout of Townhall (`--baseline PATH`, e.g. a
`git worktree add /tmp/main main`), run with the same files on the same database, so the
figures before and after a change come from one machine in one run. Prints figures; it is
not a test.

    .venv/bin/python bench/import_scale.py --sizes 5000,20000 --kinds dependency
    .venv/bin/python bench/import_scale.py --baseline /tmp/main
    .venv/bin/python bench/import_scale.py --database postgres://postgres@127.0.0.1:5432/bench
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEPARTMENTS = [(f"D{i:02d}", f"Department {i:02d}") for i in range(20)]
KINDS = ("system", "component", "dependency", "vendor")


def write(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def departments(folder: Path) -> Path:
    return write(folder / "departments.csv", ["Code", "Name"], [list(d) for d in DEPARTMENTS])


def systems(folder: Path, rows: int, name: str = "systems.csv") -> Path:
    return write(
        folder / name,
        [
            "Name",
            "Department",
            "Hosting",
            "Criticality tier",
            "Go-live date",
            "Annual licence cost",
        ],
        [
            [
                f"sys-{i:06d}",
                DEPARTMENTS[i % len(DEPARTMENTS)][0],
                ["On premises", "saas", "Cloud IaaS/PaaS"][i % 3],
                1 + i % 4,
                f"{1 + i % 12}/{1 + i % 28}/20{10 + i % 14}",
                f"${1000 + i % 9000:,}.00",
            ]
            for i in range(rows)
        ],
    )


def components(folder: Path, rows: int, name: str = "components.csv") -> Path:
    kinds = ["server", "virtual_machine", "storage", "network_device", "firewall"]
    return write(
        folder / name,
        ["Name", "Department", "Kind", "Serial or asset tag", "Install date", "Status"],
        [
            [
                f"cmp-{i:06d}",
                DEPARTMENTS[i % len(DEPARTMENTS)][0],
                kinds[i % len(kinds)],
                f"AT{i:07d}",
                f"20{10 + i % 14}-0{1 + i % 9}-1{i % 9}",
                "in_service",
            ]
            for i in range(rows)
        ],
    )


def vendors(folder: Path, rows: int) -> Path:
    return write(
        folder / "vendors.csv",
        ["Name", "Aliases", "Website"],
        [[f"Vendor {i:06d}", f"V{i:06d} Inc", f"https://v{i}.example"] for i in range(rows)],
    )


def dependencies(folder: Path, rows: int) -> Path:
    ends = max(1, rows // 4)
    return write(
        folder / "dependencies.csv",
        ["From", "To", "Kind", "Department"],
        [
            [
                f"system:sys-{i % ends:06d}",
                f"component:cmp-{(i * 7919) % rows:06d}",
                "runs_on",
                DEPARTMENTS[(i % ends) % len(DEPARTMENTS)][0],
            ]
            for i in range(rows)
        ],
    )


def run(source: Path | None, env: dict[str, str], args: list[str]) -> float:
    """Seconds taken by `townhall ARGS` from `source` (None: this checkout)."""
    env = dict(env)
    if source is not None:
        env["PYTHONPATH"] = str(source)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "townhall.cli", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=source or Path(__file__).resolve().parent.parent,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"townhall {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return seconds


def fresh_database(url: str | None, folder: Path, tag: str) -> str:
    """A new empty database: a SQLite file in `folder`, or `url`'s name + tag on PostgreSQL."""
    if url is None:
        return f"sqlite:///{folder / f'{tag}.sqlite3'}"
    base, _, name = url.rpartition("/")
    database = f"{name}_{tag}"
    admin = f"{base}/postgres"
    import psycopg

    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{database}"')
        con.execute(f'CREATE DATABASE "{database}"')
    return f"{base}/{database}"


def bench_env(rows: int, folder: Path, url: str | None, tag: str) -> dict[str, str]:
    """The environment of a command run on a fresh database that imports `rows` rows inline,
    as in production (DEBUG off)."""
    env = {
        **os.environ,
        "TOWNHALL_VAR_DIR": str(folder),
        "DATABASE_URL": fresh_database(url, folder, tag),
        "TOWNHALL_IMPORT_INLINE_ROWS": str(rows + 1),
        "TOWNHALL_IMPORT_MAX_ROWS": str(rows + 1),
        "DEBUG": "false",
        "SECRET_KEY": "bench-only",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def measure(
    source: Path | None, kind: str, rows: int, folder: Path, url: str | None, tag: str
) -> tuple[float, float]:
    """(check seconds, import seconds) of `rows` rows of `kind` on a fresh database."""
    env = bench_env(rows, folder, url, tag)
    run(source, env, ["migrate", "-v0"])
    run(source, env, ["import", "department", str(departments(folder))])
    if kind == "dependency":
        run(source, env, ["import", "system", str(systems(folder, max(1, rows // 4), "s.csv"))])
        run(source, env, ["import", "component", str(components(folder, rows, "c.csv"))])
        path = dependencies(folder, rows)
    else:
        path = {"system": systems, "component": components, "vendor": vendors}[kind](folder, rows)
    check = run(source, env, ["import", kind, str(path), "--dry-run"])
    done = run(source, env, ["import", kind, str(path)])
    return check, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000,20000,100000")
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--baseline", type=Path, help="another checkout to measure alike")
    parser.add_argument("--database", help="a PostgreSQL URL (default: SQLite files)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    sources: list[tuple[str, Path | None]] = [("this checkout", None)]
    if args.baseline:
        sources.insert(0, ("baseline", args.baseline.resolve()))
    print(f"database: {'PostgreSQL' if args.database else 'SQLite'}")
    print("seconds per 1,000 rows (check = --dry-run; import = commit)")
    with tempfile.TemporaryDirectory() as tmp:
        for kind in args.kinds.split(","):
            for label, source in sources:
                figures = []
                for rows in sizes:
                    folder = Path(tmp) / f"{kind}-{rows}-{len(figures)}-{label[:4]}"
                    folder.mkdir()
                    tag = f"{kind}_{rows}_{label[:4]}".replace(" ", "")
                    check, done = measure(source, kind, rows, folder, args.database, tag)
                    per = (check / rows * 1000, done / rows * 1000)
                    figures.append(per)
                    print(
                        f"{kind:<11} {label:<14} {rows:>7,} rows: check {check:8.1f} s "
                        f"({per[0]:6.2f} s/1k)   import {done:8.1f} s ({per[1]:6.2f} s/1k)",
                        flush=True,
                    )
                if len(figures) > 1:
                    first, last = figures[0], figures[-1]
                    print(
                        f"{kind:<11} {label:<14} ratio {sizes[-1]:,} / {sizes[0]:,} rows per "
                        f"1k: check {last[0] / first[0]:4.2f}, import {last[1] / first[1]:4.2f}",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
