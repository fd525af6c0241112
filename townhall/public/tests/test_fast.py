"""Fast and small: public pages are kept ready per address and language, and a kept page
is never served after a change to what it shows; each public page is under 100 KB."""

import re

import pytest
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from townhall.core import context, services
from townhall.core.context import SYSTEM
from townhall.public import kinds, page_cache, publishing
from townhall.public.tests import samples

LIMIT = 100_000


def _rename(record, field: str, value: str) -> None:
    record.refresh_from_db()
    with context.acting("system"):
        services.update(SYSTEM, record, {field: value}, version=record.version)


@pytest.mark.django_db
def test_a_kept_page_is_served_until_what_it_shows_changes(
    departments, django_capture_on_commit_callbacks
):
    record = samples.make("ai_use_case")
    samples.publish("ai_use_case", ["owner_department", "stage"])
    listing = reverse("public:list", args=["ai-use-cases"])
    english, spanish = Client(), Client(headers={"accept-language": "es"})
    assert b"Zqtitle plate readers" in english.get(listing).content
    with CaptureQueriesContext(connection) as queries:
        again = english.get(listing)
    assert again.status_code == 200 and b"Zqtitle plate readers" in again.content
    assert len(queries) == 0  # served as kept
    assert again["Content-Language"] == "en" and "Accept-Language" in again["Vary"]
    assert b"Ir al contenido principal" in spanish.get(listing).content  # kept per language
    assert b"Skip to main content" in english.get(listing).content

    _rename(record, "name", "Zqrenamed cameras")  # the record
    assert b"Zqrenamed cameras" in english.get(listing).content
    assert b"Zqrenamed cameras" in spanish.get(listing).content
    _rename(record.owner_department, "name", "Zqnew department")  # a record a field reaches
    assert b"Zqnew department" in english.get(listing).content
    samples.publish("ai_use_case", ["owner_department", "stage"], published=False)  # what is public
    assert english.get(listing).status_code == 404
    assert b"Zqrenamed" not in english.get(reverse("public:home")).content

    # The token changes as the write happens and again once it commits, so a page drawn
    # from the old records in between is filed where no one looks.
    with django_capture_on_commit_callbacks(execute=True):
        _rename(record, "name", "Zqagain")
        during = page_cache.version()
    assert page_cache.version() != during
    assert {"registers.AIUseCase", "org.Department", "estate.Vendor", "public.Publication"} <= (
        page_cache.read_models()
    )


def test_a_page_with_a_form_token_is_never_kept():
    drawn = []

    @page_cache.kept
    def view(request: HttpRequest) -> HttpResponse:
        drawn.append(1)
        return HttpResponse(f"<form>{get_token(request)}</form>")

    for _ in range(2):
        view(RequestFactory().get("/public/form/"))
    assert len(drawn) == 2


@pytest.mark.django_db
def test_each_public_page_is_under_100_kb(departments):
    records = {kind.key: samples.make(kind.key) for kind in kinds.all_kinds()}
    for kind in kinds.all_kinds():
        samples.publish(kind.key, list(kind.field_names))
    visitor = Client(headers={"accept-language": "es"})  # Spanish runs the longer
    for kind in kinds.all_kinds():
        listing = visitor.get(reverse("public:list", args=[kind.slug])).content
        # A full list page: the one row there, as if there were a page of them.
        row = re.search(rb"<tr>\s*<th scope=\"row\">.*?</tr>", listing, re.S)
        assert row is not None
        full = len(listing) + (publishing.PER_PAGE - 1) * len(row.group(0))
        assert full < LIMIT, (kind.slug, full)
        detail = visitor.get(reverse("public:detail", args=[kind.slug, records[kind.key].pk]))
        assert len(detail.content) < LIMIT, kind.slug
    for address in (reverse("public:home"), reverse("public:search") + "?q=Zq"):
        assert len(visitor.get(address).content) < LIMIT, address
