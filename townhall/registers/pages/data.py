"""The data inventory's catalog pages: `data.json` (Project Open Data 1.1), `data.jsonld`
(DCAT-US 3.0) and the import of an existing `data.json`. The catalog is for signed-in
people until the public site comes; it lists only what the public may know of."""

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from townhall.core import permissions
from townhall.jobs import runner
from townhall.jobs.models import Job
from townhall.org.models import Department
from townhall.registers import catalog_import, data_input, dcat, tasks
from townhall.registers.models import Dataset, Distribution

CATALOG_TITLE = "Data catalog"
# The person's own latest imports the import page lists.
RECENT_IMPORTS = 5


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
    # Each catalog entry links to its dataset's record, and says its access level in words.
    numbers = dict(
        Dataset.objects.restrict(request.user, "view")
        .filter(identifier__in=[r["identifier"] for r in rows])
        .values_list("identifier", "pk")
    )
    levels = dict(Dataset.AccessLevel.choices)
    entries = [
        {
            **r,
            "url": reverse("registers:dataset_detail", args=[numbers[r["identifier"]]]),
            "access": levels.get(r["access_level"], r["access_level"]),
        }
        for r in rows
    ]
    return render(
        request,
        "registers/data_catalog.html",
        {
            "rows": entries,
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


def _recent_imports(user: Any) -> list[Job]:
    """The person's own latest catalog imports, to follow from the import page."""
    return list(
        Job.objects.restrict(user, "view")
        .filter(kind=tasks.DATA_IMPORT_JOB, created_by=user)
        .order_by("-pk")[:RECENT_IMPORTS]
    )


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def data_import(request: HttpRequest) -> HttpResponse:
    """Upload an existing data.json. The request only checks that the file is small enough
    and is JSON, keeps it, and asks the job runner to import it (each dataset created or
    updated by identifier, or none); the job's page follows it and says what it did, or
    names the refused dataset and its field."""
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
            catalog_import.parse(upload.read())
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("document", message)
        else:
            department = form.cleaned_data["department"]
            job = runner.submit(
                request.user,
                tasks.DATA_IMPORT_JOB,
                f"Import of the data catalog {upload.name}"[:200],
                {"department": department.pk if department else None},
                upload=upload,
            )
            return redirect(job.get_absolute_url())
    return render(
        request,
        "registers/data_import.html",
        {"form": form, "imports": _recent_imports(request.user)},
        status=400 if posted else 200,
    )
