"""A background export's read, the old way and the new, while someone else keeps writing.

Exports of more than 5,000 rows run as jobs that write their progress every 1,000 rows. The
export read its rows with `qs.iterator()`; on SQLite that keeps one read open on the
connection, and a write on that connection fails at once ("database is locked") once any
other connection has committed. The export now reads with `core.exports.chunked` (the
ordered ids, then each chunk of rows whole). In this one run, on the database Townhall is
configured with (DATABASE_URL or TOWNHALL_VAR_DIR), for the list of `--resource`:

- writes the CSV of every row the old way and the new way, each with a progress write every
  1,000 rows on the export's own connection, as the job does;
- with `--writer`, a second connection commits a small write every 10 ms meanwhile (what a
  job page polling every second did when each request saved its session);
- prints rows, seconds and the outcome of each (best of `--repeat` runs, alternately), the
  peak Python memory of each measured alone (tracemalloc), and the new/old ratios.

It adds one job row and one session row for its own use and removes them. Prints figures;
it is not a test. Use a copy of a database, never one people use:

    TOWNHALL_VAR_DIR=/tmp/copy .venv/bin/python bench/background_export.py --writer
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/copy .venv/bin/python \\
        bench/background_export.py --resource estate.dependency --writer
"""

import argparse
import datetime
import io
import os
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townhall.settings")

import django  # noqa: E402

django.setup()

from django.contrib.sessions.models import Session  # noqa: E402
from django.db import DatabaseError, connection, connections  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.utils import timezone  # noqa: E402

from townhall.accounts.models import User  # noqa: E402
from townhall.core import exports, registry  # noqa: E402
from townhall.core.views import ListPage  # noqa: E402
from townhall.jobs.models import Job  # noqa: E402

SESSION_KEY = "bench-background-export-writer"


class Writer(threading.Thread):
    """Commits a small write every 10 ms on its own connection until stopped."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.commits = 0
        self.errors = 0

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                try:
                    Session.objects.filter(pk=SESSION_KEY).update(
                        expire_date=timezone.now() + datetime.timedelta(hours=1)
                    )
                    self.commits += 1
                except DatabaseError:
                    self.errors += 1
                time.sleep(0.01)
        finally:
            connections.close_all()


def queryset(resource_key: str, user: User) -> tuple[Any, Any]:
    resource = next(r for r in registry.all_resources() if r.key == resource_key)
    request = RequestFactory().get("/", QueryDict(""))
    request.user = user
    view = ListPage(resource=resource)
    view.request, view.kwargs = request, {}
    qs, _, _ = view.filtered()
    return qs, resource.table()


def export(
    rows_of: Callable[..., Any], qs: Any, table: Any, job: Job, *, memory: bool = False
) -> tuple[int, float, str]:
    """Rows written, and seconds (or, with `memory`, peak Python memory in bytes, measured
    with tracemalloc, which slows the run several times), and the outcome."""

    def progress(done: int) -> None:
        Job.objects.filter(pk=job.pk).update(done=done)

    written = 0
    if memory:
        tracemalloc.start()
    started = time.perf_counter()
    outcome = "finished"
    source = rows_of(qs)
    try:
        out = io.StringIO()
        header = [c.label for c in table.columns]
        for line in exports.csv_lines(header, exports.rows(source, table.columns, progress)):
            out.write(line)
            written += 1
            if out.tell() > 8_000_000:
                out.seek(0)
                out.truncate()
    except DatabaseError as exc:
        outcome = f"failed: {exc}"
    finally:
        source.close()  # ends the old way's open read before the next measure
    measure = time.perf_counter() - started
    if memory:
        measure = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return max(written - 1, 0), measure, outcome


WAYS = (
    ("old: qs.iterator(chunk_size=2000)", lambda q: q.iterator(chunk_size=2000)),
    ("new: exports.chunked(qs)", exports.chunked),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--resource", default="estate.dependency")
    parser.add_argument("--writer", action="store_true", help="commit writes meanwhile")
    parser.add_argument("--repeat", type=int, default=3, help="times each way is timed")
    args = parser.parse_args()
    user = User.objects.filter(role="admin").order_by("pk").first()
    if user is None:
        raise SystemExit("No administrator in this database: load the demo first.")
    qs, table = queryset(args.resource, user)
    job = Job.objects.create(kind="bench", title="bench", created_by=user)
    Session.objects.update_or_create(
        session_key=SESSION_KEY,
        defaults={"session_data": "", "expire_date": timezone.now()},
    )
    writing = "on" if args.writer else "off"
    print(f"{connection.vendor}: export of {args.resource}, other writer {writing}")
    best: dict[str, tuple[int, float, str]] = {}
    try:
        for _ in range(args.repeat):  # alternately, keeping each way's best time
            for name, rows_of in WAYS:
                writer = Writer()
                if args.writer:
                    writer.start()
                result = export(rows_of, qs, table, job)
                writer.stop.set()
                if args.writer:
                    writer.join()
                if name not in best or result[1] < best[name][1]:
                    best[name] = result
                print(
                    f"  {name:36} {result[0]:>9,} rows  {result[1]:7.2f} s  {result[2]}"
                    f"  (other writer: {writer.commits:,} commits, {writer.errors} errors)"
                )
        peaks = {name: export(rows_of, qs, table, job, memory=True) for name, rows_of in WAYS}
    finally:
        Job.objects.filter(pk=job.pk).delete()
        Session.objects.filter(pk=SESSION_KEY).delete()
    for name, (_rows, peak, outcome) in peaks.items():
        print(f"  {name:36} peak Python memory {peak / 2**20:6.1f} MiB (alone)  {outcome}")
    (old_rows, old_s, old_end), (new_rows, new_s, new_end) = best.values()
    if old_end == new_end == "finished":
        old_peak, new_peak = (peaks[name][1] for name, _ in WAYS)
        print(f"  new/old: best time {new_s / old_s:.2f}, peak memory {new_peak / old_peak:.2f}")
    else:
        print(f"  old: {old_end} after {old_rows:,} rows; new: {new_end} ({new_rows:,} rows)")


if __name__ == "__main__":
    main()
