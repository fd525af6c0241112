"""Impact analyses and recovery capabilities from the spreadsheets cities already keep: one
record per service (system, component), the impact grid as one column per cell, and the
same guarantees as the estate kinds (row/column/reason, liaisons, round trip, no query per
row)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from townhall.continuity import models as c
from townhall.core import context
from townhall.estate import models as m
from townhall.imports import engine, kinds
from townhall.imports.models import ImportRun
from townhall.imports.tests.helpers import make, run_import, xlsx

pytestmark = pytest.mark.django_db

SYSTEM = context.SYSTEM
RTO_MESSAGE = (
    "The recovery time objective (48 h) cannot be longer than the maximum tolerable "
    "downtime (24 h)."
)


@pytest.fixture
def estate(departments):
    pw, fin = departments["PW"], departments["FIN"]
    return {
        "pay": make(m.Service, name="Pay Employees", owner_department=fin),
        "permits": make(m.Service, name="Permits", owner_department=pw),
        "potholes": make(m.Service, name="Potholes", owner_department=pw),
        "payroll_fin": make(m.Service, name="Payroll", owner_department=fin),
        "payroll_pw": make(m.Service, name="Payroll", owner_department=pw),
        "erp": make(m.System, name="ERP", owner_department=fin),
        "gis": make(m.System, name="GIS", owner_department=pw),
        "sql": make(m.Component, name="SQL01", owner_department=fin),
        "site": make(m.Location, name="County DR Site"),
    }


def _problems(out) -> list[tuple]:
    return [(p.row, p.column, p.value, p.reason) for p in out.problems]


# --- impact analyses ---------------------------------------------------------------------

MOVED = "The status changes by its own actions on the record's page, not by an edit."

ANALYSES = (
    b"Service,Department,Status,Mission essential,Essential function,Finance - 24h,"
    b"public_safety_1h,Reputation 1 week,MTD (hours),RTO,RPO hrs,Peak periods,"
    b"Minimum staff,Reviewed on,Notes\n"
    b"Pay Employees,FIN,Submitted,yes,MEF,4,5,,72,24,4,Payday,3,3/14/2025,biweekly\n"
    b"Permits,,draft,no,Not essential,2,,1,,,,,,2025-01-02,\n"
)


def test_rows_create_one_analysis_per_service_and_read_the_grid(estate):
    out = run_import(SYSTEM, "impact_analysis", ANALYSES, "bia.csv")
    assert out.problems == []
    assert out.counts() == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    pay = c.ImpactAnalysis.objects.get(service=estate["pay"])
    assert pay.impacts == {"public_safety": {"1h": 5}, "finance": {"24h": 4}}
    assert (pay.status, pay.mission_essential, pay.essential_function) == (
        "submitted",
        True,
        "mef",
    )
    assert (pay.mtd_hours, pay.rto_hours, pay.rpo_hours) == (
        Decimal("72.00"),
        Decimal("24.00"),
        Decimal("4.00"),
    )
    assert (pay.peak_periods, pay.minimum_staff, pay.reviewed_on, pay.notes) == (
        "Payday",
        3,
        datetime.date(2025, 3, 14),
        "biweekly",
    )
    permits = c.ImpactAnalysis.objects.get(service=estate["permits"])
    assert permits.impacts == {"finance": {"24h": 2}, "reputation": {"1w": 1}}
    assert permits.owner_department == estate["permits"].owner_department  # from the service
    assert permits.source == "Import of bia.csv"


def test_importing_again_updates_the_same_analysis(estate):
    run_import(SYSTEM, "impact_analysis", ANALYSES, "bia.csv")
    again = run_import(SYSTEM, "impact_analysis", ANALYSES, "bia.csv")
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": 2, "rejected": 0}
    changed = ANALYSES.replace(b"Payday,3,", b"Payday and year end,5,")
    out = run_import(SYSTEM, "impact_analysis", changed, "bia.csv")
    assert out.counts() == {"created": 0, "updated": 1, "unchanged": 1, "rejected": 0}
    assert c.ImpactAnalysis.objects.count() == 2
    pay = c.ImpactAnalysis.objects.get(service=estate["pay"])
    assert (pay.peak_periods, pay.minimum_staff, pay.version) == ("Payday and year end", 5, 2)


def test_grid_cells_in_the_file_change_and_others_keep_their_rating(estate):
    make(
        c.ImpactAnalysis,
        service=estate["pay"],
        impacts={"finance": {"1h": 2, "24h": 4}, "legal": {"72h": 3}},
    )
    data = b"Service,Finance 24 hours,Finance 1 week,Legal and regulatory 72 hours\n"
    data += b"Pay Employees,,5,3\n"
    out = run_import(SYSTEM, "impact_analysis", data, "bia.csv")
    assert out.counts()["updated"] == 1
    pay = c.ImpactAnalysis.objects.get()
    assert pay.impacts == {"finance": {"1h": 2, "1w": 5}, "legal": {"72h": 3}}


def test_every_grid_heading_spelling_is_guessed():
    kind = kinds.get("impact_analysis")
    headers = [
        "Public safety 1 hour",
        "Finance - 24h",
        "finance_4h",
        "Legal/Regulatory (72 hrs)",
        "Service to residents 1 day",
        "Reputation @ 1 week",
        "impact_public_safety_1w",
    ]
    guessed = kind.guess(headers)
    assert guessed == {
        "Public safety 1 hour": "impacts.public_safety.1h",
        "Finance - 24h": "impacts.finance.24h",
        "finance_4h": "impacts.finance.4h",
        "Legal/Regulatory (72 hrs)": "impacts.legal.72h",
        "Service to residents 1 day": "impacts.residents.24h",
        "Reputation @ 1 week": "impacts.reputation.1w",
        "impact_public_safety_1w": "impacts.public_safety.1w",
    }
    assert len([n for n in kind.fields if n.startswith("impacts.")]) == 25
    assert kind.field("impacts.finance.24h") is None


def test_a_bad_rating_names_the_row_the_column_and_the_reason(estate):
    data = (
        b"Service,Finance 1 hour,Finance 4 hours,Reputation 1 week\n"
        b"Pay Employees,6,high,3 - moderate\n"
        b"Permits,2.5,0,\n"
        b"Potholes,1,severe,5.0\n"
    )
    out = run_import(SYSTEM, "impact_analysis", data, "bia.csv", valid_only=True)
    assert out.counts() == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 2}
    reason = (
        "is not a rating: write a whole number from 1 to 5, or leave the cell blank if it is "
        "not assessed"
    )
    assert _problems(out) == [
        (2, "Finance 1 hour", "6", f"'6' {reason}"),
        (2, "Finance 4 hours", "high", f"'high' {reason}"),
        (3, "Finance 1 hour", "2.5", f"'2.5' {reason}"),
        (3, "Finance 4 hours", "0", f"'0' {reason}"),
    ]
    kept = c.ImpactAnalysis.objects.get()
    assert kept.service == estate["potholes"]
    assert kept.impacts == {"finance": {"1h": 1, "4h": 5}, "reputation": {"1w": 5}}


def test_xlsx_ratings_and_dates_as_excel_stores_them(estate):
    data = xlsx(
        [
            ["Service", "Finance 1 hour", "Reviewed on", "Mission essential"],
            ["Pay Employees", 4.0, datetime.datetime(2025, 3, 14), True],
            ["Permits", 2, 45731, "N"],
        ]
    )
    out = run_import(SYSTEM, "impact_analysis", data, "bia.xlsx")
    assert out.problems == []
    pay = c.ImpactAnalysis.objects.get(service=estate["pay"])
    assert (pay.impacts, pay.reviewed_on, pay.mission_essential) == (
        {"finance": {"1h": 4}},
        datetime.date(2025, 3, 14),
        True,
    )
    permits = c.ImpactAnalysis.objects.get(service=estate["permits"])
    assert permits.reviewed_on == datetime.date(2025, 3, 15)  # Excel serial 45731


def test_rto_above_mtd_is_reported_on_the_row_in_the_models_words(estate):
    data = b"Service,MTD,RTO\nPay Employees,24,48\nPermits,24,8\n"
    out = run_import(SYSTEM, "impact_analysis", data, "bia.csv", valid_only=True)
    assert out.counts()["created"] == 1
    assert _problems(out) == [(2, "RTO", "48", RTO_MESSAGE)]
    # An update that raises the RTO alone, checked against the MTD already recorded.
    out = run_import(SYSTEM, "impact_analysis", b"Service,RTO\nPermits,48\n", "bia.csv")
    assert _problems(out) == [(2, "RTO", "48", RTO_MESSAGE)]
    assert not out.committed
    assert c.ImpactAnalysis.objects.get().rto_hours == Decimal("8.00")


def test_the_service_is_found_within_the_rows_department(estate):
    data = (
        b"Service,Department,Status\n"
        b"Payroll,FIN,draft\n"
        b"Payroll [PW],,draft\n"
        b"Payroll,,draft\n"
        b"Street Lights,PW,draft\n"
    )
    out = run_import(SYSTEM, "impact_analysis", data, "bia.csv", valid_only=True)
    assert out.counts()["created"] == 2
    assert _problems(out) == [
        (
            4,
            "Service",
            "Payroll",
            "Several services are called 'Payroll'; give the department's own one",
        ),
        (
            5,
            "Service",
            "Street Lights",
            "No service called 'Street Lights': add it first, or check the spelling",
        ),
    ]
    assert set(c.ImpactAnalysis.objects.values_list("service_id", flat=True)) == {
        estate["payroll_fin"].pk,
        estate["payroll_pw"].pk,
    }


def test_the_department_must_be_the_services(estate):
    out = run_import(SYSTEM, "impact_analysis", b"Service,Department\nPermits,FIN\n", "bia.csv")
    assert out.rejected == 1
    (problem,) = out.problems
    assert (problem.row, problem.column, problem.value) == (2, "Department", "FIN")
    assert problem.reason.startswith("This must be the department that owns “Permits”")


def test_the_external_id_matches_an_analysis(estate):
    make(c.ImpactAnalysis, service=estate["pay"], external_id="BIA-7", status="draft")
    data = b"External ID,Status,Vital records\nBIA-7,Draft,Timesheets\n"
    out = run_import(SYSTEM, "impact_analysis", data, "bia.csv")
    assert out.counts()["updated"] == 1
    pay = c.ImpactAnalysis.objects.get()
    assert (pay.status, pay.vital_records, pay.service) == ("draft", "Timesheets", estate["pay"])


def test_a_re_import_does_not_move_an_analysis_through_its_review(estate):
    """Submitting and approving are the review's steps: a row that would change the status
    of an analysis already held is refused, naming the status, even for IT."""
    make(c.ImpactAnalysis, service=estate["pay"], external_id="BIA-7", status="draft")
    data = b"External ID,Status,Vital records\nBIA-7,Approved,Timesheets\n"
    out = run_import(SYSTEM, "impact_analysis", data, "bia.csv", valid_only=True)
    assert [(p.row, p.column, p.reason) for p in out.problems] == [(2, "Status", MOVED)]
    pay = c.ImpactAnalysis.objects.get()
    assert (pay.status, pay.vital_records) == ("draft", "")


def test_two_rows_for_one_service_are_one_analysis(estate):
    data = b"Service,Status,Peak periods\nPermits,submitted,Spring\nPermits,submitted,Summer\n"
    out = run_import(SYSTEM, "impact_analysis", data, "bia.csv")
    assert out.counts() == {"created": 1, "updated": 1, "unchanged": 0, "rejected": 0}
    analysis = c.ImpactAnalysis.objects.get()
    assert (analysis.status, analysis.peak_periods) == ("submitted", "Summer")


# --- recovery capabilities ---------------------------------------------------------------

CAPABILITIES = (
    b"System,Component,Backup every (hours),Restore time,Last restore test,DR site,"
    b"Runbook,RTO,Notes\n"
    b"ERP,,24,8,3/14/2025,County DR Site,https://wiki.example/erp,12,nightly\n"
    b",SQL01,1,2,2025-02-01,,,,\n"
)


def test_capabilities_by_system_or_component(estate):
    out = run_import(SYSTEM, "recovery_capability", CAPABILITIES, "rc.csv")
    assert out.problems == []
    assert out.counts()["created"] == 2
    erp = c.RecoveryCapability.objects.get(system=estate["erp"])
    assert (erp.backup_frequency_hours, erp.restore_hours, erp.rto_hours) == (
        Decimal("24.00"),
        Decimal("8.00"),
        Decimal("12.00"),
    )
    assert (erp.last_restore_test, erp.recovery_site, erp.procedure_link) == (
        datetime.date(2025, 3, 14),
        estate["site"],
        "https://wiki.example/erp",
    )
    assert erp.owner_department == estate["erp"].owner_department
    sql = c.RecoveryCapability.objects.get(component=estate["sql"])
    assert (sql.last_restore_test, sql.recovery_site) == (datetime.date(2025, 2, 1), None)

    again = run_import(SYSTEM, "recovery_capability", CAPABILITIES, "rc.csv")
    assert again.counts()["unchanged"] == 2
    changed = CAPABILITIES.replace(b",SQL01,1,2,", b",SQL01,1,3,")
    out = run_import(SYSTEM, "recovery_capability", changed, "rc.csv")
    assert out.counts() == {"created": 0, "updated": 1, "unchanged": 1, "rejected": 0}
    assert c.RecoveryCapability.objects.count() == 2
    assert c.RecoveryCapability.objects.get(component=estate["sql"]).restore_hours == 3


def test_a_capability_names_one_system_or_one_component(estate):
    data = (
        b"System,Component,Restore time,Last restore test,DR site\n"
        b"ERP,SQL01,1,,\n"
        b",,1,,\n"
        b"GIS,,1,2/30/2025,\n"
        b"GIS,,1,,Moon Base\n"
    )
    out = run_import(SYSTEM, "recovery_capability", data, "rc.csv", valid_only=True)
    assert out.counts()["rejected"] == 4
    one = "Choose exactly one system or one component (not both, not neither)."
    assert _problems(out) == [
        (2, "System", "ERP", one),
        (3, "System", "", one),
        (
            4,
            "Last restore test",
            "2/30/2025",
            "'2/30/2025' is not a real date (day is out of range for month)",
        ),
        (
            5,
            "DR site",
            "Moon Base",
            "No location called 'Moon Base': add it first, or check the spelling",
        ),
    ]


def test_capabilities_from_a_workbook_with_excel_dates(estate):
    data = xlsx(
        [
            ["Application", "Server", "Restore hours", "Last restore test"],
            ["ERP", None, 4, datetime.datetime(2025, 1, 31)],
            [None, "SQL01", 2.5, 45731],
        ]
    )
    out = run_import(SYSTEM, "recovery_capability", data, "rc.xlsx")
    assert out.problems == []
    sql = c.RecoveryCapability.objects.get(component=estate["sql"])
    assert (sql.restore_hours, sql.last_restore_test) == (
        Decimal("2.50"),
        datetime.date(2025, 3, 15),
    )
    erp = c.RecoveryCapability.objects.get(system=estate["erp"])
    assert erp.last_restore_test == datetime.date(2025, 1, 31)


def test_a_file_without_a_system_or_component_column_is_refused_before_it_runs():
    kind = kinds.get("recovery_capability")
    assert engine.identity_problem(kind, {"Restore": "restore_hours"}) == (
        "No column is mapped to System or Component; choose which column holds it."
    )
    assert engine.identity_problem(kind, {"Server": "component"}) == ""
    analysis = kinds.get("impact_analysis")
    assert "No column is mapped to Service" in engine.identity_problem(analysis, {"X": "notes"})


# --- the page, the template, the export and the command ----------------------------------


def test_the_kinds_come_after_the_estate_everywhere(client_for):
    keys = [k.key for k in kinds.all_kinds()]
    at = keys.index("impact_analysis")
    assert keys[at : at + 2] == ["impact_analysis", "recovery_capability"]
    assert keys.index("dependency") < keys.index("impact_analysis")
    page = client_for("staff").get("/import/").content.decode()
    assert page.index("/import/export/dependency.csv") < page.index(
        "/import/export/impact_analysis.csv"
    )
    assert '<option value="recovery_capability">Recovery capabilities</option>' in page


def test_the_template_has_the_25_grid_columns(client_for):
    response = client_for("viewer").get("/import/template/impact_analysis.csv")
    header = b"".join(response.streaming_content).decode("utf-8-sig").strip().split(",")
    assert header[:6] == [
        "Service",
        "Department",
        "Status",
        "Mission essential",
        "Essential function",
        "Public safety 1 hour",
    ]
    assert header[29] == "Reputation 1 week"
    assert header[30:] == [
        "Maximum tolerable downtime (hours)",
        "Recovery time objective (hours)",
        "Recovery point objective (hours)",
        "Peak periods",
        "Minimum staff",
        "Alternate locations",
        "Manual workarounds",
        "Vital records",
        "Reviewed on",
        "External ID",
        "Notes",
    ]


@pytest.mark.parametrize("key", ["impact_analysis", "recovery_capability"])
def test_export_then_import_is_unchanged(key, estate, client_for, users):
    run_import(SYSTEM, "impact_analysis", ANALYSES, "bia.csv")
    make(
        c.ImpactAnalysis,
        service=estate["payroll_pw"],  # a name two departments share
        impacts={"residents": {"4h": 3}, "legal": {"1h": 1, "1w": 5}},
        alternate_locations="=Annex",  # kept safe from spreadsheets, read back the same
        external_id="BIA-9",
    )
    run_import(SYSTEM, "recovery_capability", CAPABILITIES, "rc.csv")
    response = client_for("staff").get(f"/import/export/{key}.csv")
    data = b"".join(response.streaming_content)
    count = kinds.get(key).model._default_manager.count()
    assert count >= 2
    out = run_import(users["staff"], key, data, f"{key}.csv")
    assert out.problems == []
    assert out.counts() == {"created": 0, "updated": 0, "unchanged": count, "rejected": 0}
    if key == "impact_analysis":
        text = data.decode("utf-8-sig")
        assert "Payroll [PW]" in text and "'=Annex" in text


def test_exported_rows_rebuild_the_same_records(estate, client_for):
    run_import(SYSTEM, "impact_analysis", ANALYSES, "bia.csv")
    before = list(c.ImpactAnalysis.objects.order_by("pk").values())
    data = b"".join(client_for("staff").get("/import/export/impact_analysis.csv").streaming_content)
    with context.acting("system"):
        for analysis in c.ImpactAnalysis.objects.all():
            from townhall.core import services

            services.delete(SYSTEM, analysis)
    out = run_import(SYSTEM, "impact_analysis", data, "export.csv")
    assert out.counts()["created"] == 2
    after = list(c.ImpactAnalysis.objects.order_by("pk").values())
    skip = {"id", "created_at", "updated_at", "source"}
    assert [{k: v for k, v in r.items() if k not in skip} for r in after] == [
        {k: v for k, v in r.items() if k not in skip} for r in before
    ]


def test_upload_preview_and_commit_through_the_pages(client_for, estate):
    client = client_for("staff")
    data = xlsx(
        [
            ["Service Name", "Finance - 24h", "MTD (hours)", "RTO"],
            ["Pay Employees", 4, 24, 48],
            ["Permits", 2, 24, 8],
        ]
    )
    client.post(
        "/import/", {"kind": "impact_analysis", "file": SimpleUploadedFile("bia.xlsx", data)}
    )
    run = ImportRun.objects.get()
    page = client.get(f"/import/{run.pk}/columns/")
    assert "2 rows of impact analyses" in page.content.decode()
    form = page.context["form"]
    post = {f"col_{i}": form[f"col_{i}"].initial or "" for i in range(len(form.headers))}
    assert post == {
        "col_0": "service",
        "col_1": "impacts.finance.24h",
        "col_2": "mtd_hours",
        "col_3": "rto_hours",
    }
    client.post(f"/import/{run.pk}/columns/", post)
    preview = client.get(f"/import/{run.pk}/").content.decode()
    assert "cannot be longer than the maximum tolerable downtime" in preview
    client.post(f"/import/{run.pk}/", {"valid_only": "on"})
    run.refresh_from_db()
    assert run.status == "committed" and run.counts["created"] == 1
    assert c.ImpactAnalysis.objects.get().service == estate["permits"]
    assert "Impact analyses" in client.get("/import/").content.decode()


def test_a_large_file_of_analyses_is_imported_in_the_background(client_for, departments, settings):
    settings.TOWNHALL_IMPORT_INLINE_ROWS = 20
    _services(30)
    client = client_for("staff")
    upload = SimpleUploadedFile("bia.csv", _analyses(0, 30))
    client.post("/import/", {"kind": "impact_analysis", "file": upload})
    run = ImportRun.objects.get()
    form = client.get(f"/import/{run.pk}/columns/").context["form"]
    client.post(
        f"/import/{run.pk}/columns/",
        {f"col_{i}": form[f"col_{i}"].initial or "" for i in range(len(form.headers))},
    )
    client.post(f"/import/{run.pk}/", {})
    run.refresh_from_db()
    assert run.job is not None and "30 created" in run.job.message
    assert run.status == "committed" and c.ImpactAnalysis.objects.count() == 30


def test_the_command_imports_both_kinds(estate, tmp_path):
    bia, rc = tmp_path / "bia.csv", tmp_path / "rc.csv"
    bia.write_bytes(ANALYSES)
    rc.write_bytes(CAPABILITIES)
    out = io.StringIO()
    call_command("import", "impact_analysis", str(bia), stdout=out)
    call_command("import", "recovery_capability", str(rc), stdout=out)
    assert out.getvalue().splitlines() == [
        "Imported 2 row(s): 2 created, 0 updated, 0 unchanged, 0 rejected.",
        "Imported 2 row(s): 2 created, 0 updated, 0 unchanged, 0 rejected.",
    ]


# --- liaisons ----------------------------------------------------------------------------


def test_a_liaison_imports_only_their_departments_analyses(users, estate):
    make(c.ImpactAnalysis, service=estate["pay"], peak_periods="Payday")
    data = (
        b"Service,Department,Peak periods\n"
        b"Permits,,Spring\n"
        b"Pay Employees,,Any time\n"
        b"Payroll [FIN],PW,Any time\n"
        b"Potholes,PW,Winter\n"
    )
    out = run_import(users["liaison"], "impact_analysis", data, "bia.csv", valid_only=True)
    assert out.counts() == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 2}
    reason = (
        "Department liaisons can import only rows for their own department (Public Works); "
        "this row is for Finance."
    )
    assert _problems(out) == [
        (3, "Service", "Pay Employees", reason),
        (4, "Service", "Payroll [FIN]", reason),
    ]
    assert c.ImpactAnalysis.objects.get(service=estate["pay"]).peak_periods == "Payday"
    mine = c.ImpactAnalysis.objects.filter(owner_department=users["liaison"].department)
    assert sorted(mine.values_list("peak_periods", flat=True)) == ["Spring", "Winter"]

    everything = run_import(users["liaison"], "impact_analysis", data, "bia.csv")
    assert not everything.committed and everything.rejected == 2


def test_a_liaison_cannot_approve_by_import(users, estate):
    """Approval is IT's: a new row marked approved by a liaison is refused; an existing
    analysis is approved by no import at all (it is the review's step)."""
    make(c.ImpactAnalysis, service=estate["permits"], status="submitted")
    data = b"Service,Status\nPermits,Approved\nPotholes,Approved\nPotholes,draft\n"
    out = run_import(users["liaison"], "impact_analysis", data, "bia.csv", valid_only=True)
    reason = "Only IT staff approve impact analyses; submit it for review instead."
    assert [(p.row, p.reason) for p in out.problems] == [(2, MOVED), (3, reason)]
    assert out.counts()["created"] == 1
    assert c.ImpactAnalysis.objects.get(service=estate["permits"]).status == "submitted"
    assert c.ImpactAnalysis.objects.get(service=estate["potholes"]).status == "draft"
    new = b"Service,Status\nPay Employees,Approved\n"
    staff = run_import(users["staff"], "impact_analysis", new, "bia.csv")
    assert staff.committed and staff.rejected == 0
    assert c.ImpactAnalysis.objects.get(service=estate["pay"]).status == "approved"


def test_a_liaison_cannot_reach_another_departments_analysis_by_external_id(users, estate):
    make(c.ImpactAnalysis, service=estate["pay"], external_id="BIA-1")
    data = b"External ID,Status\nBIA-1,Approved\n"
    out = run_import(users["liaison"], "impact_analysis", data, "bia.csv")
    assert out.rejected == 1
    assert "this row is for Finance" in out.problems[0].reason
    assert c.ImpactAnalysis.objects.get().status == "draft"


def test_a_liaison_imports_only_their_departments_capabilities(users, estate):
    out = run_import(
        users["liaison"],
        "recovery_capability",
        CAPABILITIES + b"GIS,,,4,,,,,\n,,,4,,,,,\n",
        "rc.csv",
        valid_only=True,
    )
    assert out.counts()["created"] == 1 and out.counts()["rejected"] == 3
    reasons = {(p.row, p.column, p.value): p.reason for p in out.problems}
    assert list(reasons) == [(2, "System", "ERP"), (3, "Component", "SQL01"), (5, "System", "")]
    assert reasons[(3, "Component", "SQL01")].endswith("this row is for Finance.")
    assert reasons[(5, "System", "")].startswith("Choose exactly one system or one component")
    assert c.RecoveryCapability.objects.get().system == estate["gis"]
    data = b"System,Component,Restore time\n,,4\nERP,,4\n"
    out = run_import(users["viewer"], "recovery_capability", data, "rc.csv")
    assert out.rejected == 2
    assert {p.reason for p in out.problems} == {"You may not add recovery capabilities."}


# --- large files -------------------------------------------------------------------------


def _services(count: int, dept: str = "PW") -> None:
    names = "".join(f"Service {i:05d},{dept}\n" for i in range(count))
    out = run_import(SYSTEM, "service", f"Name,Department\n{names}".encode(), "s.csv")
    assert out.counts()["created"] == count


def _analyses(start: int, count: int) -> bytes:
    kind = kinds.get("impact_analysis")
    header = ",".join(kind.headings().values())
    ratings = ",".join(str(1 + i % 5) for i in range(25))
    body = "".join(
        f"Service {i:05d},,Draft,no,Not essential,{ratings},72,24,4,,2,,,,2025-03-14,,\n"
        for i in range(start, start + count)
    )
    return f"{header}\n{body}".encode()


def _queries(user, key: str, data: bytes, expect: dict) -> int:
    with CaptureQueriesContext(connection) as ctx:
        out = run_import(user, key, data, "f.csv", valid_only=True)
    assert {k: v for k, v in out.counts().items() if k in expect} == expect, out.problems[:3]
    return len(ctx.captured_queries)


def test_matching_costs_no_query_per_row(departments):
    _services(100)
    run_import(SYSTEM, "impact_analysis", _analyses(99, 1), "warm.csv")  # caches filled
    small, large = _analyses(0, 10), _analyses(10, 40)
    assert _queries(SYSTEM, "impact_analysis", small, {"created": 10}) == _queries(
        SYSTEM, "impact_analysis", large, {"created": 40}
    )
    assert _queries(SYSTEM, "impact_analysis", small, {"unchanged": 10}) == _queries(
        SYSTEM, "impact_analysis", large, {"unchanged": 40}
    )


def test_a_liaisons_refused_rows_cost_no_query_per_row(users, departments):
    _services(50, "FIN")

    def refused(count: int) -> int:
        data = _analyses(0, count)
        return _queries(users["liaison"], "impact_analysis", data, {"rejected": count})

    assert refused(10) == refused(40)


def test_capabilities_cost_no_query_per_row(departments):
    rows = "".join(f"App {i:03d},PW\n" for i in range(60))
    run_import(SYSTEM, "system", f"Name,Department\n{rows}".encode(), "s.csv")

    def data(start: int, count: int) -> bytes:
        body = "".join(f"App {i:03d},12,4,3/14/2025\n" for i in range(start, start + count))
        return f"System,Backup every (hours),Restore time,Last restore test\n{body}".encode()

    run_import(SYSTEM, "recovery_capability", data(59, 1), "warm.csv")  # caches filled
    sizes = ((0, 10), (10, 40))
    created = [_queries(SYSTEM, "recovery_capability", data(*n), {"created": n[1]}) for n in sizes]
    same = [_queries(SYSTEM, "recovery_capability", data(*n), {"unchanged": n[1]}) for n in sizes]
    assert created[0] == created[1] and same[0] == same[1]


def test_essential_functions_and_statuses_as_planners_write_them(estate):
    data = (
        b"Service,Department,Status,Essential function\n"
        b"Pay Employees,FIN,Signed off,Primary MEF\n"
        b"Permits,PW,Under review,Mission-essential function\n"
        b"Potholes,PW,In progress,Non-essential\n"
    )
    out = run_import(SYSTEM, "impact_analysis", data, "bia.csv")
    assert out.problems == []
    found = {
        a.service.name: (a.status, a.essential_function)
        for a in c.ImpactAnalysis.objects.select_related("service")
    }
    assert found == {
        "Pay Employees": ("approved", "pmef"),
        "Permits": ("submitted", "mef"),
        "Potholes": ("draft", "not_essential"),
    }
