"""Importing real-world files: references, upserts, all-or-nothing, valid rows only."""

import datetime
from decimal import Decimal

import pytest

from townhall.audit.models import AuditEntry
from townhall.core import context
from townhall.estate import models as m
from townhall.imports.tests.helpers import fixture, make, run_import
from townhall.org.models import Department

pytestmark = pytest.mark.django_db

SYSTEM = context.SYSTEM


@pytest.fixture
def tyler(departments):
    return make(m.Vendor, name="Tyler Technologies", aliases="Tyler\nTyler Tech")


def test_systems_from_a_bom_file(departments, tyler):
    out = run_import(SYSTEM, "system", fixture("systems_bom.csv"), "systems.csv")
    assert out.problems == []
    assert out.counts() == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    payroll = m.System.objects.get(name="Payroll")
    assert payroll.owner_department == departments["FIN"]  # by name
    assert payroll.vendor == tyler  # trailing space trimmed
    assert payroll.end_of_support == datetime.date(2025, 3, 14)
    assert payroll.cost_license == Decimal("1200.50")
    assert payroll.go_live == datetime.date(2019, 7, 1)
    assert payroll.hosting == "saas"
    assert payroll.source == "Import of systems.csv"
    orders = m.System.objects.get(name="Work Orders")
    assert orders.owner_department == departments["PW"]  # by code
    assert orders.holds_cjis is True
    assert orders.go_live == datetime.date(2023, 3, 15)  # Excel serial number
    assert orders.hosting == "on_premises"
    permits = m.System.objects.get(name="Permits")
    assert permits.vendor == tyler  # by alias
    assert permits.cost_license == Decimal("-1200.00")
    entries = AuditEntry.objects.filter(object_repr="Payroll")
    assert [e.via for e in entries] == ["import"]


def test_importing_twice_changes_nothing(departments, tyler):
    run_import(SYSTEM, "system", fixture("systems_bom.csv"), "systems.csv")
    before = AuditEntry.objects.count()
    out = run_import(SYSTEM, "system", fixture("systems_bom.csv"), "systems.csv")
    assert out.counts() == {"created": 0, "updated": 0, "unchanged": 3, "rejected": 0}
    assert AuditEntry.objects.count() == before


def test_changed_rows_update(departments, tyler):
    run_import(SYSTEM, "system", fixture("systems_bom.csv"), "systems.csv")
    data = b"Name,Department,End of support\nPayroll,FIN,2030-01-01\nPermits,PW,\n"
    out = run_import(SYSTEM, "system", data, "again.csv")
    assert out.counts() == {"created": 0, "updated": 1, "unchanged": 1, "rejected": 0}
    assert m.System.objects.get(name="Payroll").end_of_support == datetime.date(2030, 1, 1)


def test_vendors_from_windows_1252(db):
    out = run_import(SYSTEM, "vendor", fixture("vendors_cp1252.csv"), "vendors.csv")
    assert out.created == 2
    cafe = m.Vendor.objects.get(name="Café Software")
    assert cafe.alias_list() == ["Cafe Soft"]
    again = b"Name,Website\nCafe Soft,https://cafe.example/new\n"  # found by its alias
    out = run_import(SYSTEM, "vendor", again, "v.csv")
    assert out.counts()["updated"] == 1
    assert m.Vendor.objects.count() == 2


def test_components_from_tabs_with_location(departments):
    make(m.Location, name="City Hall Data Center", kind="data_center")
    out = run_import(SYSTEM, "component", fixture("components_tabs.tsv"), "c.tsv")
    assert out.problems == []
    assert out.created == 2
    srv = m.Component.objects.get(name="srv-01")
    assert srv.asset_tag == "A-100"
    assert srv.install_date == datetime.date(2023, 3, 15)
    assert srv.replacement_cost == Decimal("8000.00")
    assert srv.location.name == "City Hall Data Center"
    assert m.Component.objects.get(name="srv-02").install_date == datetime.date(2024, 1, 2)


def test_departments_refer_to_rows_earlier_in_the_file(departments):
    out = run_import(SYSTEM, "department", fixture("departments.csv"), "d.csv")
    assert out.problems == []
    assert out.counts() == {"created": 2, "updated": 1, "unchanged": 0, "rejected": 0}
    assert Department.objects.get(code="ST").parent == departments["PW"]
    assert Department.objects.get(code="FLT").employees == 1200


def test_people_contracts_and_dependencies(departments, tyler):
    assert run_import(SYSTEM, "person", fixture("people.csv"), "p.csv").created == 2
    ana = m.Person.objects.get(email="ana@city.example")
    assert ana.is_it_staff and ana.owner_department == departments["PW"]

    out = run_import(SYSTEM, "contract", fixture("contracts.csv"), "c.csv")
    assert out.problems == []
    assert out.created == 2  # same title, different numbers
    c1 = m.Contract.objects.get(number="C-1")
    assert (c1.vendor, c1.auto_renew, c1.annual_cost) == (tyler, True, Decimal("12000.00"))
    assert c1.end == datetime.date(2026, 12, 31)

    make(m.Service, name="Pay Employees", owner_department=departments["FIN"])
    make(m.System, name="Payroll", owner_department=departments["FIN"])
    make(m.Component, name="db-01", owner_department=departments["FIN"])
    out = run_import(SYSTEM, "dependency", fixture("dependencies.csv"), "d.csv", valid_only=True)
    assert out.created == 2
    assert [(p.row, p.column, p.value) for p in out.problems] == [(4, "To", "Nowhere")]
    assert "No service, system or component called 'Nowhere'" in out.problems[0].reason
    dep = m.Dependency.objects.get(kind="stores_data_in")
    assert dep.from_system.name == "Payroll" and dep.to_component.name == "db-01"
    again = run_import(SYSTEM, "dependency", fixture("dependencies.csv"), "d.csv", valid_only=True)
    assert (again.unchanged, again.created) == (2, 0)


def test_bad_rows_commit_nothing(departments):
    out = run_import(SYSTEM, "system", fixture("systems_bad.csv"), "bad.csv")
    assert not out.committed
    assert out.counts() == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 4}
    assert not m.System.objects.exists()
    assert not AuditEntry.objects.filter(via="import").exists()
    found = {(p.row, p.column): (p.value, p.reason) for p in out.problems}
    assert found[(3, "Department")][0] == "Parks"
    assert "No department called 'Parks'" in found[(3, "Department")][1]
    assert "not a real date" in found[(4, "End of support")][1]
    assert "not an amount of money" in found[(5, "Annual licence cost")][1]
    assert "No vendor called 'Nobody Inc'" in found[(6, "Vendor")][1]
    assert "not yes or no" in found[(6, "CJIS data")][1]  # every problem of a row is listed


def test_valid_only_keeps_the_good_rows(departments):
    out = run_import(SYSTEM, "system", fixture("systems_bad.csv"), "bad.csv", valid_only=True)
    assert out.committed
    assert sorted(m.System.objects.values_list("name", flat=True)) == ["Good One", "Good Two"]


def test_preview_writes_nothing(departments, tyler):
    out = run_import(SYSTEM, "system", fixture("systems_bom.csv"), "s.csv", commit=False)
    assert out.created == 3 and not out.committed
    assert not m.System.objects.exists()


def test_validation_errors_name_the_column(departments):
    data = b"Name,Department,Criticality tier\nTiered,PW,9\n"
    out = run_import(SYSTEM, "system", data, "s.csv")
    assert [(p.row, p.column, p.value) for p in out.problems] == [(2, "Criticality tier", "9")]
    assert "less than or equal to 4" in out.problems[0].reason


def test_blank_name_is_rejected(departments):
    out = run_import(SYSTEM, "service", b"Name,Department\n ,PW\n", "s.csv")
    assert out.problems[0].reason == "Name is required"


def test_a_crash_leaves_nothing_half_written(departments, monkeypatch):
    from townhall.imports import engine

    calls = {"n": 0}
    real = engine.services.create

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk on fire")
        return real(*args, **kwargs)

    monkeypatch.setattr(engine.services, "create", flaky)
    with pytest.raises(RuntimeError):  # departments are saved row by row
        run_import(SYSTEM, "department", b"Code,Name\nAA,A\nBB,B\n", "d.csv", valid_only=True)
    assert not Department.objects.filter(code__in=["AA", "BB"]).exists()


def test_a_crash_in_a_later_batch_leaves_nothing_half_written(departments, monkeypatch):
    from townhall.core import services
    from townhall.imports import engine

    calls = {"n": 0}
    real = services.Creation.save

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk on fire")
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "BATCH", 1)
    monkeypatch.setattr(services.Creation, "save", flaky)
    with pytest.raises(RuntimeError):
        run_import(SYSTEM, "service", b"Name,Department\nA,PW\nB,PW\n", "s.csv", valid_only=True)
    assert calls["n"] == 2
    assert not m.Service.objects.exists()
    assert not AuditEntry.objects.filter(via="import").exists()


def test_xlsx_import(departments):
    from townhall.imports.tests.helpers import xlsx

    data = xlsx(
        [
            ["System", "Dept", "End of Support", "Users"],
            ["Payroll", "FIN", datetime.datetime(2026, 6, 30), 150.0],
            ["Permits", "PW", 45000, None],
        ]
    )
    out = run_import(SYSTEM, "system", data, "systems.xlsx")
    assert out.problems == []
    payroll = m.System.objects.get(name="Payroll")
    assert (payroll.end_of_support, payroll.users) == (datetime.date(2026, 6, 30), 150)
    assert m.System.objects.get(name="Permits").end_of_support == datetime.date(2023, 3, 15)


def test_ambiguous_and_qualified_references(departments):
    make(m.System, name="Payroll", owner_department=departments["PW"])
    make(m.System, name="Payroll", owner_department=departments["FIN"])
    make(m.Service, name="Payroll", owner_department=departments["FIN"])
    make(m.Component, name="db-01")
    data = (
        b"From,To,Kind\n"
        b"Payroll,db-01,runs_on\n"
        b"system:Payroll,db-01,runs_on\n"
        b"system:Payroll [FIN],db-01,runs_on\n"
        b"service:Payroll,db-01,runs_on\n"
    )
    out = run_import(SYSTEM, "dependency", data, "d.csv", valid_only=True)
    assert out.created == 2
    reasons = {p.row: p.reason for p in out.problems}
    assert "write system:Payroll, service:Payroll" in reasons[2]
    assert "Several systems are called 'Payroll'" in reasons[3]
    assert m.Dependency.objects.filter(from_system__owner_department=departments["FIN"]).exists()
