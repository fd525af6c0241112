"""Writing the readiness statements the public site may show: one on cyber security, one on
continuity of operations, each in English and Spanish. IT staff and administrators write
them (the record's permissions); every save goes through the write path and is audited.
Residents see them only once an administrator publishes the "readiness" kind."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from townhall.core import permissions, services
from townhall.core.http import whole_number
from townhall.core.services import ConflictError
from townhall.public.models import PublicStatement

FIELDS = ("heading", "text_en", "text_es", "last_reviewed_on")


def _row(topic: Any, found: PublicStatement | None, posted: Any = None) -> dict[str, Any]:
    values = {name: getattr(found, name, "") or "" for name in FIELDS}
    if posted is not None:
        values = {name: posted.get(name, "") for name in FIELDS}
    return {"topic": topic, "statement": found, "values": values, "errors": {}, "problem": ""}


@require_http_methods(["GET", "HEAD", "POST"])
def statements(request: HttpRequest) -> HttpResponse:
    if not permissions.can_add(request.user, PublicStatement):
        raise PermissionDenied("Only IT staff and administrators write readiness statements.")
    existing = {s.topic: s for s in PublicStatement.objects.restrict(request.user, "view")}
    rows = {t.value: _row(t, existing.get(t.value)) for t in PublicStatement.Topic}
    failed = False
    if request.method == "POST":
        topic = request.POST.get("topic", "")
        if topic not in rows:
            return render(
                request,
                "public/statements.html",
                {"rows": rows.values(), "problem": "Choose cyber security or continuity."},
                status=400,
            )
        row = rows[topic] = _row(rows[topic]["topic"], existing.get(topic), request.POST)
        data = {"topic": topic, **{k: (v or "").strip() or None for k, v in row["values"].items()}}
        for name in ("heading", "text_en", "text_es"):
            data[name] = data[name] or ""
        try:
            found = existing.get(topic)
            if found is None:
                services.create(request.user, PublicStatement, data)
            else:
                raw = request.POST.get("version", "")
                version = whole_number(raw)
                services.update(request.user, found, data, version=version)
        except ConflictError:
            row["problem"] = (
                "Someone changed this statement since you opened the page: nothing was saved. "
                "Reload the page to see their words."
            )
            failed = True
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                row["errors"] = {k: " ".join(v) for k, v in error.message_dict.items()}
            row["problem"] = "Nothing was saved: " + " ".join(error.messages)
            failed = True
        else:
            return HttpResponseRedirect(reverse("publishing:statements") + f"#topic-{topic}")
    return render(
        request,
        "public/statements.html",
        {"rows": rows.values(), "problem": ""},
        status=400 if failed else 200,
    )
