"""The import pages through the test client: upload, map, preview, commit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from townhall.estate import models as m
from townhall.imports.models import ImportRun, SavedMapping
from townhall.imports.tests.helpers import fixture, xlsx

pytestmark = pytest.mark.django_db


def upload(client: Client, kind: str, name: str, data: bytes):
    return client.post("/import/", {"kind": kind, "file": SimpleUploadedFile(name, data)})


def mapping_post(response) -> dict:
    """The mapping form's proposed choices, as a browser would submit them."""
    form = response.context["form"]
    return {f"col_{i}": form[f"col_{i}"].initial or "" for i in range(len(form.headers))}


def test_home_page(client_for):
    response = client_for("staff").get("/import/")
    assert response.status_code == 200
    assert b"Download a template" in response.content
    assert b"/import/export/system.csv" in response.content


def test_anonymous_is_sent_to_sign_in(db):
    assert Client().get("/import/").status_code == 302


def test_whole_flow_all_or_nothing_then_valid_only(client_for, departments):
    client = client_for("staff")
    response = upload(client, "system", "bad.csv", fixture("systems_bad.csv"))
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/import/{run.pk}/columns/"
    assert run.file.name.startswith("imports/")
    assert run.rows == 6

    page = client.get(f"/import/{run.pk}/columns/")
    assert page.status_code == 200
    post = mapping_post(page)
    assert post["col_0"] == "name" and post["col_1"] == "owner_department"
    response = client.post(f"/import/{run.pk}/columns/", post)
    assert response.status_code == 302 and response["Location"] == f"/import/{run.pk}/"

    preview = client.get(f"/import/{run.pk}/")
    run.refresh_from_db()
    assert run.status == "previewed"
    assert run.counts == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 4}
    content = preview.content.decode()
    assert "No department called &#x27;Parks&#x27;" in content
    assert "Import only the valid rows" in content
    assert not m.System.objects.exists()

    client.post(f"/import/{run.pk}/", {})
    run.refresh_from_db()
    assert run.status == "not_committed"
    assert not m.System.objects.exists()

    client.post(f"/import/{run.pk}/", {"valid_only": "on"})
    run.refresh_from_db()
    assert run.status == "committed"
    assert m.System.objects.count() == 2
    assert client.get(f"/import/{run.pk}/").status_code == 200
    client.post(f"/import/{run.pk}/", {"valid_only": "on"})  # a second commit does nothing
    assert m.System.objects.count() == 2


def test_xlsx_upload_and_saved_mapping(client_for, departments):
    client = client_for("staff")
    data = xlsx([["Apps", "Owner dept code"], ["Payroll", "FIN"]])
    upload(client, "system", "apps.xlsx", data)
    run = ImportRun.objects.get()
    post = {"col_0": "name", "col_1": "owner_department", "save_as": "Finance apps"}
    client.post(f"/import/{run.pk}/columns/", post)
    saved = SavedMapping.objects.get()
    assert (saved.kind, saved.columns) == (
        "system",
        {"Apps": "name", "Owner dept code": "owner_department"},
    )
    client.post(f"/import/{run.pk}/", {})
    assert m.System.objects.get().owner_department == departments["FIN"]

    upload(client, "system", "apps2.xlsx", data)
    second = ImportRun.objects.first()
    page = client.get(f"/import/{second.pk}/columns/", {"saved": saved.pk})
    assert page.context["form"]["col_0"].initial == "name"
    assert page.context["form"]["col_1"].initial == "owner_department"


def test_saving_and_replacing_a_mapping_is_audited(client_for, departments, users):
    """A saved mapping is shared and can be replaced by name: history says who did each."""
    from townhall.audit.models import AuditEntry

    data = xlsx([["Apps", "Owner dept code"], ["Payroll", "FIN"]])
    post = {"col_0": "name", "col_1": "owner_department", "save_as": "Finance apps"}
    for role in ("staff", "liaison"):
        client = client_for(role)
        upload(client, "system", "apps.xlsx", data)
        run = ImportRun.objects.order_by("pk").last()
        changed = {**post, "col_1": "" if role == "liaison" else "owner_department"}
        assert client.post(f"/import/{run.pk}/columns/", changed).status_code == 302
    saved = SavedMapping.objects.get()
    assert saved.columns == {"Apps": "name"} and saved.created_by == users["liaison"]
    history = AuditEntry.objects.filter(content_type__model="savedmapping").order_by("pk")
    assert [(e.action, e.actor) for e in history] == [
        ("create", users["staff"]),
        ("update", users["liaison"]),
    ]
    assert history.last().before["columns"] == {
        "Apps": "name",
        "Owner dept code": "owner_department",
    }


def test_mapping_errors(client_for, departments):
    client = client_for("staff")
    upload(client, "system", "s.csv", b"A,B\nx,y\n")
    run = ImportRun.objects.get()
    response = client.post(f"/import/{run.pk}/columns/", {"col_0": "notes", "col_1": "notes"})
    assert response.status_code == 400
    assert "are mapped to notes" in response.content.decode()
    assert "No column is mapped to Name" in response.content.decode()


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("inventory.pdf", b"%PDF-1.4", "Townhall cannot import .pdf files"),
        ("inventory.xlsx", b"not really", "not a readable Excel workbook"),
        ("empty.csv", b"\n\n", "The file is empty"),
    ],
)
def test_refused_files(client_for, name, data, message):
    response = upload(client_for("staff"), "system", name, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportRun.objects.exists()


def test_upload_size_limit(client_for, settings):
    settings.UPLOAD_MAX_MB = 0
    response = upload(client_for("staff"), "system", "s.csv", b"Name\nA\n")
    assert response.status_code == 400
    assert "larger than the 0 MB limit" in response.content.decode()


def test_roles_and_owners(client_for, users):
    assert upload(client_for("viewer"), "system", "s.csv", b"Name\nA\n").status_code == 403
    liaison = client_for("liaison")
    response = upload(liaison, "vendor", "v.csv", b"Name\nAcme\n")
    assert response.status_code == 400  # vendors are not offered to liaisons
    upload(liaison, "service", "s.csv", b"Name\nPotholes\n")
    run = ImportRun.objects.get()
    assert client_for("staff").get(f"/import/{run.pk}/").status_code == 404
    assert client_for("admin").get(f"/import/{run.pk}/columns/").status_code == 200
