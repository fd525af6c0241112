"""Generic pages beyond the permission contract: filters, sort, search, bulk, history, errors."""

import pytest
from django.test import Client

from townhall.audit.models import AuditEntry
from townhall.core import context, services
from townhall.org.models import Department


@pytest.fixture
def offices(departments):
    return [
        services.create(
            context.SYSTEM,
            Department,
            {
                "name": f"Office {i}",
                "code": f"OF{i}",
                "parent": departments["PW"] if i % 2 else None,
            },
        )
        for i in range(4)
    ]


def rows_of(response) -> str:
    """Just the table body of a list page (filters list every option too)."""
    html = response.content.decode()
    return html[html.index("<tbody>") : html.index("</tbody>")] if "<tbody>" in html else ""


@pytest.mark.django_db
def test_list_filters_searches_sorts_and_paginates(client_for, offices, departments):
    client = client_for("viewer")
    html = rows_of(client.get(f"/org/departments/?parent={departments['PW'].pk}"))
    assert "Office 1" in html and "Office 3" in html and "Office 2" not in html
    html = rows_of(client.get("/org/departments/?q=fin"))
    assert "Finance" in html and "Office" not in html
    response = client.get("/org/departments/?sort=-name")
    html = rows_of(response)
    assert html.index("Public Works") < html.index("Office 3") < html.index("Finance")
    assert 'aria-sort="descending"' in response.content.decode()
    # Unknown sort, page and filter values fall back instead of failing.
    for query in (
        "sort=password",
        "page=999",
        "page=x",
        "per_page=abc",
        "parent=not-a-number",
        "parent=99999",
    ):
        assert client.get(f"/org/departments/?{query}").status_code == 200, query


@pytest.mark.django_db
def test_htmx_filtering_returns_only_the_results(client_for, offices):
    response = client_for("viewer").get("/org/departments/?q=Office", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert '<div id="results">' in html and "<html" not in html


@pytest.mark.django_db
def test_search_finds_only_what_the_person_may_see(client_for, offices):
    assert b"Office 2" in client_for("viewer").get("/search/?q=office").content
    # Accounts are visible to administrators only, in search as everywhere.
    assert b"/accounts/users/" not in client_for("viewer").get("/search/?q=liaison1").content
    assert b"/accounts/users/" in client_for("admin").get("/search/?q=liaison1").content
    assert client_for("viewer").get("/search/?q=" + "x" * 5000).status_code == 200


@pytest.mark.django_db
def test_bulk_edit_and_delete(client_for, offices, departments):
    client = client_for("staff")
    pks = [offices[0].pk, offices[2].pk]
    response = client.post("/org/departments/bulk-edit/", {"pk": pks})
    assert response.status_code == 200 and b"Edit 2 departments" in response.content
    response = client.post(
        "/org/departments/bulk-edit/", {"pk": pks, "apply": "1", "parent": departments["FIN"].pk}
    )
    assert response.status_code == 302
    assert set(Department.objects.filter(pk__in=pks).values_list("parent__code", flat=True)) == {
        "FIN"
    }
    entries = AuditEntry.objects.filter(action="update", object_id__in=[str(p) for p in pks])
    assert [e.via for e in entries] == ["bulk", "bulk"]
    assert len({e.request_id for e in entries}) == 1  # one request, one id
    response = client.post("/org/departments/bulk-edit/", {"pk": pks, "apply": "1"})
    assert response.status_code == 400 and b"Choose at least one value" in response.content
    response = client.post("/org/departments/bulk-delete/", {"pk": pks})
    assert b"Delete 2 departments?" in response.content
    assert Department.objects.filter(pk__in=pks).count() == 2  # nothing until confirmed
    assert (
        client.post("/org/departments/bulk-delete/", {"pk": pks, "confirm": "1"}).status_code == 302
    )
    assert not Department.objects.filter(pk__in=pks).exists()


@pytest.mark.django_db
def test_bulk_delete_is_all_or_nothing(client_for, offices, departments):
    # Public Works has sub-departments, so it cannot be deleted; neither is Office 0.
    client = client_for("staff")
    pks = [offices[0].pk, departments["PW"].pk]
    response = client.post("/org/departments/bulk-delete/", {"pk": pks, "confirm": "1"})
    assert response.status_code == 409
    assert Department.objects.filter(pk__in=pks).count() == 2


@pytest.mark.django_db
def test_bulk_actions_refuse_rows_the_person_may_not_change(client_for, departments):
    client = client_for("liaison")
    pks = [departments["PW"].pk, departments["FIN"].pk]
    assert (
        client.post(
            "/org/departments/bulk-edit/", {"pk": pks, "apply": "1", "employees": 3}
        ).status_code
        == 403
    )
    assert client.post("/org/departments/bulk-edit/", {"pk": ["x"]}).status_code == 403


@pytest.mark.django_db
def test_history_and_audit_log(client_for, users, departments):
    services.update(users["staff"], departments["PW"], {"employees": 250}, version=1)
    client = client_for("viewer")
    html = client.get(f"/org/departments/{departments['PW'].pk}/history/").content.decode()
    assert "staff1" in html and "250" in html
    html = rows_of(client.get(f"/audit/?actor={users['staff'].pk}"))
    assert "Public Works" in html and "Finance" not in html
    html = client.get("/audit/?after=2000-01-01&before=2000-01-02").content.decode()
    assert "0 entries" in html
    assert client.get("/audit/?after=not-a-date").status_code == 200
    entry = AuditEntry.objects.filter(action="update").first()
    html = client.get(f"/audit/{entry.pk}/").content.decode()
    assert "Employees" in html and entry.request_id in html
    # History outlives the record.
    services.delete(users["staff"], departments["FIN"])
    assert client.get(f"/org/departments/{departments['FIN'].pk}/history/").status_code == 200
    assert client.get("/org/departments/999999/history/").status_code == 404


@pytest.mark.django_db
def test_error_pages_are_styled(client_for):
    client = client_for("viewer")
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and b"Page not found" in response.content
    response = client.get("/org/departments/add/")
    assert response.status_code == 403 and b"You do not have access" in response.content


@pytest.mark.django_db
def test_server_error_page(client_for, settings):
    from django.test import RequestFactory

    from townhall.core.views import error_500

    response = error_500(RequestFactory().get("/"))
    assert response.status_code == 500 and b"Something went wrong" in response.content


@pytest.mark.django_db
def test_healthz():
    assert Client().get("/healthz").content == b"ok"


@pytest.mark.django_db
def test_api_schema_and_docs(client_for):
    client = client_for("viewer")
    schema = client.get("/api/schema/?format=json").json()
    assert "/api/org/departments/" in schema["paths"]
    assert client.get("/api/docs/").status_code == 200
    data = client.get("/api/org/departments/?q=fin").json()
    assert [row["code"] for row in data["results"]] == ["FIN"]


def test_api_schema_has_no_warnings(tmp_path):
    """Every record's schema components have distinct names (a clash silently merges two)."""
    from django.core.management import call_command

    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "CampaignAnalysisRequest:" in (tmp_path / "schema.yaml").read_text()


@pytest.mark.django_db
def test_account_history_is_for_administrators_only(client_for, users, departments):
    from townhall.accounts.services import create_user

    person = create_user(
        context.SYSTEM, username="newbie", role="viewer", password="a-long-passphrase-1"
    )
    entry = AuditEntry.objects.get(object_repr="newbie")
    for role in ("viewer", "staff"):
        assert b"newbie" not in client_for(role).get("/audit/").content
        assert b"newbie" not in client_for(role).get("/").content
        assert client_for(role).get(f"/audit/{entry.pk}/").status_code == 404
    assert b"newbie" in client_for("admin").get("/audit/").content
    assert person.pk


@pytest.mark.django_db
def test_bulk_with_nothing_selected_says_so(client_for):
    client = client_for("staff")
    for url in ("/org/departments/bulk-edit/", "/org/departments/bulk-delete/"):
        response = client.post(url, {}, follow=True)
        assert b"Select one or more departments first" in response.content


@pytest.mark.django_db
def test_bulk_edit_keeps_field_styles_and_offers_leave_unchanged(client_for, offices):
    response = client_for("staff").post("/org/departments/bulk-edit/", {"pk": [offices[0].pk]})
    html = response.content.decode()
    assert 'class="usa-select"' in html and "Leave unchanged" in html


@pytest.mark.django_db
def test_home_shows_only_what_the_person_may_open(client_for):
    assert b"/accounts/users/" not in client_for("staff").get("/").content
    assert b"/accounts/users/" in client_for("admin").get("/").content


@pytest.mark.django_db
def test_account_history_page_is_hidden_from_non_administrators(client_for, users):
    from townhall.accounts.services import create_user

    person = create_user(
        context.SYSTEM, username="hist", role="viewer", password="a-long-passphrase-1"
    )
    url = f"/accounts/users/{person.pk}/history/"
    assert client_for("staff").get(url).status_code == 404
    assert b"hist" in client_for("admin").get(url).content


@pytest.mark.django_db
def test_history_reads_in_plain_words(client_for, users, departments):
    services.update(users["staff"], departments["FIN"], {"parent": departments["PW"]}, version=1)
    html = (
        client_for("viewer")
        .get(f"/org/departments/{departments['FIN'].pk}/history/")
        .content.decode()
    )
    assert "Parent" in html and "Public Works" in html  # a name, not an id
    changes = html.split("<tbody>")[1].split("</tbody>")[0]
    assert "Version" not in changes and "version" not in changes


@pytest.mark.django_db
def test_conflict_shows_names_not_ids(client_for, users, departments):
    from townhall.org.tests.test_departments import TestDepartmentContract

    dept = departments["FIN"]
    form = TestDepartmentContract().edit_post(dept, departments)
    services.update(users["admin"], dept, {"parent": departments["PW"]}, version=1)
    response = client_for("staff").post(
        f"/org/departments/{dept.pk}/edit/", {**form, "notes": "mine"}
    )
    assert response.status_code == 409
    table = (
        response.content.decode().split("<caption>What changed meanwhile")[1].split("</table>")[0]
    )
    assert "Public Works" in table


@pytest.mark.django_db
def test_liaison_cannot_delete_their_own_department(client_for, departments):
    client = client_for("liaison")
    pw = departments["PW"]
    assert client.get(f"/org/departments/{pw.pk}/delete/").status_code == 403
    assert client.get(f"/org/departments/{pw.pk}/edit/").status_code == 200
