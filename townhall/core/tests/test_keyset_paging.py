"""The API's lists and the audit log are paged by key: each page starts after the last row
of the one before, so a deep page costs what the first does, and walking the pages visits
every row exactly once, forwards and back, even while rows are added."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from townhall.audit import views as audit_views
from townhall.audit.models import AuditEntry
from townhall.core import context, services
from townhall.core.paging import BadCursor, encode_cursor, key_order, keyset_page
from townhall.estate import models as m

ENTRY_LINK = re.compile(r'<th scope="row"><a href="/audit/(\d+)/">')
OLDER = re.compile(r'<a href="\?([^"]*)"[^>]*rel="next"')
NEWER = re.compile(r'<a href="\?([^"]*)"[^>]*rel="prev"')


def vendors(n: int, start: int = 0) -> None:
    """`n` vendors, half one at a time and half in one batch (whose audit entries may
    share their time: the log's order then rests on the id)."""
    for i in range(start, start + n // 2):
        services.create(context.SYSTEM, m.Vendor, {"name": f"Vendor {i:04d}"})
    rest = [{"name": f"Vendor {i:04d}"} for i in range(start + n // 2, start + n)]
    services.create_many(context.SYSTEM, m.Vendor, rest)


def api_walk(api: APIClient, url: str, link: str = "next") -> tuple[list[int], list[dict]]:
    """The ids on every page reached from `url` by following `link`, and each answer."""
    ids: list[int] = []
    answers = []
    while url:
        response = api.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        answers.append(body)
        ids.extend(row["id"] for row in body["results"])
        url = body[link]
    return ids, answers


def last_page_queries(api: APIClient, url: str) -> tuple[int, list[str]]:
    """Queries of the last page reached by following `next` from `url`."""
    _, answers = api_walk(api, url)
    deepest = answers[-2]["next"]
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(deepest).status_code == 200
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


@pytest.mark.django_db
def test_api_pages_by_cursor_every_row_once_forwards_and_back(users):
    vendors(23)
    api = APIClient()
    api.force_authenticate(users["viewer"])
    everyone = list(m.Vendor.objects.order_by("pk").values_list("pk", flat=True))
    forwards, answers = api_walk(api, "/api/estate/vendors/?page_size=5")
    assert forwards == everyone and len(answers) == 5
    assert all(a["count"] == 23 for a in answers) and answers[0]["previous"] is None
    assert "cursor=" in answers[0]["next"] and "page=" not in answers[0]["next"]
    # From the last page back to the first.
    back, _ = api_walk(api, answers[-1]["previous"], link="previous")
    assert sorted(back) == everyone[:20] and len(set(back)) == 20
    # A row added while someone pages shifts nothing: it comes once, where it belongs.
    third = answers[1]["next"]
    vendors(2, start=500)
    rest, _ = api_walk(api, third)
    assert forwards[:10] + rest == list(
        m.Vendor.objects.order_by("pk").values_list("pk", flat=True)
    )


@pytest.mark.django_db
def test_api_deep_page_costs_the_same_whatever_the_list_holds(users):
    api = APIClient()
    api.force_authenticate(users["viewer"])
    vendors(12)
    few, _ = last_page_queries(api, "/api/estate/vendors/?page_size=5")
    vendors(120, start=100)
    many, sql = last_page_queries(api, "/api/estate/vendors/?page_size=5")
    assert many == few
    assert not [q for q in sql if "OFFSET" in q]  # nothing read only to be skipped


@pytest.mark.django_db
def test_api_page_numbers_and_bad_cursors(users):
    vendors(12)
    api = APIClient()
    api.force_authenticate(users["viewer"])
    numbered = api.get("/api/estate/vendors/?page=2&page_size=5").json()
    assert "page=3" in numbered["next"] and numbered["count"] == 12
    assert [r["name"] for r in numbered["results"]] == [f"Vendor {i:04d}" for i in range(5, 10)]
    for cursor in ("nonsense", encode_cursor(["x"], False), encode_cursor([1, 2], False)):
        response = api.get(f"/api/estate/vendors/?cursor={cursor}")
        assert response.status_code == 404 and "cursor" in response.json()["detail"]
    # The browsable API pages by key too (it draws no numbered page controls then).
    browsed = api.get("/api/estate/vendors/?page_size=5", HTTP_ACCEPT="text/html")
    assert browsed.status_code == 200 and "cursor=" in browsed.content.decode()


def audit_walk(client, url: str, link: re.Pattern) -> tuple[list[int], list[str]]:
    ids: list[int] = []
    pages = []
    while url is not None:
        page = client.get(url).content.decode()
        pages.append(url)
        ids.extend(int(pk) for pk in ENTRY_LINK.findall(page))
        found = link.search(page)
        url = "/audit/?" + html.unescape(found.group(1)) if found else None
    return ids, pages


@pytest.mark.django_db
def test_audit_log_visits_every_entry_once_newest_first(users, client_for, monkeypatch):
    monkeypatch.setattr(audit_views, "PER_PAGE", 7)
    vendors(40)
    client = client_for("staff")
    everyone = list(AuditEntry.objects.restrict(users["staff"]).values_list("pk", flat=True))
    older, pages = audit_walk(client, "/audit/", OLDER)
    assert older == everyone and len(everyone) >= 40
    newer, _ = audit_walk(client, pages[-1], NEWER)
    assert sorted(newer) == sorted(everyone) and len(newer) == len(everyone)
    # Filters stay in the links.
    created, _ = audit_walk(client, "/audit/?action=create", OLDER)
    assert created == list(AuditEntry.objects.filter(action="create").values_list("pk", flat=True))
    # An old numbered address or a cut cursor shows the newest entries.
    first = ENTRY_LINK.findall(client.get("/audit/").content.decode())
    assert ENTRY_LINK.findall(client.get("/audit/?page=3").content.decode()) == first
    assert ENTRY_LINK.findall(client.get("/audit/?cursor=abc").content.decode()) == first


def audit_last_page_queries(client) -> tuple[int, list[str]]:
    _, pages = audit_walk(client, "/audit/", OLDER)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(pages[-1]).status_code == 200
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


@pytest.mark.django_db
def test_audit_log_deep_page_costs_the_same_whatever_the_log_holds(client_for, monkeypatch):
    monkeypatch.setattr(audit_views, "PER_PAGE", 5)
    client = client_for("staff")
    vendors(12)
    few, _ = audit_last_page_queries(client)
    vendors(150, start=100)
    many, sql = audit_last_page_queries(client)
    assert many == few
    entries = [q for q in sql if 'FROM "audit_auditentry"' in q]
    assert entries and not [q for q in entries if "OFFSET" in q]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/audit/", "/records/", "/api/audit/entries/"])
def test_audit_entries_are_read_in_the_logs_order_without_a_sort(client_for, url):
    """The entries' query reads the log through its (at, id) index: joining the kinds of
    record made SQLite start from them and sort the whole log for every page (200 ms at
    500,000 entries). The kinds come from Django's cache instead, and still show."""
    client = client_for("staff")
    vendors(4)
    with CaptureQueriesContext(connection) as ctx:
        answer = client.get(url)
    assert answer.status_code == 200
    if url != "/api/audit/entries/":  # the API names the kind by its label
        assert "Vendor: Vendor 0003" in answer.content.decode()
    entries = [q["sql"] for q in ctx.captured_queries if 'FROM "audit_auditentry"' in q["sql"]]
    read = [q for q in entries if "ORDER BY" in q and "COUNT(" not in q and "EXISTS" not in q]
    assert read and not [q for q in read if "django_content_type" in q]
    if connection.vendor == "sqlite":
        for sql in read:
            with connection.cursor() as cursor:
                plan = cursor.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
            assert not [row for row in plan if "TEMP B-TREE" in row[-1]], plan


@pytest.mark.django_db
def test_audit_api_pages_by_cursor(users):
    vendors(16)
    api = APIClient()
    api.force_authenticate(users["viewer"])
    ids, answers = api_walk(api, "/api/audit/entries/?page_size=6")
    assert ids == list(AuditEntry.objects.restrict(users["viewer"]).values_list("pk", flat=True))
    assert len(answers) > 2 and "cursor=" in answers[0]["next"]


@pytest.mark.django_db
def test_orders_that_cannot_be_paged_by_key():
    assert key_order(m.Vendor.objects.order_by("pk")) == [("id", False)]
    assert key_order(AuditEntry.objects.all()) == [("at", True), ("id", True)]
    assert key_order(m.Vendor.objects.order_by("name")) is None  # no unique end
    assert key_order(m.Component.objects.order_by("install_date", "pk")) is None  # NULLs
    assert key_order(m.Component.objects.order_by("owner_department__name", "pk")) is None
    with pytest.raises(ValueError):
        keyset_page(m.Vendor.objects.order_by("name"), 5, None)
    with pytest.raises(BadCursor):
        keyset_page(m.Vendor.objects.order_by("pk"), 5, encode_cursor([None], False))
