"""The picker endpoint: up to 20 records matching a search, for one picker widget.

GET /pick/<app_label>/<model>/?q=text&field=<form field name>&multiple=0|1&optional=0|1,
plus the picker's currently checked values under the field's own name. It answers the
results fragment (radios or checkboxes in a fieldset) and, out of band, the picker's chosen
list, so what was ticked among earlier results survives a new search. Only records the
person may see are searched, by the registered Resource's search fields (or `name`).
Queries are constant: one for the matches, one for the chosen records.
"""

import re
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_GET

from townhall.core import registry
from townhall.core.filters import SearchFilter
from townhall.core.widgets import clean_ids, picker_id

LIMIT = 20
MAX_Q = 200
FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,99}")
RESERVED = {"q", "field", "multiple", "optional"}


def search_fields(model: type[models.Model]) -> list[str]:
    resource = registry.for_model(model)
    if resource is None:
        return []
    fields = list(resource.search_fields)
    if not fields:
        try:
            model._meta.get_field("name")
        except FieldDoesNotExist:
            return []
        fields = ["name"]
    return fields


def _bad(reason: str) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(reason, content_type="text/plain; charset=utf-8")


@require_GET
def pick(request: HttpRequest, app_label: str, model_name: str) -> HttpResponse:
    try:
        model = apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return _bad("Unknown record kind.")
    fields = search_fields(model)
    if not fields:
        return _bad("This record kind cannot be picked.")
    name = request.GET.get("field", "")
    if not FIELD_NAME.fullmatch(name) or name in RESERVED:
        return _bad("Missing or malformed field name.")
    multiple = request.GET.get("multiple") == "1"
    optional = request.GET.get("optional") == "1" and not multiple
    q = request.GET.get("q", "").replace("\x00", "")[:MAX_Q].strip()

    visible = model._default_manager.restrict(request.user, "view")
    checked = clean_ids(model, request.GET.getlist(name)[: 1 if not multiple else None])
    chosen = list(visible.filter(pk__in=checked)) if checked else []
    chosen.sort(key=lambda obj: checked.index(obj.pk))

    matches = visible.exclude(pk__in=checked) if checked else visible
    matches = SearchFilter(fields).filter(matches, q)
    rows = list(matches[: LIMIT + 1])

    context: dict[str, Any] = {
        "p": {
            "id": picker_id(name),
            "name": name,
            "multiple": multiple,
            "optional": optional,
            "chosen": [(str(obj.pk), str(obj)) for obj in chosen],
            "plural": str(model._meta.verbose_name_plural),
        },
        "q": q,
        "results": [(str(obj.pk), str(obj)) for obj in rows[:LIMIT]],
        "more": len(rows) > LIMIT,
    }
    return render(request, "core/_picker_results.html", context)
