"""Choosing what is public: for each kind of record the public site knows, whether it is
published and which of its fields. Administrators only; every change goes through the
write path, so the audit log says who published what and when."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from townhall.core import permissions, services
from townhall.core.http import whole_number
from townhall.core.services import ConflictError
from townhall.public import kinds
from townhall.public.kinds import PublicKind
from townhall.public.models import Publication


def _row(kind: PublicKind, pub: Publication | None, error: str = "") -> dict[str, Any]:
    chosen = set(pub.fields) if pub else set()
    return {
        "kind": kind,
        "publication": pub,
        "published": bool(pub and pub.published),
        "fields": [
            {"field": f, "id": f"publish-{kind.key}-{f.name}", "checked": f.name in chosen}
            for f in kind.fields
        ],
        "error": error,
    }


def _save(request: HttpRequest, kind: PublicKind, pub: Publication | None) -> None:
    data = {
        "kind": kind.key,
        "published": request.POST.get("published") == "on",
        "fields": [f.name for f in kind.fields if f.name in request.POST.getlist("fields")],
    }
    if pub is None:
        services.create(request.user, Publication, data)
    else:
        raw = request.POST.get("version", "")
        version = whole_number(raw)
        services.update(request.user, pub, data, version=version)


@require_http_methods(["GET", "HEAD", "POST"])
def publishing(request: HttpRequest) -> HttpResponse:
    if not permissions.is_admin(request.user):
        raise PermissionDenied("Only administrators choose what is public.")
    existing = {p.kind: p for p in Publication.objects.restrict(request.user, "view")}
    errors: dict[str, str] = {}
    if request.method == "POST":
        kind = kinds.get(request.POST.get("kind", ""))
        if kind is None:
            errors[""] = "Choose a kind of record the public site knows."
        else:
            try:
                _save(request, kind, existing.get(kind.key))
            except ConflictError:
                errors[kind.key] = (
                    "Someone changed what is published since you opened this page: nothing "
                    "was saved. Reload the page to see their choice."
                )
            except ValidationError as error:
                errors[kind.key] = " ".join(error.messages)
            else:
                return HttpResponseRedirect(reverse("publishing:choose") + f"#kind-{kind.key}")
    rows = [_row(k, existing.get(k.key), errors.get(k.key, "")) for k in kinds.all_kinds()]
    return render(
        request,
        "public/choosing.html",
        {"rows": rows, "problem": errors.get("", "")},
        status=400 if errors else 200,
    )
