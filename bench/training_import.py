"""Training completions: the spreadsheet importer against the older training import.

Both run in this one run, on the same file of completions and the same people and courses,
each on its own fresh database: `townhall training import FILE` (the older reader, kept for
reading an e-mail and a name column together) and `townhall import training_completion
FILE` (the importer the training page now uses), each twice — the second time everything
is already recorded, as when a learning system's full history is exported again. Each is
a separate process, so the figures include start-up; the start-up itself (a header-only
file) is printed too. Prints figures; it is not a test.

    .venv/bin/python bench/training_import.py                  # 20,000 completions, SQLite
    .venv/bin/python bench/training_import.py --rows 2000
    .venv/bin/python bench/training_import.py --database postgres://postgres@127.0.0.1:5432/bench
"""

import argparse
import datetime
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_scale import bench_env, run, write  # noqa: E402

COURSES = 20


def files(folder: Path, rows: int) -> tuple[Path, Path, Path, Path]:
    """People, courses, completions, and a completions file with no rows."""
    people = max(1, rows // 4)
    start = datetime.date(2024, 1, 1)
    return (
        write(
            folder / "people.csv",
            ["Name", "Email", "Department"],
            [[f"Person {i:06d}", f"p{i:06d}@county.example", "D00"] for i in range(people)],
        ),
        write(
            folder / "courses.csv",
            ["Name", "Code", "Required"],
            [[f"Course {c:02d}", f"C-{c:02d}", "yes"] for c in range(COURSES)],
        ),
        write(
            folder / "completions.csv",
            ["Email", "Course", "Date"],
            [
                [
                    f"p{i % people:06d}@county.example",
                    f"Course {(i // people) % COURSES:02d}",
                    (start + datetime.timedelta(days=i // (people * COURSES))).isoformat(),
                ]
                for i in range(rows)
            ],
        ),
        write(folder / "empty.csv", ["Email", "Course", "Date"], []),
    )


def measure(command: list[str], rows: int, folder: Path, url: str | None, tag: str) -> list[float]:
    """Seconds of: the command on a header-only file, then on the file, then again."""
    env = bench_env(rows, folder, url, tag)
    people, courses, completions, empty = files(folder, rows)
    departments = write(folder / "departments.csv", ["Code", "Name"], [["D00", "Department"]])
    run(None, env, ["migrate", "-v0"])
    run(None, env, ["import", "department", str(departments)])
    run(None, env, ["import", "person", str(people)])
    run(None, env, ["import", "course", str(courses)])
    return [run(None, env, [*command, str(path)]) for path in (empty, completions, completions)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--database", help="a PostgreSQL URL to create fresh databases beside")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        older = measure(["training", "import"], args.rows, folder, args.database, "older")
        importer = measure(
            ["import", "training_completion"], args.rows, folder, args.database, "importer"
        )
    print(f"{args.rows:,} completions ({max(1, args.rows // 4):,} people, {COURSES} courses)")
    print(f"{'':34}{'start-up':>10}{'first':>10}{'again':>10}")
    for label, (up, first, again) in (
        ("townhall training import (older)", older),
        ("townhall import training_completion", importer),
    ):
        print(f"{label:34}{up:>9.2f}s{first:>9.2f}s{again:>9.2f}s")


if __name__ == "__main__":
    main()
