"""What the API promises in its schema, it keeps: error answers documented, numbers as
numbers, valid dates and addresses, paging and filters that refuse what they cannot use,
and file addresses that lead to the permission-checked download."""

import datetime
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from townhall.core import context, services
from townhall.cyber.models import Evidence, Incident


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def schema(users) -> dict:
    return api_for(users["viewer"]).get("/api/schema/?format=json").json()


def responses(schema: dict, path: str, method: str) -> set[str]:
    return set(schema["paths"][path][method]["responses"])


@pytest.mark.django_db
def test_schema_documents_the_error_answers(schema):
    dept = "/api/org/departments/"
    assert {"200", "400", "401", "403", "404", "429"} <= responses(schema, dept, "get")
    assert {"201", "400", "401", "403", "415"} <= responses(schema, dept, "post")
    one = dept + "{id}/"
    assert {"200", "401", "403", "404"} <= responses(schema, one, "get")
    assert {"200", "400", "403", "404", "409"} <= responses(schema, one, "patch")
    assert {"204", "400", "403", "404"} <= responses(schema, one, "delete")
    conflict = schema["paths"][one]["patch"]["responses"]["409"]["content"]["application/json"]
    assert conflict["schema"]["properties"]["current_version"]["type"] == "integer"
    # Accounts have no version: no conflict to document.
    assert "409" not in responses(schema, "/api/accounts/users/{id}/", "patch")
    params = {p["name"]: p for p in schema["paths"][dept]["get"]["parameters"]}
    assert params["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 500}
    assert "q" in params and params["q"]["allowEmptyValue"] is True


@pytest.mark.django_db
def test_a_conflict_gives_the_current_version_as_a_number(users, departments):
    pw = departments["PW"]
    services.update(users["staff"], pw, {"employees": 7}, version=1)
    response = api_for(users["admin"]).patch(
        f"/api/org/departments/{pw.pk}/", {"employees": 9, "version": 1}, format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["current_version"] == 2 and isinstance(body["current_version"], int)
    assert body["changes"]["employees"] == {"yours": None, "now": 7, "by": "staff1"}


@pytest.mark.django_db
@pytest.mark.parametrize("size", ["null", "", "0", "501", "-3", "1.5", "abc"])
def test_page_size_outside_1_to_500_is_refused(users, departments, size):
    response = api_for(users["viewer"]).get("/api/org/departments/", {"page_size": size})
    assert response.status_code == 400
    assert "page_size" in response.json()


@pytest.mark.django_db
def test_paging_within_bounds(users, departments):
    api = api_for(users["viewer"])
    body = api.get("/api/org/departments/", {"page_size": 1}).json()
    assert body["count"] == 2 and len(body["results"]) == 1
    assert api.get("/api/org/departments/", {"page_size": 500}).status_code == 200
    assert api.get("/api/org/departments/", {"page": ""}).status_code == 404
    assert api.get("/api/org/departments/", {"page": 9}).status_code == 404


@pytest.mark.django_db
def test_yes_no_filters_refuse_other_values(users, departments):
    api = api_for(users["admin"])
    assert api.get("/api/accounts/users/", {"is_active": "0.6"}).status_code == 400
    assert api.get("/api/accounts/users/", {"is_active": "true"}).json()["count"] == 6
    assert api.get("/api/accounts/users/", {"is_active": "false"}).json()["count"] == 0
    assert api.get("/api/accounts/users/", {"is_active": ""}).json()["count"] == 6
    # The list page's form keeps working with the same filter.
    client = Client()
    client.force_login(users["admin"])
    assert client.get("/accounts/users/", {"is_active": "unknown"}).status_code == 200


@pytest.mark.django_db
def test_api_errors_outside_any_route_are_json(users):
    api = api_for(users["viewer"])
    for url in ("/api/no-such-thing/", "/api/org/departments/abc%2Fdef/"):
        response = api.get(url)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json", url
    response = api.get("/api/org/departments/?q=a%00b")
    assert response.status_code == 400 and "NUL" in response.json()["detail"]
    assert Client().get("/org/departments/?q=a%00b").status_code == 400  # pages: plain text


@pytest.mark.django_db
def test_times_before_standard_time_zones_are_valid_rfc3339(users, departments):
    """America/Chicago before 1883 is 5:50:36 behind UTC, which RFC 3339 cannot write."""
    chicago = zoneinfo.ZoneInfo("America/Chicago")
    with context.acting("system"):
        incident = services.create(
            context.SYSTEM,
            Incident,
            {
                "title": "Old",
                "severity": "low",
                "kind": "other",
                "owner_department": departments["PW"],
                "detected": datetime.datetime(1850, 1, 2, 3, 4, 5, tzinfo=chicago),
            },
        )
    body = api_for(users["staff"]).get(f"/api/cyber/incidents/{incident.pk}/").json()
    assert body["detected"] == "1850-01-02T08:54:41Z"
    assert datetime.datetime.fromisoformat(body["detected"]) == incident.detected
    assert body["created_at"].endswith(("-06:00", "-05:00"))  # ordinary times stay local


@pytest.mark.django_db
def test_evidence_file_addresses_lead_to_the_permission_checked_download(users, departments):
    upload = SimpleUploadedFile("policy.pdf", b"%PDF-1.4 policy", content_type="application/pdf")
    response = api_for(users["staff"]).post(
        "/api/cyber/evidence/", {"title": "Backup policy", "file": upload}, format="multipart"
    )
    assert response.status_code == 201, response.content
    address = response.json()["file"]
    assert address.startswith("http://testserver/media/evidence/")
    path = address.removeprefix("http://testserver")
    viewer = Client()
    viewer.force_login(users["viewer"])
    download = viewer.get(path)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 policy"
    liaison = Client()
    liaison.force_login(users["liaison"])  # liaisons see no evidence
    assert liaison.get(path).status_code == 404
    assert Client().get(path).status_code == 302  # signed out: to the sign-in page
    # The record's page links to the same address.
    page = viewer.get(Evidence.objects.get().get_absolute_url()).content.decode()
    assert f'href="{path}"' in page


# --- the API's reference page ----------------------------------------------------------------


@pytest.mark.django_db
def test_api_docs_and_schema_need_sign_in_like_the_api(users):
    anonymous = Client()
    response = anonymous.get("/api/docs/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    assert anonymous.get("/api/docs/?script=").status_code == 302
    assert APIClient().get("/api/schema/").status_code == 401
    assert APIClient().get("/api/org/departments/").status_code == 401
    client = Client()
    client.force_login(users["viewer"])
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="en">' in html
    assert "<style" not in html and "<script>" not in html  # nothing the CSP would block
    assert client.get("/api/docs/?script=").status_code == 200
    assert client.get("/api/schema/").status_code == 200
