"""CVE JSON 5 records on the database: the importer (single record, bundle, zip, malformed),
each exposure's installed-version verdict, and the counts that take only affected ones."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from townhall.core import context, services
from townhall.cyber import cve, exposure
from townhall.cyber import models as m
from townhall.cyber.kev import FeedError
from townhall.estate import models as estate

FILES = Path(__file__).parent / "files"
V = m.Exposure.Version


def read(name: str) -> bytes:
    return (FILES / name).read_bytes()


def create(model, **values):
    return services.create(context.SYSTEM, model, values)


def zipped(**members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, body in members.items():
            archive.writestr(name.replace("__", "/"), body)
    return buffer.getvalue()


@pytest.fixture
def catalog(db) -> None:
    exposure.import_kev(context.SYSTEM, read("kev_small.json"), "kev_small.json")


@pytest.fixture
def firewalls(catalog) -> dict:
    fortinet = create(estate.Vendor, name="Fortinet, Inc.")
    made = {}
    for name, version in (("fw-old", "7.2.5"), ("fw-new", "7.2.7"), ("fw-blank", "")):
        made[name] = create(
            estate.System, name=name, vendor=fortinet, product="FortiOS", product_version=version
        )
    return made


def verdicts() -> dict[str, tuple[str, str]]:
    rows = m.Exposure.objects.filter(vulnerability__cve_id="CVE-2024-21762").select_related(
        "system"
    )
    return {e.system.name: (e.version_status, e.version_reason) for e in rows}


# --- the reader ----------------------------------------------------------------------------


def test_single_record_reads_cna_and_adp():
    parsed = cve.parse(read("cve_fortios.json"), "cve_fortios.json")
    record = parsed.records["CVE-2024-21762"]
    assert [(a.source, a.product, a.default_status) for a in record.affected] == [
        ("CNA", "FortiOS", "unaffected"),
        ("CISA-ADP", "fortios", "unknown"),
    ]
    assert record.affected[0].versions[0].less_than_or_equal == "7.4.2"
    assert cve.from_json(cve.to_json(record.affected)) == record.affected


def test_bundle_skips_rejected_records():
    parsed = cve.parse(read("cve_bundle.json"), "cve_bundle.json")
    assert sorted(parsed.records) == ["CVE-2023-36884", "CVE-2024-3400"]
    assert parsed.rejected == 1


def test_zip_as_the_cve_list_publishes_it():
    body = zipped(
        **{
            "cves__2024__21xxx__CVE-2024-21762.json": read("cve_fortios.json"),
            "cves__delta.json": b'{"new": []}',
            "cves__README.md": b"not a record",
        }
    )
    inner = zipped(**{"CVE-2024-3400.json": read("cve_bundle.json")})
    outer = zipped(**{"cves.zip": inner, "CVE-2024-21762.json": read("cve_fortios.json")})
    assert sorted(cve.parse(body, "cves.zip").records) == ["CVE-2024-21762"]
    assert sorted(cve.parse(outer, "all.zip").records) == [
        "CVE-2023-36884",
        "CVE-2024-21762",
        "CVE-2024-3400",
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            read("cve_malformed.json"),
            "cve_malformed.json (CVE-2024-21762), CNA affected item 1, "
            "version entry 1: “status” is 'vulnerable'",
        ),
        (b"{not json", "x.json: not JSON"),
        (b'{"cveMetadata": {"cveId": "CVE-24-1"}}', "x.json: “cveMetadata.cveId” is 'CVE-24-1'"),
        (b'[{"hello": 1}]', "x.json, record 1: not a CVE JSON 5 record"),
        (b"[]", "x.json: holds no CVE records"),
        (b"PK\x03\x04broken", "x.json: not a readable zip file"),
    ],
)
def test_malformed_files_name_the_record_and_reason(body, message):
    name = "cve_malformed.json" if body == read("cve_malformed.json") else "x.json"
    with pytest.raises(FeedError) as caught:
        cve.parse(body, name)
    assert message in str(caught.value)


# --- the importer and the verdicts -----------------------------------------------------------


def test_import_stores_catalog_cves_and_classifies_exposures(firewalls):
    exposure.refresh_exposures(context.SYSTEM)
    assert {k: v[0] for k, v in verdicts().items()} == dict.fromkeys(
        ["fw-old", "fw-new", "fw-blank"], V.UNKNOWN
    )
    assert verdicts()["fw-old"][1] == "installed 7.2.5; no affected-version data for this CVE"
    report = exposure.import_cve(context.SYSTEM, read("cve_fortios.json"), "cve_fortios.json")
    assert (report.entries, report.created, report.feed_import.kind) == (1, 1, "cve")
    exposure.refresh_exposures(context.SYSTEM)
    assert verdicts() == {
        "fw-old": (V.AFFECTED, "installed 7.2.5; affected from 7.2.0 below 7.2.7"),
        "fw-new": (
            V.NOT_AFFECTED,
            "installed 7.2.7; not among the affected versions (affected from 7.4.0 up to "
            "7.4.2; affected from 7.2.0 below 7.2.7; affected from 6.0.0 through 6.x)",
        ),
        "fw-blank": (V.UNKNOWN, "no installed version recorded"),
    }
    again = exposure.import_cve(context.SYSTEM, read("cve_fortios.json"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_an_upgrade_is_classified_again_as_its_write_commits(
    firewalls, django_capture_on_commit_callbacks
):
    from townhall.jobs.models import Job

    exposure.import_cve(context.SYSTEM, read("cve_fortios.json"), "cve_fortios.json")
    exposure.refresh_exposures(context.SYSTEM)
    assert verdicts()["fw-old"][0] == V.AFFECTED
    assert not exposure.stale_versions().exists()
    # fw-old is upgraded past the affected range, fw-new downgraded into it, in one write.
    old, new = (estate.System.objects.get(name=n) for n in ("fw-old", "fw-new"))
    # What the set-up's writes left waiting for a commit that never comes inside a test.
    connection.run_on_commit.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.update_rows(
            context.SYSTEM,
            [(old, {"product_version": "7.2.8"}), (new, {"product_version": "7.2.6"})],
        )
    assert len(callbacks) == 1  # one job asked for, however many rows the write changed
    job = Job.objects.get(kind=exposure.RECLASSIFY_JOB)
    assert job.status == Job.Status.DONE and job.message.startswith("2 verdicts")
    found = verdicts()
    assert found["fw-old"][0] == V.NOT_AFFECTED and found["fw-old"][1].startswith("installed 7.2.8")
    assert found["fw-new"] == (V.AFFECTED, "installed 7.2.6; affected from 7.2.0 below 7.2.7")
    assert not exposure.stale_versions().exists()
    # A write that changes no version asks for nothing.
    connection.run_on_commit.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.update(context.SYSTEM, old, {"purpose": "Edge"}, version=None)
    assert Job.objects.filter(kind=exposure.RECLASSIFY_JOB).count() == 1


def test_an_item_no_longer_matched_reads_version_unknown_until_matching(firewalls):
    exposure.import_cve(context.SYSTEM, read("cve_fortios.json"), "cve_fortios.json")
    exposure.refresh_exposures(context.SYSTEM)
    old = estate.System.objects.get(name="fw-old")
    services.update(
        context.SYSTEM, old, {"product": "Other OS", "product_version": "1.0"}, version=None
    )
    assert exposure.reclassify(context.SYSTEM) == 1
    status, reason = verdicts()["fw-old"]
    assert status == V.UNKNOWN and "until matching runs again" in reason
    assert not exposure.stale_versions().exists()


def test_bundle_import_counts_records_outside_the_catalog(catalog):
    extra = read("cve_bundle.json").replace(b"CVE-2023-36884", b"CVE-2031-0042")
    report = exposure.import_cve(context.SYSTEM, extra, "bundle.json")
    assert report.created == 1
    assert list(m.CveRecord.objects.values_list("cve_id", flat=True)) == ["CVE-2024-3400"]
    assert "1 record(s) are of CVEs not in the known-exploited catalog" in report.problems[0]


def test_malformed_bundle_writes_nothing(catalog):
    bad = read("cve_bundle.json").replace(b'"status": "affected"', b'"status": 3')
    with pytest.raises(FeedError, match="record 1 .CVE-2024-3400., CNA affected item 1"):
        exposure.import_cve(context.SYSTEM, bad, "bundle.json")
    assert not m.CveRecord.objects.exists()
    assert not m.FeedImport.objects.filter(kind="cve").exists()


def test_summary_counts_only_affected_and_tells_unknown(firewalls, users):
    exposure.import_cve(context.SYSTEM, read("cve_fortios.json"))
    exposure.refresh_exposures(context.SYSTEM)
    summary = exposure._summary(users["staff"], exposure.timezone.localdate())
    assert (summary["open_kev"], summary["version_unknown"], summary["version_not_affected"]) == (
        1,
        1,
        1,
    )
    assert summary["systems"] == 1
    assert summary["top"][0]["items"] == 1


def test_brief_and_list_say_how_many_are_unknown(firewalls, client_for):
    exposure.import_cve(context.SYSTEM, read("cve_fortios.json"))
    exposure.refresh_exposures(context.SYSTEM)
    client = client_for("staff")
    brief = client.get("/cyber/brief.pdf?format=html").content.decode()
    assert "1 known-exploited weakness open on our systems" in brief
    assert "1 more match with the installed version unknown" in brief
    page = client.get("/cyber/exposure/?version=not_affected").content.decode()
    assert "fw-new" in page and "fw-old" not in page
    assert "installed 7.2.7" in page


def test_upload_runs_as_a_job_and_command_imports(firewalls, client_for, capsys):
    client = client_for("staff")
    upload = SimpleUploadedFile("cve_fortios.json", read("cve_fortios.json"))
    response = client.post("/cyber/exposure/feeds/", {"kind": "cve", "file": upload})
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    assert verdicts()["fw-old"][0] == V.AFFECTED  # the job matched again after storing
    call_command("feeds", "import-cve", str(FILES / "cve_bundle.json"))
    assert set(m.CveRecord.objects.values_list("cve_id", flat=True)) == {
        "CVE-2024-21762",
        "CVE-2024-3400",
        "CVE-2023-36884",
    }
    with pytest.raises(CommandError, match="“status” is 'vulnerable'"):
        call_command("feeds", "import-cve", str(FILES / "cve_malformed.json"))


def test_demo_records_give_all_three_verdicts(db):
    demo = Path(__file__).parent.parent / "demo_feeds"
    exposure.import_kev(context.SYSTEM, (demo / "kev-demo.json").read_bytes())
    report = exposure.import_cve(context.SYSTEM, (demo / "cve-demo.json").read_bytes())
    assert report.created == 4
    for name, vendor, product, version in (
        ("dc-1", "Basalt", "Basalt Server OS", "2016"),
        ("dc-2", "Basalt", "Basalt Server OS", "2022"),
        ("web-1", "Fernix", "Fernix Linux", "9"),
    ):
        maker = estate.Vendor.objects.filter(name=vendor).first()
        maker = maker or create(estate.Vendor, name=vendor)
        create(estate.System, name=name, vendor=maker, product=product, product_version=version)
    exposure.refresh_exposures(context.SYSTEM)
    found = {
        (e.system.name, e.vulnerability.cve_id): e.version_status
        for e in m.Exposure.objects.select_related("system", "vulnerability")
    }
    assert found[("dc-1", "CVE-2026-990001")] == V.AFFECTED
    assert found[("dc-2", "CVE-2026-990001")] == V.NOT_AFFECTED
    assert found[("web-1", "CVE-2026-990003")] == V.UNKNOWN
