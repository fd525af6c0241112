"""The public data catalog's machine-readable documents, `data.json` and `data.jsonld`,
open to everyone; "not found" while the fields the schema requires are not all published."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from townhall.public import catalog


def _rows() -> list:
    found = catalog.rows()
    if found is None:
        raise Http404("The data catalog is not published.")
    return found


@login_not_required
@require_safe
def data_json(request: HttpRequest) -> JsonResponse:
    """The Project Open Data 1.1 catalog of the public datasets' published fields."""
    return JsonResponse(catalog.pod(_rows()), json_dumps_params={"indent": 2})


@login_not_required
@require_safe
def data_jsonld(request: HttpRequest) -> JsonResponse:
    """The same datasets as a DCAT-US 3.0 JSON-LD document."""
    base = request.build_absolute_uri(reverse("public:data_jsonld"))
    return JsonResponse(
        catalog.dcat_us3(_rows(), base),
        content_type="application/ld+json",
        json_dumps_params={"indent": 2},
    )
