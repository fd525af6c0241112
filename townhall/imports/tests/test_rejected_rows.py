"""A file with bad rows imported without "only the valid rows": the page says plainly
that nothing was imported and how many rows are bad, offers to import the valid rows from
the same upload, and the rejected rows with their reasons as a CSV safe to open."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from townhall.estate import models as m
from townhall.imports.models import ImportRun
from townhall.imports.tests.helpers import fixture

pytestmark = pytest.mark.django_db


def checked(client, name: str, data: bytes) -> ImportRun:
    client.post("/import/", {"kind": "system", "file": SimpleUploadedFile(name, data)})
    run = ImportRun.objects.get()
    page = client.get(f"/import/{run.pk}/columns/")
    form = page.context["form"]
    post = {f"col_{i}": form[f"col_{i}"].initial or "" for i in range(len(form.headers))}
    client.post(f"/import/{run.pk}/columns/", post)
    return run


def test_nothing_imported_says_so_and_offers_the_valid_rows(client_for, departments):
    client = client_for("staff")
    run = checked(client, "bad.csv", fixture("systems_bad.csv"))
    response = client.post(f"/import/{run.pk}/", {}, follow=True)
    page = response.content.decode()
    run.refresh_from_db()
    assert run.status == "not_committed" and not m.System.objects.exists()
    assert "Nothing was imported: 4 rows cannot be imported" in page
    assert "4 rows of 6 cannot be imported" in page
    assert "You can import the 2 valid rows now" in page
    assert ">Import only the valid rows</button>" in page
    assert f'href="/import/{run.pk}/rejected.csv"' in page

    client.post(f"/import/{run.pk}/", {"valid_only": "on"})  # the button, same upload
    run.refresh_from_db()
    assert run.status == "committed"
    assert sorted(m.System.objects.values_list("name", flat=True)) == ["Good One", "Good Two"]


def test_the_rejected_rows_download_names_row_column_value_and_reason(client_for, departments):
    client = client_for("staff")
    data = b"Name,Department\nCAD,Nowhere\nGIS,=1+2\nGood,PW\n"
    run = checked(client, "bad file.csv", data)
    response = client.get(f"/import/{run.pk}/rejected.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="bad-file-rejected-rows.csv"'
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Row", "Column", "Value", "Reason"]
    assert rows[1][:3] == ["2", "Department", "Nowhere"]
    assert "No department called 'Nowhere'" in rows[1][3]
    assert rows[2][:3] == ["3", "Department", "'=1+2"]  # inert in a spreadsheet
    assert all(not cell.startswith("=") for row in rows for cell in row)
    assert client_for("liaison").get(f"/import/{run.pk}/rejected.csv").status_code == 404
