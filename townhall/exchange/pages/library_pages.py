"""The practice library's pages: the member's (search the hub's library, download a document,
share one) and the hub administrators' (every document, who shared it, withdraw one).

The search is one small signed call made while the page loads: its answer is a bounded list
with no files, the person is waiting for exactly that answer, and a job would only add a
page to poll, so it waits `SEARCH_TIMEOUT` seconds at most. Sharing sends up to 10 MB and
withdrawing a document this member shared waits for the hub: both run on the job runner
(`library_tasks.py`)."""

import base64
import hashlib
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from townhall.core import permissions
from townhall.exchange import client, library, library_api, protocol
from townhall.exchange.models import JurisdictionProfile, PracticeDocument
from townhall.exchange.priorities import PRIORITIES
from townhall.jobs import runner

SHARE_JOB = "exchange.library_share"
WITHDRAW_JOB = "exchange.library_withdraw"
SEARCH_TIMEOUT = 10  # seconds: the person waits for the search; jobs take the default

# Administrators and IT managers may share in the jurisdiction's name.
may_share = permissions.sees_personnel


def _profile() -> JurisdictionProfile | None:
    """This Townhall's membership (read for signing only; its fields are not shown)."""
    profile = JurisdictionProfile.objects.first()
    return profile if profile is not None and profile.member_id else None


def _share_fields(request: HttpRequest) -> tuple[dict[str, Any], str | None]:
    """The share form's fields as the hub's JSON (without the file), or the first reason."""
    post = request.POST
    if post.get("consent_given") != "yes":
        return {}, "Consent: tick the box to confirm the jurisdiction consented to sharing."
    doc = {
        "title": post.get("title", ""),
        "kind": post.get("kind", ""),
        "summary": post.get("summary", ""),
        "priorities": post.getlist("priorities"),
        "licence": post.get("licence", ""),
        "consent": {
            "name": post.get("consent_name", ""),
            "title": post.get("consent_title", ""),
            "day": post.get("consent_day", ""),
        },
        "shown_as": post.get("shown_as", ""),
    }
    upload = request.FILES.get("file")
    if upload is None:
        return doc, "file: choose the document to share."
    if upload.size is None or upload.size > library.MAX_FILE:
        return doc, f"file: the file must be at most {library.MAX_FILE // (1024 * 1024)} MB."
    content = upload.read(library.MAX_FILE + 1)
    doc["file_name"] = upload.name or "document"
    doc["file"] = base64.b64encode(content).decode()
    try:
        library.check_share(doc, timezone.localdate())
    except library.Refused as exc:
        return doc, str(exc)
    return doc, None


@require_http_methods(["GET", "POST"])
def library_page(request: HttpRequest) -> HttpResponse:
    """Search the hub's practice library; administrators and IT managers share to it."""
    profile = _profile()
    q = request.GET.get("q", "").strip()[: library_api.MAX_QUERY]
    priority = request.GET.get("priority", "")
    kind = request.GET.get("kind", "")
    priority = priority if priority in {p.key for p in PRIORITIES} else ""
    kind = kind if kind in dict(library.KINDS) else ""
    error = ""
    if request.method == "POST":
        if not may_share(request.user):
            raise PermissionDenied("Only administrators and IT managers may share.")
        if "withdraw" in request.POST:
            return _withdraw(request, profile)
        if profile is None:
            error = "This Townhall has not joined a hub yet."
        else:
            doc, error_or_none = _share_fields(request)
            if error_or_none is None:
                upload = request.FILES["file"]
                params = {k: v for k, v in doc.items() if k != "file"}
                job = runner.submit(
                    request.user,
                    SHARE_JOB,
                    f"Share {doc['title'][:150]} to the practice library",
                    params,
                    upload=upload,
                )
                messages.success(request, "The document is being sent to the hub.")
                return redirect("jobs:detail", job.pk)
            error = error_or_none
    documents: list[dict[str, Any]] = []
    hub_error = ""
    if profile is None:
        hub_error = "This Townhall has not joined a hub, so there is no library to search."
    else:
        query = urlencode(
            {k: v for k, v in {"q": q, "priority": priority, "kind": kind}.items() if v}
        )
        try:
            answer = client.call(
                profile, "GET", protocol.LIBRARY, query=query, timeout=SEARCH_TIMEOUT
            )
            found = answer.get("documents", []) if isinstance(answer, dict) else None
            if not isinstance(found, list):
                raise TypeError
            documents = [d for d in found if isinstance(d, dict)][: library_api.MAX_RESULTS]
        except (client.HubError, TypeError) as exc:
            hub_error = (
                str(exc) if isinstance(exc, client.HubError) else "The hub's answer was not a list."
            )
    return render(
        request,
        "exchange/library.html",
        {
            "q": q,
            "priority": priority,
            "kind": kind,
            "priorities": PRIORITIES,
            "kinds": library.KINDS,
            "licences": library.LICENCES,
            "shown_as": library.SHOWN_AS,
            "documents": documents,
            "hub_error": hub_error,
            "error": error,
            "may_share": may_share(request.user) and profile is not None,
            "today": timezone.localdate().isoformat(),
            "form": request.POST if request.method == "POST" else {},
            "max_mb": library.MAX_FILE // (1024 * 1024),
        },
        status=400 if error else 200,
    )


def _withdraw(request: HttpRequest, profile: JurisdictionProfile | None) -> HttpResponse:
    """Ask the hub, on a job, to withdraw a document this member shared (the hub refuses
    anyone else's)."""
    pk = request.POST.get("withdraw", "")
    if profile is None:
        raise Http404("This Townhall has not joined a hub yet.")
    if not pk.isdecimal() or len(pk) > 12:
        raise Http404("withdraw: no such document.")
    job = runner.submit(
        request.user,
        WITHDRAW_JOB,
        "Withdraw a document from the practice library",
        {"document": int(pk)},
    )
    messages.success(request, "The hub is being asked to withdraw the document.")
    return redirect("jobs:detail", job.pk)


@require_http_methods(["GET"])
def download(request: HttpRequest, pk: str) -> HttpResponse:
    """A document from the hub, fetched signed and checked (its checksum and that its bytes
    are what its name says) before it is handed on as an attachment."""
    profile = _profile()
    if profile is None or not pk.isdecimal() or len(pk) > 12:
        raise Http404("No such document.")
    try:
        answer = client.call(profile, "GET", f"{protocol.LIBRARY}{int(pk)}/file/")
    except client.HubError as exc:
        if exc.status == 404:
            raise Http404("No such document in the library.") from exc
        return HttpResponse(str(exc), status=502, content_type="text/plain; charset=utf-8")
    try:
        name = library.safe_file_name(str(answer["file_name"]))
        encoded = str(answer["file"])
        if len(encoded) > library.MAX_FILE * 4 // 3 + 8:
            raise ValueError("too large")
        content = base64.b64decode(encoded, validate=True)
        if hashlib.sha256(content).hexdigest() != answer.get("sha256"):
            raise ValueError("checksum")
        ext = library.check_file(name, content)
    except (KeyError, TypeError, ValueError):
        return HttpResponse(
            "The hub sent a file that does not match its checksum or its kind; it was not kept.",
            status=502,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(content, content_type=library.FILE_TYPES[ext][1])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
def hub_library(request: HttpRequest) -> HttpResponse:
    """The hub administrators' view of the library: every document, who shared it and who
    consented, and a way to withdraw one."""
    if not settings.EXCHANGE_HUB:
        raise Http404("This Townhall is not an exchange hub.")
    if not permissions.is_admin(request.user):
        raise PermissionDenied("Only the hub's administrators see the library's sharers.")
    if request.method == "POST":
        pk = request.POST.get("document", "")
        doc = (
            PracticeDocument.objects.restrict(request.user, "change").filter(pk=pk).first()
            if pk.isdecimal() and len(pk) <= 12
            else None
        )
        if doc is None:
            raise Http404("No such document.")
        library_api.withdraw(doc, request.user)
        messages.success(request, f"{doc.title} was withdrawn from the library.")
        return redirect(reverse("hub:library"))
    docs = PracticeDocument.objects.restrict(request.user, "view").select_related("member")
    return render(
        request,
        "exchange/hub_library.html",
        {"documents": docs[:500], "licences": library.LICENCES, "kinds": dict(library.KINDS)},
    )
