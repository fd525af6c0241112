"""Exposure on the database: importing the feeds (upsert, counts, nothing half-written),
matching the estate again (new, kept, gone, reopened), the summary, the `feeds` command,
downloading, and the pages for each role."""

import datetime
import http.server
import io
import threading
import types
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from townhall.audit.models import AuditEntry
from townhall.core import context, services
from townhall.cyber import exposure
from townhall.cyber import models as m
from townhall.cyber.kev import FeedError
from townhall.estate import models as estate
from townhall.jobs import runner
from townhall.jobs.models import Job

FILES = Path(__file__).parent / "files"
DEMO = Path(__file__).parent.parent / "demo_feeds"
D = datetime.date
TODAY = D(2026, 6, 1)
S = m.Exposure.Status


@pytest.fixture(autouse=True)
def _forget_unmatched():
    """The "not matched" list is cached between requests; each test starts without it."""
    cache.delete(exposure._UNMATCHED_CACHE)
    yield
    cache.delete(exposure._UNMATCHED_CACHE)


def read(name: str) -> bytes:
    return (FILES / name).read_bytes()


def create(model, **values):
    return services.create(context.SYSTEM, model, values)


@pytest.fixture
def items(departments) -> dict:
    """A small estate: a firewall system on FortiOS, a retired one, a Windows server, a
    D-Link router and a device no feed knows."""
    fortinet = create(estate.Vendor, name="Fortinet, Inc.")
    pw = departments["PW"]
    return {
        "firewall": create(
            estate.System,
            name="Perimeter firewall",
            vendor=fortinet,
            product="FortiOS",
            product_version="7.2.5",
            owner_department=pw,
        ),
        "old": create(
            estate.System,
            name="Old firewall",
            vendor=fortinet,
            product="FortiOS",
            product_version="6.4.1",
            lifecycle="retired",
        ),
        "server": create(
            estate.Component,
            name="jcsrv-001",
            manufacturer="Dell Inc.",
            os_firmware="Windows Server",
            os_version="2012 R2",
        ),
        "router": create(
            estate.Component, name="branch-router", manufacturer="D-Link", model_number="DIR-859"
        ),
        "sensor": create(
            estate.Component, name="sensor-1", manufacturer="Quillfeather", model_number="Q-100"
        ),
    }


@pytest.fixture
def feeds(db) -> None:
    exposure.import_kev(context.SYSTEM, read("kev_small.json"), "kev_small.json")
    exposure.import_eol(context.SYSTEM, read("eol_windows_server_v0.json"), "windows-server")
    exposure.import_eol(context.SYSTEM, read("eol_fortios_v1.json"))


def found(status: str | None = None) -> set[tuple[str, str, str]]:
    """(item, vulnerability or release, status) of every exposure."""
    rows = m.Exposure.objects.select_related("system", "component", "vulnerability", "release")
    result = set()
    for e in rows:
        target = e.vulnerability.cve_id if e.vulnerability else str(e.release)
        if status is None or e.status == status:
            result.add((str(e.system or e.component), target, e.status))
    return result


# --- importing ---------------------------------------------------------------------------


def test_import_kev_adds_entries_with_one_audit_entry_each(db):
    report = exposure.import_kev(context.SYSTEM, read("kev_small.json"), "kev_small.json")
    assert (report.entries, report.created, report.updated, report.unchanged) == (5, 5, 0, 0)
    forti = m.KnownVulnerability.objects.get(cve_id="CVE-2024-21762")
    assert (forti.vendor_project, forti.product, forti.ransomware) == ("Fortinet", "FortiOS", True)
    assert forti.due_date == D(2024, 2, 16) and forti.cwes == ["CWE-787"]
    assert forti.required_action == "Apply the vendor's updates or stop using the product."
    feed = report.feed_import
    assert (feed.kind, feed.feed_version, feed.entries, feed.created) == ("kev", "2026.01.15", 5, 5)
    assert feed.file_name == "kev_small.json"
    creates = AuditEntry.objects.filter(content_type__model="knownvulnerability", action="create")
    assert sorted(creates.values_list("object_repr", flat=True)) == sorted(
        m.KnownVulnerability.objects.values_list("cve_id", flat=True)
    )
    assert creates.get(object_repr="CVE-2024-21762").after["product"] == "FortiOS"


def test_reimport_changes_nothing_and_updates_what_changed(db):
    exposure.import_kev(context.SYSTEM, read("kev_small.json"))
    entries = AuditEntry.objects.filter(content_type__model="knownvulnerability").count()
    again = exposure.import_kev(context.SYSTEM, read("kev_small.json"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert AuditEntry.objects.filter(content_type__model="knownvulnerability").count() == entries
    updated = exposure.import_kev(context.SYSTEM, read("kev_updated.json"))
    assert (updated.entries, updated.created, updated.updated, updated.unchanged) == (2, 1, 1, 0)
    forti = m.KnownVulnerability.objects.get(cve_id="CVE-2024-21762")
    assert forti.due_date == D(2024, 3, 1) and forti.version == 2
    # Entries no longer in the catalog stay: exposures may point at them.
    assert m.KnownVulnerability.objects.count() == 6
    assert m.FeedImport.objects.count() == 3


@pytest.mark.parametrize("name", ["kev_not_json.json", "kev_wrong_shape.json"])
def test_unreadable_kev_file_changes_nothing(db, name):
    with pytest.raises(FeedError):
        exposure.import_kev(context.SYSTEM, read(name))
    assert not m.KnownVulnerability.objects.exists()
    assert not m.FeedImport.objects.exists()


def test_messy_file_imports_the_good_entries_and_records_the_problems(db):
    report = exposure.import_kev(context.SYSTEM, read("kev_messy.json"))
    assert report.created == 4
    assert len(report.problems) == 9
    notes = report.feed_import.notes
    assert "Entry 4, field “cveID”: it is missing. The entry was left out." in notes
    assert m.KnownVulnerability.objects.get(cve_id="CVE-2022-0002").due_date is None


def test_import_eol(db):
    report = exposure.import_eol(
        context.SYSTEM, read("eol_windows_server_v0.json"), "windows-server"
    )
    assert (report.entries, report.created, report.products) == (5, 5, ["windows-server"])
    r2012 = m.ProductRelease.objects.get(product="windows-server", cycle="2012-r2")
    assert (r2012.end_of_life, r2012.end_of_life_passed) == (D(2023, 10, 10), None)
    assert r2012.support_ends is None and r2012.lts
    v1 = exposure.import_eol(context.SYSTEM, read("eol_fortios_v1.json"))
    assert v1.created == 3 and v1.feed_import.feed_version == "fortios"
    r64 = m.ProductRelease.objects.get(product="fortios", cycle="6.4")
    assert (r64.label, r64.end_of_life, r64.end_of_life_passed) == ("FortiOS", None, True)
    again = exposure.import_eol(context.SYSTEM, read("eol_fortios_v1.json"), "fortios")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    several = exposure.import_eol(context.SYSTEM, read("eol_several.json"))
    assert several.products == ["panos", "ubuntu"] and several.created == 5
    with pytest.raises(FeedError, match="does not say which product"):
        exposure.import_eol(context.SYSTEM, read("eol_windows_server_v0.json"))
    assert m.ProductRelease.objects.count() == 13


def test_only_it_staff_import(users):
    with pytest.raises(PermissionDenied):
        exposure.import_kev(users["viewer"], read("kev_small.json"))
    with pytest.raises(PermissionDenied):
        exposure.import_eol(users["liaison"], read("eol_fortios_v1.json"))
    with pytest.raises(PermissionDenied):
        exposure.refresh_exposures(users["board"])
    assert not m.KnownVulnerability.objects.exists()


# --- matching the estate -----------------------------------------------------------------


def test_refresh_creates_the_exposures(items, feeds):
    report = exposure.refresh_exposures(context.SYSTEM, today=TODAY)
    assert found() == {
        ("Perimeter firewall", "CVE-2024-21762", "open"),  # FortiOS, ransomware
        ("Perimeter firewall", "fortios 7.2", "open"),  # ends 2026-09-30, within 180 days
        ("jcsrv-001", "windows-server 2012-r2", "open"),  # ended 2023-10-10
        ("branch-router", "CVE-2019-17621", "open"),  # named in a "Multiple Routers" entry
    }
    assert (report.created, report.gone, report.reopened, report.unchanged) == (4, 0, 0, 0)
    forti = m.Exposure.objects.get(vulnerability__cve_id="CVE-2024-21762")
    assert forti.ransomware and forti.due_date == D(2024, 2, 16) and forti.first_seen == TODAY
    assert forti.matched_on == (
        "vendor “Fortinet, Inc.” + product “FortiOS” matches KEV “Fortinet FortiOS”"
    )
    eol = m.Exposure.objects.get(component=items["server"])
    assert eol.kind == "eol" and eol.due_date == D(2023, 10, 10) and not eol.ransomware
    # One audit entry per new exposure, as the write path writes.
    assert AuditEntry.objects.filter(content_type__model="exposure", action="create").count() == 4
    # Items no feed knows are listed, with why.
    groups = {(u.vendor, u.product): u for u in exposure.unmatched(context.SYSTEM)}
    assert groups[("Quillfeather", "Q")].reason == "unknown"
    assert groups[("Quillfeather", "Q")].versions == ("100",)
    assert report.unmatched == len(groups)


def test_refresh_keeps_decisions_and_marks_what_no_longer_matches(items, feeds):
    exposure.refresh_exposures(context.SYSTEM, today=TODAY)
    router = m.Exposure.objects.get(component=items["router"])
    services.update(
        context.SYSTEM,
        router,
        {"status": S.NOT_AFFECTED, "notes": "Firmware replaced."},
        version=router.version,
    )
    updates = AuditEntry.objects.filter(content_type__model="exposure", action="update").count()
    again = exposure.refresh_exposures(context.SYSTEM, today=TODAY)
    assert (again.created, again.gone, again.reopened, again.changed, again.unchanged) == (
        0,
        0,
        0,
        0,
        4,
    )
    assert AuditEntry.objects.filter(content_type__model="exposure", action="update").count() == (
        updates
    )
    router.refresh_from_db()
    assert (router.status, router.notes) == (S.NOT_AFFECTED, "Firmware replaced.")

    # The server is upgraded and the router retired: the open one goes, the decided one stays.
    server = items["server"]
    services.update(context.SYSTEM, server, {"os_version": "2019"}, version=None)
    services.update(context.SYSTEM, items["router"], {"status": "retired"}, version=None)
    report = exposure.refresh_exposures(context.SYSTEM, today=TODAY)
    assert report.gone == 1
    assert ("jcsrv-001", "windows-server 2012-r2", "gone") in found()
    router.refresh_from_db()
    assert router.status == S.NOT_AFFECTED

    # Back to 2012 R2: the gone exposure reopens (the same row, its history kept).
    gone = m.Exposure.objects.get(component=server)
    services.update(context.SYSTEM, server, {"os_version": "2012 R2"}, version=None)
    report = exposure.refresh_exposures(context.SYSTEM, today=TODAY)
    assert (report.reopened, report.created) == (1, 0)
    gone.refresh_from_db()
    assert gone.status == S.OPEN
    # Matching's moves name themselves in the row's history.
    named = [
        e.after.get("transition")
        for e in AuditEntry.objects.filter(content_type__model="exposure", object_id=str(gone.pk))
        .filter(action="update")
        .order_by("pk")
    ]
    assert named == [
        "status: open → gone (no longer matched)",
        "status: gone → open (matched again)",
    ]


def test_a_decision_made_while_matching_runs_stands_and_the_refresh_goes_on(items, feeds):
    exposure.refresh_exposures(context.SYSTEM, today=TODAY)
    row = m.Exposure.objects.filter(status=S.OPEN).first()
    as_read = m.Exposure.objects.get(pk=row.pk)  # what matching read, before the decision
    services.update(context.SYSTEM, row, {"status": S.NOT_AFFECTED}, version=row.version)
    exposure._save_change(context.SYSTEM, as_read, {"status": S.GONE})
    row.refresh_from_db()
    assert row.status == S.NOT_AFFECTED


def test_changed_feed_values_follow_into_exposures(items, feeds):
    exposure.refresh_exposures(context.SYSTEM, today=TODAY)
    exposure.import_kev(context.SYSTEM, read("kev_updated.json"))
    report = exposure.refresh_exposures(context.SYSTEM, today=TODAY)
    assert report.changed == 1
    forti = m.Exposure.objects.get(vulnerability__cve_id="CVE-2024-21762")
    assert forti.due_date == D(2024, 3, 1)


def test_an_alias_brings_a_match(items, feeds):
    exposure.refresh_exposures(context.SYSTEM, today=TODAY)
    assert not m.Exposure.objects.filter(vulnerability__cve_id="CVE-2023-36884").exists()
    create(m.ProductAlias, kind="product", estate_name="Windows Server", feed_vendor="Microsoft")
    report = exposure.refresh_exposures(context.SYSTEM, today=TODAY)
    assert report.created == 1
    windows = m.Exposure.objects.get(vulnerability__cve_id="CVE-2023-36884")
    assert windows.component == items["server"]
    assert "via the alias table → vendor “Microsoft”" in windows.matched_on


def test_summary(items, feeds, users):
    # The CVE record puts the firewall's 7.2.5 among the affected versions: it counts.
    exposure.import_cve(context.SYSTEM, read("cve_fortios.json"))
    exposure.refresh_exposures(context.SYSTEM, today=TODAY)
    router = m.Exposure.objects.get(component=items["router"])
    services.update(context.SYSTEM, router, {"status": S.MITIGATED}, version=None)
    summary = exposure.exposure_summary(users["viewer"], today=TODAY)
    expected = {
        "open": 3,
        "open_kev": 1,
        "ransomware": 1,
        "overdue": 1,
        "open_eol": 2,
        "eol_ended": 1,
        "eol_ending": 1,
        "systems": 1,
        "components": 1,
        "vulnerabilities": 1,
        "version_unknown": 0,
    }
    assert {k: summary[k] for k in expected} == expected
    assert summary["by_status"]["mitigated"] == 1 and summary["by_status"]["open"] == 3
    top = summary["top"][0]
    assert (top["cve_id"], top["ransomware"], top["overdue"], top["items"]) == (
        "CVE-2024-21762",
        True,
        True,
        1,
    )
    assert summary["kev_feed"]["version"] == "2026.01.15"
    assert summary["url"] == "/cyber/exposure/"
    # A department liaison does not see exposure: every figure is nothing.
    hidden = exposure.exposure_summary(users["liaison"], today=TODAY)
    assert hidden["open"] == 0 and hidden["top"] == []
    with pytest.raises(PermissionDenied):
        exposure.unmatched(users["liaison"])


# --- the command -------------------------------------------------------------------------


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("feeds", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_commands_import_then_match(items):
    out, _ = run("import-kev", str(FILES / "kev_small.json"))
    assert "Known Exploited Vulnerabilities: 5 entries read, 5 added, 0 updated" in out
    assert "Matched 4 systems and components" in out
    out, _ = run(
        "import-eol", str(FILES / "eol_windows_server_v0.json"), "--product", "windows-server"
    )
    assert "End-of-life dates (windows-server): 5 entries read, 5 added" in out
    assert "1 new exposures" in out
    out, _ = run("import-kev", str(FILES / "kev_messy.json"))
    assert "9 problem(s) in the file:" in out
    assert "Entry 6: it is text, not an object. The entry was left out." in out
    out, _ = run("match")
    assert "0 new exposures" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (("import-kev", "kev_not_json.json"), "not valid JSON"),
        (("import-kev", "missing.json"), "Cannot read"),
        (("import-eol", "eol_windows_server_v0.json"), "does not say which product"),
        (("import-eol", "eol_fortios_v1.json", "--product", "a b"), "not an endoflife.date"),
    ],
)
def test_commands_refuse_bad_input(db, args, message):
    action, name, *rest = args
    with pytest.raises(CommandError, match=message):
        run(action, str(FILES / name), *rest)
    assert not m.FeedImport.objects.exists()


def test_update_downloads_both_feeds(items, monkeypatch):
    bodies = {
        exposure.KEV_URL: read("kev_small.json"),
        "https://endoflife.date/api/v1/products/fortios": read("eol_fortios_v1.json"),
        "https://endoflife.date/api/windows-server.json": read("eol_windows_server_v0.json"),
    }

    def fetch(url):
        if url not in bodies:
            raise exposure.DownloadError(f"{url} answered 404 Not Found.")
        return bodies[url]

    monkeypatch.setattr(exposure, "download", fetch)
    monkeypatch.setattr(exposure, "DEFAULT_EOL_PRODUCTS", ("fortios", "windows-server", "nope"))
    out, err = run("update")
    assert "Known Exploited Vulnerabilities: 5 entries read, 5 added" in out
    assert "End-of-life dates (fortios): 3 entries read" in out
    assert "End-of-life dates (windows-server): 5 entries read" in out
    assert "new exposures" in out
    assert "endoflife.date “nope”: https://endoflife.date/api/nope.json answered 404" in err


def test_update_without_network_says_so(db, monkeypatch):
    def fetch(url):
        raise exposure.DownloadError("Cannot reach www.cisa.gov (Name or service not known).")

    monkeypatch.setattr(exposure, "download", fetch)
    with pytest.raises(CommandError, match="Nothing was downloaded"):
        run("update")
    assert not m.FeedImport.objects.exists()


# --- downloading -------------------------------------------------------------------------


@pytest.fixture
def server():
    """A local web server: /ok answers a little JSON, /big more than 1 KB, others 404."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the standard library's name
            body = {"/ok": b'{"ok": true}', "/big": b"x" * 5000}.get(self.path)
            if body is None:
                self.send_error(404, "Not Found")
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            if self.path != "/big":  # no length: the cap must hold while reading
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_download(server):
    assert exposure.download(f"{server}/ok") == b'{"ok": true}'
    with pytest.raises(exposure.DownloadError, match="larger than 0 MB"):
        exposure.download(f"{server}/big", max_bytes=1024)
    with pytest.raises(exposure.DownloadError, match="answered 404"):
        exposure.download(f"{server}/missing")
    with pytest.raises(exposure.DownloadError, match="is not a web address"):
        exposure.download("file:///etc/passwd")


def test_download_unreachable():
    with pytest.raises(exposure.DownloadError, match="Cannot reach 127.0.0.1:9"):
        exposure.download("http://127.0.0.1:9/feed.json", timeout=2)


def test_demo_feeds_are_readable(db):
    kev = exposure.import_kev(context.SYSTEM, (DEMO / "kev-demo.json").read_bytes())
    eol = exposure.import_eol(context.SYSTEM, (DEMO / "eol-demo.json").read_bytes())
    assert kev.created == 12 and not kev.problems
    assert eol.products == [
        "basalt-server-os",
        "fernix-linux",
        "lodestone-sql",
        "quartz-hypervisor",
        "tarn-db",
    ]
    assert not eol.problems


# --- pages -------------------------------------------------------------------------------


@pytest.fixture
def matched(items, feeds):
    exposure.refresh_exposures(context.SYSTEM, today=TODAY)
    return items


def test_exposure_page_for_staff(client_for, matched):
    response = client_for("staff").get("/cyber/exposure/")
    assert response.status_code == 200
    html = response.content.decode()
    # Ransomware first, then by due date: FortiOS (ransomware), Windows 2012 R2 (2023),
    # the D-Link router (2023-07-20 comes first by date but has no ransomware).
    order = [html.index(t) for t in ("CVE-2024-21762", "CVE-2019-17621", "2012-r2", "7.2<")]
    assert order == sorted(order)
    assert "Apply the vendor&#x27;s updates or stop using the product." in html
    assert "Match again" in html
    assert "Ransomware" in html and "Overdue" in html
    filtered = client_for("staff").get("/cyber/exposure/?ransomware=on&kind=kev")
    assert "CVE-2024-21762" in filtered.content.decode()
    assert "CVE-2019-17621" not in filtered.content.decode()
    system = matched["firewall"].pk
    mine = client_for("staff").get(f"/cyber/exposure/?system={system}").content.decode()
    assert "Exposure of Perimeter firewall" in mine and "branch-router" not in mine


@pytest.mark.parametrize(
    "query",
    ["status=bogus", "system=abc", "component=-1", "kind=x&page=zz", "page=999", "q=" + "x" * 300],
)
def test_bad_query_strings_never_fail(client_for, matched, query):
    response = client_for("staff").get(f"/cyber/exposure/?{query}")
    assert response.status_code in (200, 400)
    response = client_for("staff").get(f"/cyber/exposure/not-matched/?{query}&reason=bogus")
    assert response.status_code in (200, 400)


def test_roles(client_for, matched, client):
    viewer = client_for("viewer")
    page = viewer.get("/cyber/exposure/")
    assert page.status_code == 200 and "Match again" not in page.content.decode()
    assert viewer.post("/cyber/exposure/match/").status_code == 403
    assert viewer.get("/cyber/exposure/not-matched/").status_code == 200
    assert "Alias the product" not in viewer.get("/cyber/exposure/not-matched/").content.decode()
    assert viewer.get("/cyber/exposure/aliases/add/").status_code == 403
    feeds_page = viewer.get("/cyber/exposure/feeds/")
    assert feeds_page.status_code == 200 and "Upload a feed file" not in feeds_page.content.decode()
    upload = {"kind": "kev", "file": SimpleUploadedFile("k.json", read("kev_small.json"))}
    assert viewer.post("/cyber/exposure/feeds/", upload).status_code == 403
    assert client_for("board").get("/cyber/exposure/").status_code == 200
    liaison = client_for("liaison")
    for url in ("/cyber/exposure/", "/cyber/exposure/not-matched/", "/cyber/exposure/feeds/"):
        assert liaison.get(url).status_code == 403
        response = client.get(url)
        assert response.status_code == 302 and "sign-in" in response["Location"]
    assert liaison.post("/cyber/exposure/match/").status_code == 403


def test_match_again_button(client_for, items, feeds, users):
    """The button hands the matching to a job and opens the job's page, which says what
    changed."""
    staff = client_for("staff")
    assert staff.get("/cyber/exposure/match/").status_code == 405
    response = staff.post("/cyber/exposure/match/")
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    job = Job.objects.get()
    assert (job.kind, job.created_by) == ("exposure_match", users["staff"])
    assert job.status == Job.Status.DONE, job.message
    assert "new exposures" in staff.get(response["Location"]).content.decode()
    assert m.Exposure.objects.count() >= 3


def test_match_again_matches_nothing_in_the_request(client_for, items, feeds, monkeypatch):
    """Pressing the button only queues the job: the matching runs on the job runner."""
    queued = []
    monkeypatch.setattr(runner, "run_job", types.SimpleNamespace(enqueue=queued.append))
    response = client_for("staff").post("/cyber/exposure/match/")
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    assert queued == [Job.objects.get(kind="exposure_match").pk]
    assert not m.Exposure.objects.exists()


def test_not_matched_page_links_to_a_prefilled_alias(client_for, matched):
    staff = client_for("staff")
    html = staff.get("/cyber/exposure/not-matched/").content.decode()
    assert "Quillfeather" in html and "Neither feed knows this vendor or product" in html
    link = "/cyber/exposure/aliases/add/?kind=product&amp;estate_name=Q"
    assert link in html
    form = staff.get("/cyber/exposure/aliases/add/?kind=vendor&estate_name=Quillfeather")
    assert form.status_code == 200
    assert 'value="Quillfeather"' in form.content.decode()
    response = staff.post(
        "/cyber/exposure/aliases/add/",
        {"kind": "product", "estate_name": "Windows Server", "feed_vendor": "Microsoft"},
    )
    assert response.status_code == 302
    assert m.ProductAlias.objects.get().feed_vendor == "Microsoft"
    again = staff.post(
        "/cyber/exposure/aliases/add/",
        {"kind": "product", "estate_name": "Windows Server", "feed_vendor": "Microsoft"},
    )
    assert again.status_code == 400
    empty = staff.post("/cyber/exposure/aliases/add/", {"kind": "product", "estate_name": "X"})
    assert empty.status_code == 400
    assert "Give the name it has in at least one feed." in empty.content.decode()
    assert m.ProductAlias.objects.count() == 1


def upload(client, kind: str, name: str, data: bytes, **extra):
    return client.post(
        "/cyber/exposure/feeds/",
        {"kind": kind, "file": SimpleUploadedFile(name, data), **extra},
    )


def test_upload_from_the_browser(client_for, items, users):
    """The page hands the file to a job and opens the job's page, which says what the
    import and the matching after it did (the request does neither)."""
    staff = client_for("staff")
    page = staff.get("/cyber/exposure/feeds/").content.decode()
    assert "Upload a feed file" in page
    response = upload(staff, "kev", "kev.json", read("kev_messy.json"))
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    job = Job.objects.get()
    assert (job.kind, job.created_by, job.params["kind"]) == ("feed_import", users["staff"], "kev")
    assert m.KnownVulnerability.objects.count() == 4
    shown = staff.get(response["Location"]).content.decode()
    assert "4 added" in shown and "9 entries or field(s) could not be used" in shown
    assert "Matched" in shown
    response = upload(
        staff, "eol", "ws.json", read("eol_windows_server_v0.json"), product="windows-server"
    )
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    assert m.ProductRelease.objects.filter(product="windows-server").count() == 5
    assert "5 added" in staff.get(response["Location"]).content.decode()


def test_the_feeds_page_imports_nothing_itself(client_for, items, monkeypatch):
    """Posting the form only queues the job: the import runs on the job runner."""
    queued = []
    monkeypatch.setattr(runner, "run_job", types.SimpleNamespace(enqueue=queued.append))
    response = upload(client_for("staff"), "kev", "kev.json", read("kev_small.json"))
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    assert queued == [Job.objects.get().pk]
    assert not m.KnownVulnerability.objects.exists() and not m.FeedImport.objects.exists()


@pytest.mark.parametrize(
    "kind, name, data, extra, message",
    [
        ("kev", "k.json", b"not json", {}, "Nothing was imported. The file is not valid JSON"),
        ("kev", "k.pdf", b"%PDF-1.4 \xff", {}, "not UTF-8 text"),
        ("eol", "e.json", read("kev_small.json"), {}, "not endoflife.date release data"),
        ("eol", "e.json", read("eol_windows_server_v0.json"), {}, "does not say which product"),
    ],
)
def test_upload_errors(client_for, db, kind, name, data, extra, message):
    """A file that cannot be read fails its job with the reason; nothing is imported."""
    client = client_for("staff")
    response = upload(client, kind, name, data, **extra)
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and message in job.message
    assert message in client.get(response["Location"]).content.decode()
    assert not m.FeedImport.objects.exists()


def test_upload_of_an_unknown_kind_is_refused_on_the_page(client_for, db):
    response = upload(client_for("staff"), "other", "e.json", b"[]")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Job.objects.exists()


def test_upload_size_limit(client_for, db, settings):
    settings.UPLOAD_MAX_MB = 0
    response = upload(client_for("staff"), "kev", "k.json", read("kev_small.json"))
    assert response.status_code == 400
    assert "larger than the 0 MB limit" in response.content.decode()
    assert not Job.objects.exists()  # refused before any job is queued


def test_summary_is_kept_until_something_changes(
    items, feeds, users, django_assert_max_num_queries
):
    """The figures are counted once, then kept until any change (one query to find out)."""
    first = exposure.exposure_summary(users["staff"])
    with CaptureQueriesContext(connection) as ctx:
        assert exposure.exposure_summary(users["staff"]) == first
    assert len(ctx.captured_queries) == 1
    services.create(context.SYSTEM, estate.System, {"name": "Changed the estate"})
    with CaptureQueriesContext(connection) as ctx:
        exposure.exposure_summary(users["staff"])
    assert len(ctx.captured_queries) > 1


def test_not_matched_page_finds_by_vendor_product_or_version(client_for, matched):
    staff = client_for("staff")
    for text in ("quillfeather", "quillfeather q", "100"):
        response = staff.get(f"/cyber/exposure/not-matched/?q={text}")
        assert response.status_code == 200
        assert "Quillfeather" in response.content.decode()
    response = staff.get("/cyber/exposure/not-matched/?q=nothing-like-it")
    assert response.status_code == 200
    assert "Quillfeather" not in response.content.decode()


def test_the_installed_version_verdict_is_shown_never_set(matched, client_for, users):
    """Matching writes `version_status` and `version_reason` each time it runs: the edit
    form shows them disabled, the API holds them read-only, and no import kind reads them."""
    from rest_framework.test import APIClient

    from townhall.core import registry
    from townhall.core.forms import read_only_fields
    from townhall.core.testing import ResourceContract
    from townhall.cyber.forms import ExposureForm
    from townhall.imports import kinds

    row = m.Exposure.objects.filter(vulnerability__isnull=False).first()
    was = (row.version_status, row.version_reason)
    form = ExposureForm(instance=row)
    assert form.fields["version_status"].disabled and form.fields["version_reason"].disabled

    class Contract(ResourceContract):
        model = m.Exposure

    contract = Contract()
    post = contract.edit_post(row, {}, version_status="not_affected", version_reason="mine")
    post["notes"] = "checked"
    staff = client_for("staff")
    assert staff.post(contract.url("edit", row), post).status_code == 302
    row.refresh_from_db()
    assert (row.version_status, row.version_reason) == was and row.notes == "checked"

    api = APIClient()
    api.force_authenticate(users["staff"])
    url = f"/api/cyber/exposures/{row.pk}/"
    sent = {"version_status": "not_affected", "version_reason": "mine", "version": row.version}
    answer = api.patch(url, sent, format="json")
    assert answer.status_code == 200 and answer.json()["version_status"] == was[0]
    row.refresh_from_db()
    assert (row.version_status, row.version_reason) == was
    schema = api.get("/api/schema/?format=json").json()["components"]["schemas"]
    assert schema["Exposure"]["properties"]["version_status"].get("readOnly")
    for body in ("ExposureRequest", "PatchedExposureEditRequest"):
        assert "version_status" not in schema[body]["properties"]

    for kind in kinds.all_kinds():
        resource = registry.for_model(kind.model)
        shown_only = set(read_only_fields(resource.form)) if resource else set()
        assert not shown_only & set(kind.fields), kind.key
