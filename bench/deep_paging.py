"""Deep pages of the audit log and of the API's component list: by number (ids first, as
the log paged before and `?page=N` still does) against by key (`core.paging.keyset_page`,
what the log and the API's `next` links use), at several depths, in the same run.

Reads an existing database: SQLite in a TOWNHALL_VAR_DIR (e.g. the one
`bench/estate_pages.py --var-dir DIR --keep` built), or PostgreSQL with DATABASE_URL. Prints
the median milliseconds of each way and their ratio (by number / by key); by number includes
the count it needs to know where the list ends (the log capped it at 10,000, which left
older pages out of reach). It is not a test.

    .venv/bin/python bench/deep_paging.py --var-dir /tmp/big
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/big .venv/bin/python bench/deep_paging.py
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def timed(work, repeat: int) -> float:  # noqa: ANN001
    work()  # warm once
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var-dir", help="SQLite: the TOWNHALL_VAR_DIR holding the database")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    if args.var_dir:
        os.environ["TOWNHALL_VAR_DIR"] = args.var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townhall.settings")
    import django

    django.setup()
    from django.db import connection

    from townhall.accounts.models import User
    from townhall.audit.models import AuditEntry
    from townhall.core.paging import Paginator, encode_cursor, key_order, keyset_page
    from townhall.estate.models import Component

    staff = User.objects.get(username="staff")
    lists = {
        "audit log (newest first)": AuditEntry.objects.restrict(staff)
        .without_values()
        .select_related("actor", "content_type"),
        "API components (by id)": Component.objects.restrict(staff, "view")
        .select_related("owner_department", "location")
        .order_by("pk"),
    }
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"\n{'list':26} {'rows':>9} {'from row':>9} {'number ms':>10} {'key ms':>8} {'ratio':>6}")
    for name, qs in lists.items():
        total = qs.order_by().count()
        order = key_order(qs)
        assert order is not None
        for share in (0.0, 0.25, 0.5, 0.75, 0.99):
            start = int(total * share) // 50 * 50
            number = start // 50 + 1

            def by_number(qs=qs, number=number) -> list:  # noqa: ANN001
                return list(Paginator(qs, 50).page(number).object_list)

            boundary = (
                list(qs.values_list(*[f for f, _ in order])[start - 1 : start]) if start else []
            )
            cursor = encode_cursor(boundary[0], False) if boundary else None

            def by_key(qs=qs, cursor=cursor) -> list:  # noqa: ANN001
                return keyset_page(qs, 50, cursor).rows

            assert [r.pk for r in by_number()] == [r.pk for r in by_key()], (name, start)
            a, b = timed(by_number, args.repeat), timed(by_key, args.repeat)
            print(f"{name:26} {total:9,} {start:9,} {a:10.1f} {b:8.1f} {a / b:6.1f}", flush=True)


if __name__ == "__main__":
    main()
