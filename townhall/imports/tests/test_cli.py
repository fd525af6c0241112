"""`townhall import KIND FILE [--mapping FILE] [--dry-run] [--valid-only] [--username U]`."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from townhall.audit.models import AuditEntry
from townhall.estate import models as m
from townhall.imports.tests.helpers import FIXTURES

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_imports_and_prints_counts(departments):
    out, _ = run("department", str(FIXTURES / "departments.csv"))
    assert "Imported 3 row(s): 2 created, 1 updated, 0 unchanged, 0 rejected." in out
    entry = AuditEntry.objects.filter(object_repr="Streets").get()
    assert (entry.via, entry.actor_name) == ("import", "system")


def test_bad_rows_fail_and_commit_nothing(departments):
    with pytest.raises(CommandError, match="4 row"):
        run("system", str(FIXTURES / "systems_bad.csv"))
    assert not m.System.objects.exists()


def test_rejected_rows_are_printed(departments):
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "system", str(FIXTURES / "systems_bad.csv"), stdout=out)
    lines = out.getvalue().splitlines()
    assert (
        lines[0]
        == "Nothing imported. Checked 6 row(s): 2 created, 0 updated, 0 unchanged, 4 rejected."
    )
    assert "row 3\tDepartment\tParks\tNo department called 'Parks'" in "\n".join(lines)


def test_valid_only(departments):
    out, _ = run("system", str(FIXTURES / "systems_bad.csv"), "--valid-only")
    assert "2 created" in out and "4 rejected" in out
    assert m.System.objects.count() == 2


def test_dry_run_writes_nothing(departments):
    out, _ = run("department", str(FIXTURES / "departments.csv"), "--dry-run")
    assert out.startswith("Dry run of 3 row(s), nothing saved: 2 created")
    from townhall.org.models import Department

    assert not Department.objects.filter(code="ST").exists()


def test_mapping_file(departments):
    out, err = run(
        "system", str(FIXTURES / "systems_custom.csv"), "--mapping", str(FIXTURES / "mapping.json")
    )
    assert "1 created" in out
    assert "'Ignored' is not imported" in err
    fleet = m.System.objects.get(name="Fleet Manager")
    assert fleet.owner_department == departments["PW"]
    assert str(fleet.end_of_support) == "2028-03-31"


def test_bad_mapping_file(departments, tmp_path):
    bad = tmp_path / "m.json"
    bad.write_text('{"Nope": "name"}')
    with pytest.raises(CommandError, match="does not have"):
        run("system", str(FIXTURES / "systems_custom.csv"), "--mapping", str(bad))


def test_as_a_user_with_permissions(users, tmp_path):
    services = tmp_path / "services.csv"
    services.write_text("Name,Department\nPotholes,PW\nBudget,FIN\n")
    with pytest.raises(CommandError, match="1 row"):
        run("service", str(services), "--username", "liaison1")
    out, _ = run("service", str(services), "--username", "liaison1", "--valid-only")
    assert "1 created" in out
    assert AuditEntry.objects.get(object_repr="Potholes").actor_name == "liaison1"
    with pytest.raises(CommandError, match="No active user"):
        run("service", str(services), "--username", "ghost")


def test_unreadable_file(tmp_path, db):
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF")
    with pytest.raises(CommandError, match="CSV"):
        run("system", str(pdf))


def test_a_mapping_file_with_values(departments, tmp_path):
    data = tmp_path / "apps.csv"
    data.write_text("App,Dept,Where\nCAD,PW,Mainframe room\nGIS,PW,On-Prem\n")
    mapping = tmp_path / "m.json"
    mapping.write_text(
        '{"columns": {"App": "name", "Dept": "owner_department", "Where": "hosting"},'
        ' "values": {"hosting": {"Mainframe room": "on_premises"}}}'
    )
    out, _ = run("system", str(data), "--mapping", str(mapping))
    assert "2 created" in out
    assert set(m.System.objects.values_list("hosting", flat=True)) == {"on_premises"}
    mapping.write_text('{"columns": {"App": "name"}, "values": {"hosting": {"x": "moon"}}}')
    with pytest.raises(CommandError, match="must map text to one of: cloud, on_premises"):
        run("system", str(data), "--mapping", str(mapping))
    mapping.write_text('{"columns": {"App": "name"}, "values": {"name": {"x": "y"}}}')
    with pytest.raises(CommandError, match="'name' is not a choice field of systems"):
        run("system", str(data), "--mapping", str(mapping))
