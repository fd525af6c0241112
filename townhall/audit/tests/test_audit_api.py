import pytest
from rest_framework.test import APIClient

from townhall.audit.models import AuditEntry
from townhall.core import services


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["viewer", "staff", "admin"])
def test_audit_entries_are_read_only_through_the_api(role, users, departments):
    services.update(users["staff"], departments["PW"], {"employees": 9}, version=1)
    api = APIClient()
    api.force_authenticate(users[role])
    body = api.get("/api/audit/entries/", {"action": "update"}).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert (
        row["actor_name"] == "staff1"
        and row["after"]["employees"] == 9
        and row["kind"] == "department"
    )
    url = f"/api/audit/entries/{row['id']}/"
    assert api.patch(url, {"actor_name": "x"}, format="json").status_code == 405
    assert api.delete(url).status_code == 405
    assert api.post("/api/audit/entries/", {}, format="json").status_code == 405
    assert AuditEntry.objects.get(pk=row["id"]).actor_name == "staff1"


@pytest.mark.django_db
def test_audit_api_needs_sign_in(departments):
    assert APIClient().get("/api/audit/entries/").status_code == 401


@pytest.mark.django_db
def test_long_values_are_shortened_in_the_list_and_whole_in_the_entry(users, departments):
    long_notes = "n" * 50_000
    services.update(users["staff"], departments["PW"], {"notes": long_notes}, version=1)
    api = APIClient()
    api.force_authenticate(users["staff"])
    listed = api.get("/api/audit/entries/", {"action": "update"})
    assert len(listed.content) < 10_000
    row = listed.json()["results"][0]
    url = f"/api/audit/entries/{row['id']}/"
    assert row["shortened"] == ["notes"]
    assert row["after"]["notes"].startswith("n" * 200)
    assert (
        "shortened from 50,000 characters" in row["after"]["notes"] and url in row["after"]["notes"]
    )
    assert row["before"]["notes"] == ""  # short values stay as they are
    whole = api.get(url).json()
    assert whole["after"]["notes"] == long_notes and whole["shortened"] == []


def test_structured_values_are_shortened_as_json_and_small_ones_kept():
    from townhall.audit.api import _shortened

    cut: set[str] = set()
    values = {"content": {"steps": ["x" * 100] * 50}, "grid": {"a": 1}, "count": 3}
    got = _shortened(values, "/api/audit/entries/7/", cut)
    assert cut == {"content"} and got["grid"] == {"a": 1} and got["count"] == 3
    assert got["content"].startswith("… (shortened from ") and "/entries/7/" in got["content"]
    assert _shortened(None, "/x/", cut) is None
