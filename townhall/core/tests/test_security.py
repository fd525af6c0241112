"""Security headers, CSRF, bounded uploads, safe exports, production deploy checks."""

import os
import subprocess
import sys
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from townhall.conftest import copy_migrated
from townhall.core import context, exports, services
from townhall.org.models import Department, Document


@pytest.mark.django_db
def test_every_page_has_csp_and_frame_protection(client_for):
    response = client_for("viewer").get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert len(response["X-Request-ID"]) >= 8


@pytest.mark.django_db
def test_pages_have_no_inline_scripts_or_styles(client_for, departments):
    client = client_for("staff")
    for url in ("/", "/org/departments/", f"/org/departments/{departments['PW'].pk}/edit/"):
        html = client.get(url).content.decode()
        assert "<script>" not in html and "<script type" not in html
        assert "style=" not in html


@pytest.mark.django_db
def test_posts_without_csrf_token_are_refused(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["staff"])
    response = client.post("/org/departments/add/", {"name": "X", "code": "X"})
    assert response.status_code == 403
    assert not Department.objects.filter(code="X").exists()


@pytest.mark.django_db
def test_uploads_over_the_limit_are_refused(client_for, departments, settings):
    settings.UPLOAD_MAX_MB = 1
    big = SimpleUploadedFile("big.pdf", b"x" * (1024 * 1024 + 1))
    response = client_for("staff").post(
        "/org/documents/add/",
        {"title": "Too big", "kind": "plan", "file": big, "owner_department": departments["PW"].pk},
    )
    assert response.status_code == 400
    assert b"larger than the 1 MB limit" in response.content
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_oversized_request_bodies_are_refused_before_reading(client_for, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client_for("staff").post("/org/departments/add/", {"name": "x" * 5000, "code": "Y"})
    assert response.status_code == 400


def test_formula_cells_are_neutralised():
    for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert exports.safe_cell(value) == "'" + value
    assert exports.safe_cell("Public Works") == "Public Works"
    assert exports.safe_cell(-5) == -5  # numbers stay numbers


@pytest.mark.django_db
def test_exports_are_safe_in_csv_and_xlsx(client_for):
    services.create(context.SYSTEM, Department, {"name": '=HYPERLINK("http://x")', "code": "EVIL"})
    client = client_for("viewer")
    body = b"".join(client.get("/org/departments/?export=csv").streaming_content).decode(
        "utf-8-sig"
    )
    assert "'=HYPERLINK" in body
    assert "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body
    data = client.get("/org/departments/?export=xlsx").content
    sheet = load_workbook(BytesIO(data)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://x")' in names
    assert all(cell.data_type == "s" for cell in sheet["A"])


@pytest.mark.django_db
def test_uploaded_files_are_served_only_to_signed_in_people(client_for, departments):
    client = client_for("staff")
    client.post(
        "/org/documents/add/",
        {
            "title": "Plan",
            "kind": "plan",
            "owner_department": departments["PW"].pk,
            "file": SimpleUploadedFile("plan.txt", b"continuity plan"),
        },
    )
    doc = Document.objects.get()
    url = reverse("media", args=[doc.file.name])
    assert b"".join(client_for("viewer").get(url).streaming_content) == b"continuity plan"
    assert Client().get(url).status_code == 302
    assert client.get(reverse("media", args=["jobs/secret.csv"])).status_code == 404
    assert client.get("/media/../townhall.sqlite3").status_code == 404


def test_production_deploy_check_is_clean(tmp_path, migrated_sqlite):
    env = {
        **os.environ,
        "TOWNHALL_PRODUCTION": "1",
        "SECRET_KEY": "x" * 60 + "production-test-key",
        "ALLOWED_HOSTS": "townhall.example.gov",
        "TOWNHALL_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "townhall.cli", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "migration(s) not applied" in result.stderr  # an empty database is reported
    copy_migrated(migrated_sqlite, tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "townhall.cli", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "ready" in result.stdout


def test_production_requires_a_secret_key(tmp_path):
    env = {**os.environ, "TOWNHALL_PRODUCTION": "1", "TOWNHALL_VAR_DIR": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "townhall.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
