"""No page or API call answers 500, whatever is typed into the address or a form."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from townhall.core import registry

# One value of each kind that has broken a page somewhere: too big a number, a negative,
# text for a number, SQL, very long non-ASCII text, a LIKE wildcard, an impossible date,
# JSON, and a superscript digit (str.isdigit says yes, int() refuses it).
NASTY = [
    "99999999999999999999999999",
    "-1",
    "abc",
    "' OR 1=1 --",
    "ü" * 3000,
    "%",
    "2026-13-45",
    "[]",
    "²",
]
# NUL characters in an address are refused before any view by RejectNullCharactersMiddleware
# (tested on its own below); in a body they reach the write path, so bodies get them too.
IN_BODIES = [*NASTY, "\x00", "a\x00b"]


def signed_in(users) -> tuple[Client, APIClient]:
    client = Client(raise_request_exception=False)
    client.force_login(users["staff"])
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(users["staff"])
    return client, api


def api_filters_never_answer_500(api: APIClient, url: str, filters: list[str], value: str) -> None:
    """Every filter at once; those the API refuses (400, by name) are left out and the rest
    sent again, until the API answers the rest: each filter is then either refused or has run
    its query, in a few requests rather than one per filter."""
    left = list(filters)
    while left:
        response = api.get(url, {name: value for name in left})
        assert response.status_code < 500, (url, left, value)
        body = response.json() if response.status_code == 400 else None
        refused = set(body).intersection(left) if isinstance(body, dict) else set()
        if not refused:
            return
        left = [name for name in left if name not in refused]


def _keys() -> list[str]:
    return sorted(r.key for r in registry.all_resources())


@pytest.mark.django_db
@pytest.mark.parametrize("key", _keys())
def test_pages_and_api_never_answer_500(users, departments, key):
    """One case per resource, so the suite's parallel workers share them out.

    A list page reads every filter it can and shows the rest as refused, so one address
    carrying a value in every filter runs each filter's reading and its query together; the
    page's own parameters (sort, page, size, export) go in a second address. The API refuses
    a request whose filters it cannot all read, naming them: see
    `api_filters_never_answer_500`."""
    client, api = signed_in(users)
    resource = next(r for r in registry.all_resources() if r.key == key)
    list_url = reverse(resource.url_name("list"))
    api_url = f"/api/{resource.app_label}/{resource.url_prefix}/"
    filters = list(dict.fromkeys([*resource.filterset.base_filters, "q"]))
    page_params = ["sort", "page", "per_page", "export"]
    for value in NASTY:
        for query in ({name: value for name in filters}, {name: value for name in page_params}):
            response = client.get(list_url, query)
            assert response.status_code < 500, (list_url, query)
        api_filters_never_answer_500(api, api_url, filters, value)
        for name in page_params:
            response = api.get(api_url, {name: value})
            assert response.status_code < 500, (api_url, name, value)
        for url in (f"{list_url}{value}/", f"{api_url}{value}/", f"{list_url}{value}/edit/"):
            assert client.get(url).status_code < 500, url
    for value in IN_BODIES:
        assert (
            api.patch(
                f"{api_url}{departments['PW'].pk}/",
                {"name": value, "version": value},
                format="json",
            ).status_code
            < 500
        )
        assert (
            client.post(
                reverse(resource.url_name("add")), {"name": value, "code": value}
            ).status_code
            < 500
        )
    assert api.post(api_url, "not json", content_type="application/json").status_code == 400


@pytest.mark.django_db
def test_search_audit_jobs_and_sign_in_never_answer_500(users):
    client, _ = signed_in(users)
    for value in NASTY:
        for url in ("/search/", "/audit/", "/jobs/"):
            for name in ("q", "actor", "content_type", "after", "request_id", "page"):
                assert client.get(url, {name: value}).status_code < 500, (url, name, value)
    for value in IN_BODIES:
        assert (
            client.post(
                reverse("accounts:login"), {"username": value, "password": value}
            ).status_code
            < 500
        )


@pytest.mark.django_db
def test_nul_characters_in_the_address_are_a_clear_400(client_for):
    response = client_for("viewer").get("/org/departments/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert b"NUL character" in response.content
