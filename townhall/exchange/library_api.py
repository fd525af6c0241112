"""The hub's practice library API (signed, `protocol.LIBRARY`): a member shares a document,
searches the library, fetches a file, withdraws its own. Answers only on a hub
(`settings.EXCHANGE_HUB`); a withdrawn document is never listed nor served."""

import base64
import datetime
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from townhall.core import context, services
from townhall.core.http import whole_number
from townhall.exchange import library, protocol
from townhall.exchange.hub_auth import signed_member
from townhall.exchange.models import HubMember, PracticeDocument
from townhall.exchange.priorities import PRIORITIES

MAX_QUERY = 200  # characters of search text
MAX_RESULTS = 100
_KIND_LABELS = dict(library.KINDS)
_PRIORITY_LABELS = {p.key: p.label for p in PRIORITIES}

View = Callable[..., JsonResponse]  # (request, member, **address parts)


def _error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def _endpoint(method: str, max_body: int = 0) -> Callable[[View], Callable[..., JsonResponse]]:
    """Hub only, one method, bounded body, signed by an active member (the signature is the
    permission: no session, so no CSRF)."""

    def wrap(view: View) -> Callable[..., JsonResponse]:
        @csrf_exempt
        @login_not_required
        def inner(request: HttpRequest, **kwargs: Any) -> JsonResponse:
            if not settings.EXCHANGE_HUB:
                return _error(404, "This Townhall is not an exchange hub.")
            if request.method != method:
                return _error(405, f"Use {method}.")
            length = whole_number(request.headers.get("Content-Length") or "0", 9)
            if length is None or length > max_body:
                return _error(413, f"The body must be at most {max_body} bytes.")
            try:
                member = signed_member(request)
            except protocol.BadSignature as exc:
                return _error(401, str(exc))
            return view(request, member, **kwargs)

        inner.__name__ = view.__name__
        inner.__doc__ = view.__doc__
        return inner

    return wrap


def shared_by(doc: PracticeDocument) -> str:
    """Who shared it, as the sharer chose to be shown."""
    return doc.member.name if doc.shown_as == "jurisdiction" else "A member"


def listing(doc: PracticeDocument, member: HubMember) -> dict[str, Any]:
    """What a member sees of a document in the library: never the file, never the
    consenting person."""
    return {
        "id": doc.pk,
        "title": doc.title,
        "kind": doc.kind,
        "kind_label": _KIND_LABELS.get(doc.kind, doc.kind),
        "summary": doc.summary,
        "priorities": [
            {"key": p, "label": _PRIORITY_LABELS.get(p, p)} for p in doc.priorities or []
        ],
        "licence": doc.licence,
        "licence_name": library.LICENCES.get(doc.licence, (doc.licence, ""))[0],
        "licence_terms": library.LICENCES.get(doc.licence, ("", ""))[1],
        "shared_by": shared_by(doc),
        "shared_on": doc.created_at.date().isoformat(),
        "file_name": doc.file_name,
        "file_type": doc.file_type,
        "size": doc.size,
        "sha256": doc.sha256,
        "own": doc.member_id == member.pk,
    }


def search(q: str = "", priority: str = "", kind: str = "") -> QuerySet[PracticeDocument]:
    """The documents in the library (never a withdrawn one) matching the text in title or
    summary, a priority and a kind; empty filters match all."""
    docs = PracticeDocument.objects.filter(withdrawn=False, member__active=True)
    if q:
        docs = docs.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    if kind:
        docs = docs.filter(kind=kind)
    if priority:
        # JSON containment is not on every database: filter the few in Python instead.
        ids = [d.pk for d in docs.only("pk", "priorities") if priority in (d.priorities or [])]
        docs = docs.filter(pk__in=ids)
    return docs.select_related("member").order_by("-created_at", "-pk")


def share(member: HubMember, share: library.Share) -> PracticeDocument:
    """Keep a checked document in the library, made by no person: the member's request."""
    with transaction.atomic(), context.acting("api"):
        return services.create(
            context.SYSTEM,
            PracticeDocument,
            {
                "member": member,
                "title": share.title,
                "kind": share.kind,
                "summary": share.summary,
                "priorities": share.priorities,
                "licence": share.licence,
                "consent_name": share.consent_name,
                "consent_title": share.consent_title,
                "consent_day": share.consent_day,
                "shown_as": share.shown_as,
                "file": ContentFile(share.content, name=share.file_name),
                "file_name": share.file_name,
                "file_type": library.extension(share.file_name),
                "size": len(share.content),
                "sha256": share.sha256,
            },
        )


def withdraw(doc: PracticeDocument, actor: Any = None) -> None:
    """Take a document out of the library; its record stays for the hub's history."""
    if doc.withdrawn:
        return
    with transaction.atomic(), context.acting("api" if actor is None else "web"):
        services.update(actor or context.SYSTEM, doc, {"withdrawn": True}, version=None)


def _document(member_doc_id: str) -> PracticeDocument | None:
    pk = whole_number(member_doc_id, 12)
    if pk is None:
        return None
    return (
        PracticeDocument.objects.filter(pk=pk, withdrawn=False, member__active=True)
        .select_related("member")
        .first()
    )


@_endpoint("GET")
def _search(request: HttpRequest, member: HubMember) -> JsonResponse:
    q = request.GET.get("q", "").strip()
    priority = request.GET.get("priority", "")
    kind = request.GET.get("kind", "")
    if len(q) > MAX_QUERY or "\x00" in q:
        return _error(400, f"q: at most {MAX_QUERY} characters.")
    if priority and priority not in _PRIORITY_LABELS:
        return _error(400, "priority: not a known priority key.")
    if kind and kind not in _KIND_LABELS:
        return _error(400, "kind: not a known kind of document.")
    docs = search(q, priority, kind)[:MAX_RESULTS]
    return JsonResponse({"documents": [listing(d, member) for d in docs]})


@_endpoint("POST", library.MAX_BODY)
def _share(request: HttpRequest, member: HubMember) -> JsonResponse:
    try:
        doc = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _error(400, "The body must be a JSON object.")
    try:
        checked = library.check_share(doc, timezone.localdate() + datetime.timedelta(days=1))
    except library.Refused as exc:
        return _error(400, str(exc))
    kept = share(member, checked)
    return JsonResponse(listing(kept, member), status=201)


@csrf_exempt
@login_not_required
def documents(request: HttpRequest) -> JsonResponse:
    """`library/`: GET searches (q, priority, kind), POST shares a document."""
    view = _share if request.method == "POST" else _search
    return view(request)


@_endpoint("GET")
def file(request: HttpRequest, member: HubMember, pk: str) -> JsonResponse:
    """`library/<id>/file/`: the file, as base64 in JSON with its name and checksum."""
    doc = _document(pk)
    if doc is None:
        return _error(404, "No such document in the library.")
    try:
        with doc.file.open("rb") as handle:
            content = handle.read(library.MAX_FILE + 1)
    except OSError:
        return _error(404, "The document's file is missing at the hub.")
    return JsonResponse(
        {
            "file_name": doc.file_name,
            "file_type": doc.file_type,
            "sha256": doc.sha256,
            "file": base64.b64encode(content).decode(),
        }
    )


@_endpoint("POST")
def withdraw_view(request: HttpRequest, member: HubMember, pk: str) -> JsonResponse:
    """`library/<id>/withdraw/`: a member withdraws a document it shared, and only its own."""
    doc = _document(pk)
    if doc is None:
        return _error(404, "No such document in the library.")
    if doc.member_id != member.pk:
        return _error(403, "Only the member that shared a document may withdraw it.")
    withdraw(doc)
    return JsonResponse({"id": doc.pk, "withdrawn": True})
