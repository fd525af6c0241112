"""The public site's pages: open to everyone, only what is published, in the visitor's
language; choosing what is public is an administrator's, on the write path."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from townhall.audit.models import AuditEntry
from townhall.core import context, services
from townhall.public.models import Publication
from townhall.public.tests import samples


@pytest.mark.django_db
def test_only_an_administrator_chooses_and_the_choice_is_audited(departments, users):
    page = reverse("publishing:choose")
    staff = Client()
    staff.force_login(users["staff"])
    assert staff.get(page).status_code == 403
    assert staff.post(page, {"kind": "ai_use_case", "published": "on"}).status_code == 403
    assert not Publication.objects.exists()

    admin = Client()
    admin.force_login(users["admin"])
    assert admin.get(page).status_code == 200
    answer = admin.post(
        page, {"kind": "ai_use_case", "published": "on", "fields": ["purpose", "nonsense"]}
    )
    assert answer.status_code == 302
    chosen = Publication.objects.get(kind="ai_use_case")
    assert chosen.published and chosen.fields == ["purpose"]  # an unknown name is dropped
    assert AuditEntry.objects.filter(object_id=str(chosen.pk)).exists()

    changed = admin.post(page, {"kind": "ai_use_case", "version": "1", "fields": ["stage"]})
    assert changed.status_code == 302
    assert Publication.objects.get(kind="ai_use_case").fields == ["stage"]
    refused = admin.post(page, {"kind": "ai_use_case", "version": "1"})
    assert refused.status_code == 400 and b"Someone changed" in refused.content
    assert admin.post(page, {"kind": "no_such_kind"}).status_code == 400


@pytest.mark.django_db
def test_the_public_pages_answer_everyone_and_show_only_what_is_published(departments):
    record = samples.make("ai_use_case")
    visitor = Client()
    home = reverse("public:home")
    listing = reverse("public:list", args=["ai-use-cases"])
    assert b"Nothing has been published" in visitor.get(home).content
    assert visitor.get(listing).status_code == 404

    samples.publish("ai_use_case", ["purpose", "stage"])
    page = visitor.get(listing)
    assert page.status_code == 200 and b"Zqtitle plate readers" in page.content
    assert b"Deployed" in page.content  # a choice in words
    assert b"Zqpurpose" not in page.content  # long text only on the record's page
    detail = visitor.get(reverse("public:detail", args=["ai-use-cases", record.pk]))
    assert b"Zqpurpose" in detail.content and b"Zqoversight" not in detail.content

    download = visitor.get(reverse("public:csv", args=["ai-use-cases"]))
    rows = list(csv.reader(io.StringIO(b"".join(download).decode("utf-8-sig"))))
    assert rows[0] == ["Name", "Purpose and benefits", "Stage"]
    assert rows[1][0] == "Zqtitle plate readers"

    feed = visitor.get(reverse("public:feed", args=["ai-use-cases"]))
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert b"Zqtitle plate readers" in feed.content

    for bad in ("?page=0", "?page=99", "?page=x", "?page=99999999999"):
        assert visitor.get(listing + bad).status_code in (200, 404)
    assert visitor.get(reverse("public:search") + "?q=" + "x" * 5000).status_code == 200


@pytest.mark.django_db
def test_a_formula_in_a_record_reaches_the_download_as_text(departments):
    record = samples.make("ai_use_case")
    with context.acting("system"):
        services.update(context.SYSTEM, record, {"name": "=HYPERLINK(1)"}, version=record.version)
    samples.publish("ai_use_case", [])
    body = b"".join(Client().get(reverse("public:csv", args=["ai-use-cases"]))).decode()
    assert "'=HYPERLINK(1)" in body and "\n=HYPERLINK" not in body


@pytest.mark.django_db
def test_the_visitor_chooses_spanish_and_it_is_remembered():
    visitor = Client()
    chosen = visitor.get(reverse("public:language", args=["es"]) + "?next=/public/search/")
    assert chosen.status_code == 302 and chosen["Location"] == "/public/search/"
    page = visitor.get("/public/search/")
    assert page["Content-Language"] == "es" and b'<html lang="es">' in page.content
    assert "Cookie" in page["Vary"]
    away = visitor.get(reverse("public:language", args=["en"]) + "?next=https://evil.example/")
    assert away["Location"] == "/public/"
    browser = Client(headers={"accept-language": "es-MX,es;q=0.9"})
    assert browser.get("/public/")["Content-Language"] == "es"


@pytest.mark.django_db
def test_a_superscript_digit_is_refused_not_a_server_error(departments, users):
    """A superscript "²" passes str.isdigit and breaks int(): every number the public and
    publishing pages read is read with isdecimal."""
    samples.make("ai_use_case")
    samples.publish("ai_use_case", [])
    visitor = Client()
    assert visitor.get(reverse("public:list", args=["ai-use-cases"]) + "?page=²").status_code == 200
    admin = Client()
    admin.force_login(users["admin"])
    answer = admin.post(reverse("publishing:choose"), {"kind": "ai_use_case", "version": "²"})
    assert answer.status_code in (302, 400)
    staff = Client()
    staff.force_login(users["staff"])
    for page, data in (
        (
            "publishing:windows",
            {"target_kind": "proposal", "target_id": "²", "opens": "", "closes": ""},
        ),
        ("publishing:moderation", {"action": "publish", "input": "²", "version": "²"}),
        ("publishing:statements", {"topic": "cyber", "version": "²"}),
    ):
        assert staff.post(reverse(page), data).status_code < 500, page
