"""The practice library: what the hub keeps (checked files, consent, licence), what members
find (by text and priority, never a withdrawn document), who may withdraw, and the member's
page talking to the hub through a fake transport that routes to the hub's views."""

import base64
import datetime
import io
import time
import zipfile

import pytest
from django.test import Client

from townhall.core import context, services
from townhall.exchange import client, library, protocol
from townhall.exchange import client as library_client
from townhall.exchange.models import HubMember, PracticeDocument
from townhall.exchange.tests import members

TODAY = datetime.date(2026, 12, 7)
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return out.getvalue()


def request_doc(**changes):
    doc = {
        "title": "Incident response plan",
        "kind": "plan",
        "summary": "Who calls whom in the first hour of a ransomware attack.",
        "priorities": ["cyber_prevention"],
        "licence": "CC-BY-4.0",
        "consent": {"name": "Dana Reyes", "title": "County Administrator", "day": "2026-12-01"},
        "shown_as": "jurisdiction",
        "file_name": "plan.pdf",
        "file": base64.b64encode(PDF).decode(),
    }
    return doc | changes


# --- the rules, on their own -------------------------------------------------------------


def test_a_file_must_be_what_its_name_says():
    assert library.check_file("plan.pdf", PDF) == "pdf"
    assert library.check_file("job.docx", _docx()) == "docx"
    assert library.check_file("notes.md", "# Notes — plain words".encode()) == "md"
    for name, data, words in [
        ("plan.pdf", b"MZ\x90\x00 a program", "the content is none"),
        ("job.docx", PDF, "the content is PDF"),
        ("sheet.xlsx", _docx(), "the content is Word"),
        ("notes.txt", b"\x00\x01binary", "none of the kinds"),
        ("tool.exe", PDF, "must end in one of"),
        ("plan.pdf", b"", "empty"),
    ]:
        with pytest.raises(library.Refused, match=words):
            library.check_file(name, data)


def test_consent_and_the_rest_are_required_with_reasons():
    assert (
        library.check_share(request_doc(), TODAY).sha256 == library.hashlib.sha256(PDF).hexdigest()
    )
    cases = [
        ({"consent": None}, "consent: required"),
        ({"consent": {"name": "Dana", "title": "", "day": "2026-12-01"}}, "consent title"),
        ({"consent": {"name": "Dana", "title": "CA", "day": "2027-01-01"}}, "future"),
        ({"priorities": []}, "priorities"),
        ({"priorities": ["world_peace"]}, "priorities"),
        ({"licence": "GPL-3.0"}, "licence"),
        ({"file": "not base64!"}, "base64"),
        ({"file_name": "plan.docx"}, "the name says Word"),
    ]
    for change, words in cases:
        with pytest.raises(library.Refused, match=words):
            library.check_share(request_doc(**change), TODAY)


def test_the_size_is_bounded(monkeypatch):
    monkeypatch.setattr(library, "MAX_FILE", 100)
    big = base64.b64encode(PDF + b" " * 200).decode()
    with pytest.raises(library.Refused, match="at most"):
        library.check_share(request_doc(file=big), TODAY)


# --- the hub's API -----------------------------------------------------------------------

KEYS = {"m-1": protocol.new_private_key(), "m-2": protocol.new_private_key()}


@pytest.fixture
def hub(db, settings):
    settings.EXCHANGE_HUB = True
    with context.acting("cli"):
        for member_id, name in (("m-1", "Juniper County"), ("m-2", "Cedar City")):
            services.create(
                context.SYSTEM,
                HubMember,
                {
                    "member_id": member_id,
                    "name": name,
                    "public_key": protocol.public_key(KEYS[member_id]),
                    "kind": "county",
                    "population_band": "pop_100k_250k",
                    "region": "south",
                    "budget_band": "budget_250m_1b",
                },
            )


def api(method, path, member="m-1", doc=None):
    """A signed request to the hub's library API, answered by its views."""
    body = protocol.canonical(doc) if doc is not None else b""
    full = "/hub/api/" + path
    headers = protocol.request_headers(KEYS[member], member, method, full, body, time.time())
    answer = Client().generic(method, full, body, content_type="application/json", headers=headers)
    return answer.status_code, answer.json() if answer["Content-Type"].endswith("json") else None


def test_share_then_find_by_priority_and_text(hub):
    status, shared = api("POST", protocol.LIBRARY, doc=request_doc())
    assert status == 201, shared
    api(
        "POST",
        protocol.LIBRARY,
        "m-2",
        request_doc(
            title="Help desk analyst",
            kind="job_description",
            priorities=["cyber_staffing"],
            shown_as="member",
            summary="",
        ),
    )

    def titles(query, member="m-1"):
        status, answer = api("GET", protocol.LIBRARY + "?" + query, member)
        assert status == 200, answer
        return [d["title"] for d in answer["documents"]]

    assert titles("priority=cyber_staffing") == ["Help desk analyst"]
    assert titles("q=RANSOMWARE") == ["Incident response plan"]
    assert titles("kind=plan&priority=cyber_staffing") == []
    _, answer = api("GET", protocol.LIBRARY, "m-2")
    by_title = {d["title"]: d for d in answer["documents"]}
    assert by_title["Incident response plan"]["shared_by"] == "Juniper County"
    assert by_title["Help desk analyst"]["shared_by"] == "A member"
    assert "file" not in by_title["Help desk analyst"] and "consent_name" not in str(answer)
    status, answer = api("GET", f"{protocol.LIBRARY}{shared['id']}/file/", "m-2")
    assert base64.b64decode(answer["file"]) == PDF
    assert api("GET", protocol.LIBRARY + "?priority=nope")[0] == 400
    assert api("POST", protocol.LIBRARY, doc=request_doc(consent={}))[0] == 400


def test_only_the_sharer_withdraws_and_a_withdrawn_document_is_gone(hub):
    _, shared = api("POST", protocol.LIBRARY, doc=request_doc())
    withdraw = f"{protocol.LIBRARY}{shared['id']}/withdraw/"
    status, answer = api("POST", withdraw, "m-2")
    assert status == 403 and "Only the member" in answer["detail"]
    assert not PracticeDocument.objects.get().withdrawn
    assert api("POST", withdraw, "m-1")[0] == 200
    assert api("GET", protocol.LIBRARY)[1]["documents"] == []
    assert api("GET", f"{protocol.LIBRARY}{shared['id']}/file/")[0] == 404
    assert api("POST", withdraw, "m-1")[0] == 404
    assert api("GET", f"{protocol.LIBRARY}99999999999999999/file/")[0] == 404


# --- the member's page, through a transport routed to the hub's views ----------------------


routed = members.routed


@pytest.fixture
def member(hub):
    return members.joined_profile("m-1", KEYS["m-1"])


def test_the_member_page_shares_searches_and_downloads(member, users, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    form = {
        "title": "Board technology policy",
        "kind": "policy",
        "summary": "How the board decides on technology money.",
        "priorities": ["governance"],
        "licence": "members-only",
        "consent_name": "Dana Reyes",
        "consent_title": "County Administrator",
        "consent_day": "2026-12-01",
        "shown_as": "member",
    }
    with client_transport():
        client.force_login(users["viewer"])
        assert client.post("/exchange/library/", form).status_code == 403
        client.force_login(users["manager"])
        refused = client.post(
            "/exchange/library/", form | {"file": SimpleUploadedFile("p.pdf", PDF)}
        )
        assert refused.status_code == 400 and b"tick the box" in refused.content
        fake = SimpleUploadedFile("policy.pdf", b"MZ\x90\x00 a program")
        refused = client.post("/exchange/library/", form | {"consent_given": "yes", "file": fake})
        assert b"the content is none" in refused.content
        upload = SimpleUploadedFile("policy.pdf", PDF)
        sent = client.post("/exchange/library/", form | {"consent_given": "yes", "file": upload})
        assert sent.status_code == 302 and "/jobs/" in sent["Location"]
        doc = PracticeDocument.objects.get()
        assert (doc.consent_name, doc.shown_as, doc.file_type) == ("Dana Reyes", "member", "pdf")

        client.force_login(users["viewer"])
        page = client.get("/exchange/library/?priority=governance&q=board")
        assert b"Board technology policy" in page.content and b"Members only" in page.content
        assert (
            b"Board technology policy"
            not in client.get("/exchange/library/?priority=modernization").content
        )
        assert b"Share a document" not in page.content
        got = client.get(f"/exchange/library/{doc.pk}/download/")
        assert got.status_code == 200 and got.content == PDF
        assert got["Content-Type"] == "application/pdf"
        assert got["Content-Disposition"] == 'attachment; filename="policy.pdf"'
        assert client.get("/exchange/library/²/download/").status_code == 404

        client.force_login(users["admin"])
        assert b"Dana Reyes" in client.get("/hub/library/").content
        withdrawn = client.post("/hub/library/", {"document": doc.pk}, follow=True)
        assert b"was withdrawn" in withdrawn.content
        assert b"Board technology policy" not in client.get("/exchange/library/").content
        assert client.get(f"/exchange/library/{doc.pk}/download/").status_code == 404
    with library_client.use_transport(lambda *args: (200, b'{"documents": 5}')):
        odd = client.get("/exchange/library/")
        assert odd.status_code == 200 and b"not a list" in odd.content


def client_transport():
    return client.use_transport(routed)


def test_the_member_withdraws_only_what_it_shared_and_searches_briefly(member, users, client):
    _, own = api("POST", protocol.LIBRARY, doc=request_doc())
    api("POST", protocol.LIBRARY, "m-2", request_doc(title="Help desk analyst"))
    waits = []

    def timed(*args):
        waits.append(library_client._timeout.get())
        return routed(*args)

    client.force_login(users["manager"])
    with library_client.use_transport(timed):
        page = client.get("/exchange/library/").content.decode()
        # One button: the hub marks this member's own document, not the other's.
        assert page.count(">Withdraw<") == 1 and f'value="{own["id"]}"' in page
        client.force_login(users["viewer"])
        assert client.post("/exchange/library/", {"withdraw": own["id"]}).status_code == 403
        client.force_login(users["manager"])
        assert client.post("/exchange/library/", {"withdraw": "x"}).status_code == 404
        sent = client.post("/exchange/library/", {"withdraw": own["id"]})
        assert sent.status_code == 302 and "/jobs/" in sent["Location"]
    assert PracticeDocument.objects.get(pk=own["id"]).withdrawn
    # The search a person waits on is short; the job waits the default.
    assert waits == [10, library_client.TIMEOUT]
