"""The data inventory's catalog pages: `data.json` (Project Open Data 1.1), `data.jsonld`
(DCAT-US 3.0) and the import of an existing `data.json`. The catalog is for signed-in
people until the public site comes; it lists only what the public may know of."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from townhall.core import permissions
from townhall.org.models import Department
from townhall.registers import catalog_import, data_input, dcat
from townhall.registers.models import Dataset, Distribution

CATALOG_TITLE = "Data catalog"


@require_safe
def catalog(request: HttpRequest) -> HttpResponse:
    """What the catalog publishes, checked against the catalog schemas' rules before anyone
    posts it: the datasets listed, the problems found (none, we hope) and how many of the
    inventory's datasets stay out of it."""
    rows = data_input.catalog_rows(request.user)
    base = request.build_absolute_uri(reverse("registers:data_jsonld"))
    found = dcat.problems(dcat.pod_catalog(rows)) + dcat.dcat_us3_problems(
        dcat.dcat_us3_catalog(rows, base, CATALOG_TITLE)
    )
    seen = Dataset.objects.restrict(request.user, "view").count()
    return render(
        request,
        "registers/data_catalog.html",
        {
            "rows": rows,
            "problems": found,
            "left_out": seen - len(rows),
            "may_import": permissions.can_add(request.user, Distribution),
        },
    )


@require_safe
def data_json(request: HttpRequest) -> JsonResponse:
    """The Project Open Data 1.1 catalog of the public and restricted-public datasets."""
    catalog = dcat.pod_catalog(data_input.catalog_rows(request.user))
    return JsonResponse(catalog, json_dumps_params={"indent": 2})


@require_safe
def data_jsonld(request: HttpRequest) -> JsonResponse:
    """The same datasets as a DCAT-US 3.0 JSON-LD document."""
    base = request.build_absolute_uri(reverse("registers:data_jsonld"))
    doc = dcat.dcat_us3_catalog(data_input.catalog_rows(request.user), base, CATALOG_TITLE)
    return JsonResponse(doc, content_type="application/ld+json", json_dumps_params={"indent": 2})


class CatalogImportForm(forms.Form):
    document = forms.FileField(
        label="The data.json file",
        help_text=f"A Project Open Data 1.1 catalog, up to "
        f"{catalog_import.MAX_BYTES // (1024 * 1024)} MB.",
    )
    department = forms.ModelChoiceField(
        queryset=Department.objects.order_by("name"),
        required=False,
        label="Department for datasets whose publisher names none of ours",
    )


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@require_http_methods(["GET", "HEAD", "POST"])
def data_import(request: HttpRequest) -> HttpResponse:
    """Upload an existing data.json: each dataset created or updated (by identifier), or
    none, with the error naming the dataset and its field."""
    if not permissions.can_add(request.user, Distribution):
        raise PermissionDenied("Only IT staff import a data catalog.")
    posted = request.method == "POST"
    form = CatalogImportForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        upload = form.cleaned_data["document"]
        try:
            if upload.size > catalog_import.MAX_BYTES:
                raise ValidationError(
                    f"The file is larger than {catalog_import.MAX_BYTES // (1024 * 1024)} MB."
                )
            catalog = catalog_import.parse(upload.read())
            result = catalog_import.import_catalog(
                request.user, catalog, form.cleaned_data["department"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                f"Imported the catalog: {_count(result.created, 'dataset')} added, "
                f"{result.updated} updated, {_count(result.distributions, 'distribution')}.",
            )
            return redirect("registers:dataset_list")
    return render(
        request,
        "registers/data_import.html",
        {"form": form},
        status=400 if posted else 200,
    )
