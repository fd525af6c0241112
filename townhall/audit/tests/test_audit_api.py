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
