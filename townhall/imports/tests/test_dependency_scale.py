"""Dependencies import without a query per row: their ends are found by name in memory and
read a window of rows at a time, existing dependencies are matched from one index, and new
ones are saved in batches (each still validated and audited), so checking and importing
grow linearly with the file."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from townhall.audit.models import AuditEntry
from townhall.core.context import SYSTEM
from townhall.estate import models as m
from townhall.imports.tests.helpers import make, run_import

pytestmark = pytest.mark.django_db


def estate(departments, count: int) -> None:
    for i in range(count):
        make(m.System, name=f"app-{i}", owner_department=departments["PW"])
        make(m.Component, name=f"srv-{i}", owner_department=departments["FIN"])


def dependencies(rows: int, start: int = 0) -> bytes:
    lines = "".join(
        f"system:app-{i},component:srv-{i},runs_on\n" for i in range(start, start + rows)
    )
    return ("From,To,Kind\n" + lines).encode()


def test_checking_and_importing_dependencies_costs_no_query_per_row(departments):
    estate(departments, 130)

    def queries(rows: int, start: int, commit: bool) -> int:
        with CaptureQueriesContext(connection) as ctx:
            out = run_import(
                SYSTEM, "dependency", dependencies(rows, start), "d.csv", commit=commit
            )
        assert out.counts() == {"created": rows, "updated": 0, "unchanged": 0, "rejected": 0}
        return len(ctx.captured_queries)

    # A few more statements for a larger batch (a multi-row INSERT is split where the
    # database limits its parameters), never one more per row.
    assert queries(100, 0, commit=False) <= queries(10, 0, commit=False) + 4
    assert queries(100, 0, commit=True) <= queries(10, 100, commit=True) + 4
    assert m.Dependency.objects.count() == 110
    dep = m.Dependency.objects.get(from_system__name="app-7")
    assert dep.to_component.name == "srv-7"
    assert dep.owner_department == departments["PW"]  # the depending record's, as clean says
    assert AuditEntry.objects.filter(content_type__model="dependency").count() == 110

    with CaptureQueriesContext(connection) as ctx:  # all unchanged now
        out = run_import(SYSTEM, "dependency", dependencies(100), "d.csv")
    assert out.counts()["unchanged"] == 100
    unchanged = len(ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        run_import(SYSTEM, "dependency", dependencies(10), "d.csv")
    assert unchanged <= len(ctx.captured_queries) + 4


def test_a_second_dependency_with_the_same_ends_in_one_file_is_matched(departments):
    estate(departments, 2)
    data = b"From,To,Kind,Notes\nsystem:app-0,component:srv-0,runs_on,a\n"
    data += b"system:app-0,component:srv-0,runs_on,b\n"
    out = run_import(SYSTEM, "dependency", data, "d.csv")
    assert out.counts() == {"created": 1, "updated": 1, "unchanged": 0, "rejected": 0}
    assert m.Dependency.objects.get().notes == "b"


def test_vendors_are_matched_by_name_or_alias_without_a_query_per_row(db):
    def vendors(rows: int) -> bytes:
        lines = "".join(f"Vendor {i},V{i} Inc\n" for i in range(rows))
        return ("Name,Aliases\n" + lines).encode()

    def queries(rows: int) -> int:
        with CaptureQueriesContext(connection) as ctx:
            out = run_import(SYSTEM, "vendor", vendors(rows), "v.csv")
        assert out.counts()["rejected"] == 0
        return len(ctx.captured_queries)

    # the first 10 again (unchanged), 90 new; on SQLite one more: the new ids are counted first
    assert queries(100) <= queries(10) + 5
    assert m.Vendor.objects.count() == 100
    again = b"Name,Website\nVENDOR 7,https://seven.example\nv8 inc,https://eight.example\n"
    out = run_import(SYSTEM, "vendor", again, "v.csv")
    assert out.counts() == {"created": 0, "updated": 2, "unchanged": 0, "rejected": 0}
    assert m.Vendor.objects.get(aliases="V8 Inc").website == "https://eight.example"
    assert m.Vendor.objects.count() == 100
