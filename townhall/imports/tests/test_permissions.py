"""Imports act as the signed-in person: a liaison imports only their department's rows."""

import pytest

from townhall.estate import models as m
from townhall.imports.tests.helpers import make, run_import
from townhall.org.models import Department

pytestmark = pytest.mark.django_db

MIXED = b"Name,Department\nPW Service,PW\nFinance Service,Finance\nNo Department,\n"


def test_liaison_rows_for_other_departments_are_rejected(users):
    out = run_import(users["liaison"], "service", MIXED, "s.csv", valid_only=True)
    assert out.created == 1
    reasons = {p.row: (p.column, p.value, p.reason) for p in out.problems}
    assert reasons[3] == (
        "Department",
        "Finance",
        "Department liaisons can import only rows for their own department (Public Works); "
        "this row is for Finance.",
    )
    assert "this row is for no department" in reasons[4][2]
    assert list(m.Service.objects.values_list("name", flat=True)) == ["PW Service"]


def test_liaison_without_a_department_column_imports_into_their_own(users, departments):
    out = run_import(users["liaison"], "service", b"Name\nStreet sweeping\n", "s.csv")
    assert out.created == 1
    assert m.Service.objects.get().owner_department == departments["PW"]


def test_liaison_cannot_change_another_departments_record(users, departments):
    make(m.Service, name="Budget", owner_department=departments["FIN"], description="old")
    data = b"Name,Department,Description\nBudget,FIN,new\n"
    out = run_import(users["liaison"], "service", data, "s.csv")
    assert out.rejected == 1 and not out.committed
    assert "own department (Public Works)" in out.problems[0].reason
    assert m.Service.objects.get().description == "old"


def test_liaison_cannot_move_a_record_to_another_department(users, departments):
    make(m.Service, name="Potholes", owner_department=departments["PW"])
    data = b"Name,Department,External ID\nPotholes,FIN,\n"
    # Found by name within Finance: not theirs to create there.
    out = run_import(users["liaison"], "service", data, "s.csv")
    assert out.rejected == 1
    svc = m.Service.objects.get()
    make_id = {"external_id": "SVC-1"}
    from townhall.core import context, services

    with context.acting("system"):
        services.update(context.SYSTEM, svc, make_id, version=None)
    out = run_import(
        users["liaison"], "service", b"Name,Department,External ID\nPotholes,FIN,SVC-1\n", "s.csv"
    )
    assert out.rejected == 1
    assert "Finance" in out.problems[0].reason
    assert m.Service.objects.get().owner_department == departments["PW"]


def test_liaison_cannot_add_vendors_or_departments(users):
    out = run_import(users["liaison"], "vendor", b"Name\nAcme\n", "v.csv")
    assert out.problems[0].reason == "You may not add vendors."
    out = run_import(users["liaison"], "department", b"Name,Code\nParks,PK\n", "d.csv")
    assert out.problems[0].reason == "Department liaisons cannot add departments."
    out = run_import(users["liaison"], "department", b"Code,Employees\nFIN,3\n", "d.csv")
    assert "only their own department's record" in out.problems[0].reason
    assert not Department.objects.filter(code="PK").exists()


def test_liaison_updates_their_own_department(users, departments):
    out = run_import(users["liaison"], "department", b"Code,Employees\nPW,75\n", "d.csv")
    assert out.updated == 1
    assert Department.objects.get(code="PW").employees == 75


def test_viewer_can_import_nothing(users):
    out = run_import(users["viewer"], "service", MIXED, "s.csv", valid_only=True)
    assert out.rejected == 3 and out.created == 0
    assert out.problems[0].reason == "You may not add services."


def test_staff_imports_for_any_department(users):
    out = run_import(users["staff"], "service", MIXED, "s.csv")
    assert out.created == 3
