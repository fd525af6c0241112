"""Search is one filter (`q`) of each record's filter set, shared by every door.

The list page, its export (inline and in the background) and the API read `q` through the
same filter, so the same text finds the same rows everywhere, and only rows the person may
see: the filter narrows what `restrict()` gives, never widens it."""

import csv
import io
import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from townhall.core import context, registry, services
from townhall.core.filters import SearchFilter
from townhall.estate import models as m
from townhall.jobs.models import Job

ROW_LINK = re.compile(r'<th scope="row"><a href="/[a-z-]+/[a-z-]+/(\d+)/">')


def page_ids(client: Client, url: str, q: str) -> list[int]:
    html = client.get(url, {"q": q, "per_page": 100}).content.decode()
    return [int(pk) for pk in ROW_LINK.findall(html)]


def api_ids(user, url: str, q: str) -> list[int]:
    api = APIClient()
    api.force_authenticate(user)
    body = api.get(url, {"q": q, "page_size": 500}).json()
    return [row["id"] for row in body["results"]]


def first_column(body: str) -> list[str]:
    return [row[0] for row in list(csv.reader(io.StringIO(body)))[1:]]


def export_names(client: Client, url: str, q: str) -> list[str]:
    response = client.get(url, {"q": q, "export": "csv"})
    return first_column(b"".join(response.streaming_content).decode("utf-8-sig"))


def background_export_names(client: Client, url: str, q: str, settings) -> list[str]:
    settings.EXPORT_INLINE_LIMIT = 0
    response = client.get(url, {"q": q, "export": "csv"})
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    download = client.get(f"/jobs/{job.pk}/download/")
    settings.EXPORT_INLINE_LIMIT = 5000
    return first_column(b"".join(download.streaming_content).decode("utf-8-sig"))


def every_door(user, resource: registry.Resource, q: str, settings) -> dict[str, set[str]]:
    """The names each door finds for `q`, as `user`."""
    client = Client()
    client.force_login(user)
    page = f"/{resource.app_label}/{resource.url_prefix}/"
    api = f"/api/{resource.app_label}/{resource.url_prefix}/"
    names = dict(resource.model._default_manager.values_list("pk", resource.search_fields[0]))
    return {
        "page": {names[pk] for pk in page_ids(client, page, q)},
        "api": {names[pk] for pk in api_ids(user, api, q)},
        "export": set(export_names(client, page, q)),
        "background export": set(background_export_names(client, page, q, settings)),
    }


@pytest.mark.django_db
def test_page_api_and_export_find_the_same_rows(users, settings):
    made = {
        "srv-app-01": {},
        "db host": {"manufacturer": "SRV Systems"},  # found by another search field
        "rack 4": {"asset_tag": "TAG-srv-9"},
        "switch": {"manufacturer": "Cisco"},  # not found
        "  srv  ": {"model_number": "x"},
    }
    for name, values in made.items():
        services.create(context.SYSTEM, m.Component, {"name": name, **values})
    resource = registry.for_model(m.Component)
    found = every_door(users["viewer"], resource, "  SRV ", settings)
    expected = {"srv-app-01", "db host", "rack 4", "  srv  "}
    assert {door: rows for door, rows in found.items()} == dict.fromkeys(found, expected)
    # No text: every row, on every door alike.
    found = every_door(users["viewer"], resource, "", settings)
    assert all(rows == set(made) for rows in found.values()), found


@pytest.mark.django_db
def test_search_finds_only_rows_the_person_may_see(users, departments, settings):
    """Another department's draft proposal matches the text, yet no door shows it to a
    liaison, while IT staff find it everywhere."""
    from townhall.governance import models as gm
    from townhall.governance.tests import test_records as proposals

    hidden, shared = proposals.TestProposalContract().private_rows(departments, n=41)
    resource = registry.for_model(gm.Proposal)
    assert hidden.title.startswith("Request") and shared.title.startswith("Request")
    liaison = every_door(users["liaison"], resource, "request", settings)
    assert all(rows == {shared.title} for rows in liaison.values()), liaison
    staff = every_door(users["staff"], resource, "request", settings)
    assert all(rows == {hidden.title, shared.title} for rows in staff.values()), staff


@pytest.mark.django_db
def test_the_api_schema_documents_q_on_every_searchable_list(users):
    api = APIClient()
    api.force_authenticate(users["viewer"])
    schema = api.get("/api/schema/?format=json").json()
    for resource in registry.all_resources():
        path = f"/api/{resource.app_label}/{resource.url_prefix}/"
        params = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
        if resource.search_fields:
            assert params["q"]["schema"]["type"] == "string", path
            assert "case-insensitive" in params["q"]["description"], path
        else:  # nothing to search: the API offers no search that finds everything
            assert "q" not in params, path


def test_every_record_filter_set_holds_its_search():
    """Built once, by the registry: every resource with search fields has `q` first."""
    for resource in registry.all_resources():
        search = resource.filterset.base_filters.get("q")
        if resource.search_fields:
            assert isinstance(search, SearchFilter) and search.fields == tuple(
                resource.search_fields
            )
            assert next(iter(resource.filterset.base_filters)) == "q", resource.key
        else:
            assert search is None, resource.key
