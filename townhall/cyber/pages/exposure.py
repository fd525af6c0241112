"""Exposure pages: what in the estate is exposed (known exploited vulnerabilities, releases at
end of life), what matched nothing, the feeds and their imports, and the alias form.

Exposure is shared with IT staff, auditors and the board, not with department liaisons (the
Exposure record's row rule decides: `exposure.can_see`). Importing, matching again and adding
aliases are for IT staff and administrators. Writes go through `cyber/exposure.py`, which
goes through `core.services`.
"""

import datetime
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from townhall.core import permissions, services
from townhall.core.forms import bounded_upload, style_fields
from townhall.core.paging import Paginator
from townhall.cyber import exposure
from townhall.cyber.forms import ProductAliasForm
from townhall.cyber.models import (
    Exposure,
    FeedImport,
    KnownVulnerability,
    ProductAlias,
    ProductRelease,
)
from townhall.estate.models import Component, System
from townhall.jobs import runner

CVE_JOB = "cve_records_import"
FEED_JOB = "feed_import"  # the catalog or endoflife.date data, then matching again
MATCH_JOB = "exposure_match"  # the whole estate matched again, on "Match again"
PER_PAGE = 50
UNMATCHED_PER_PAGE = 100
PROBLEMS_SHOWN = 10


def _require_viewer(request: HttpRequest) -> None:
    if not exposure.can_see(request.user):
        raise PermissionDenied("Exposure is shared with IT staff, auditors and the board.")


def _can_import(user: Any) -> bool:
    return permissions.can_add(user, KnownVulnerability) and permissions.can_add(
        user, ProductRelease
    )


def _query(request: HttpRequest, drop: str = "page") -> str:
    """The page's query string without `drop`, for links that keep the filters."""
    return urlencode([(k, v) for k, v in request.GET.items() if k != drop and v])


# --- the exposure list -------------------------------------------------------------------


class FilterForm(forms.Form):
    STATUS_CHOICES = [("open", "Open"), *[c for c in Exposure.Status.choices if c[0] != "open"]]

    q = forms.CharField(label="Search", required=False, max_length=200)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[*STATUS_CHOICES, ("all", "Any status")]
    )
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Both kinds"), *Exposure.Kind.choices]
    )
    version = forms.ChoiceField(
        label="Installed version",
        required=False,
        choices=[("", "Any"), *Exposure.Version.choices],
    )
    ransomware = forms.BooleanField(label="Used in ransomware only", required=False)
    overdue = forms.BooleanField(label="Past the due date only", required=False)
    system = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    component = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].help_text = "A CVE, a system or component, a product or vendor."
        style_fields(self.fields.values())


def _filtered(user: Any, data: dict[str, Any], today: datetime.date) -> Any:
    qs = Exposure.objects.restrict(user, "view").select_related(
        "system", "component", "vulnerability", "release"
    )
    status = data.get("status") or "open"
    if status != "all":
        qs = qs.filter(status=status)
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if data.get("version"):
        qs = qs.filter(version_status=data["version"])
    if data.get("ransomware"):
        qs = qs.filter(ransomware=True)
    if data.get("overdue"):
        qs = qs.filter(due_date__lt=today)
    if data.get("system"):
        qs = qs.filter(system_id=data["system"])
    if data.get("component"):
        qs = qs.filter(component_id=data["component"])
    text = (data.get("q") or "").strip()
    if text:
        qs = qs.filter(
            Q(vulnerability__cve_id__icontains=text)
            | Q(vulnerability__name__icontains=text)
            | Q(vulnerability__vendor_project__icontains=text)
            | Q(vulnerability__product__icontains=text)
            | Q(release__product__icontains=text)
            | Q(release__label__icontains=text)
            | Q(system__name__icontains=text)
            | Q(component__name__icontains=text)
            | Q(matched_on__icontains=text)
        )
    return qs.order_by("-ransomware", F("due_date").asc(nulls_last=True), "id")


def _row(e: Exposure, today: datetime.date) -> dict[str, Any]:
    """What the list shows of one exposure: the item, the vulnerability or release, and what
    to do (the KEV's required action, or upgrade before or after the end of life)."""
    row: dict[str, Any] = {
        "exposure": e,
        "item": e.system or e.component,
        "item_kind": "System" if e.system_id else "Component",
        "overdue": bool(e.due_date and e.due_date < today and e.status == Exposure.Status.OPEN),
    }
    v = e.vulnerability
    if v is not None:
        row["what"] = {"title": v.cve_id, "name": v.name, "url": v.get_absolute_url()}
        row["action"] = v.required_action or "Follow the vendor's instructions."
    else:
        r = e.release
        assert r is not None  # Exposure.clean: one names a vulnerability or a release
        label = r.label or r.product
        row["what"] = {"title": f"{label} {r.cycle}", "name": "", "url": r.get_absolute_url()}
        row["eol"] = r.end_of_life
        row["ended"] = not r.end_of_life or r.end_of_life <= today
    return row


@require_safe
def exposure_list(request: HttpRequest) -> HttpResponse:
    """Open exposures, used in ransomware first, then by due date."""
    _require_viewer(request)
    today = timezone.localdate()
    form = FilterForm(request.GET or None)
    status = 200
    data: dict[str, Any] = {}
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
        else:
            status = 400
            data = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    paginator = Paginator(_filtered(request.user, data, today), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    about = None
    if data.get("system") or data.get("component"):
        if data.get("system"):
            about = System.objects.restrict(request.user, "view").filter(pk=data["system"]).first()
        else:
            about = (
                Component.objects.restrict(request.user, "view")
                .filter(pk=data.get("component"))
                .first()
            )
    context = {
        "form": form,
        "page": page,
        "rows": [_row(e, today) for e in page.object_list],
        "query": _query(request),
        "summary": exposure.exposure_summary(request.user, today),
        "about": about,
        "filtered": bool(
            {k: v for k, v in data.items() if v and not (k == "status" and v == "open")}
        ),
        "can_match": permissions.can_add(request.user, Exposure),
        "can_import": _can_import(request.user),
        "horizon": exposure.HORIZON_DAYS,
    }
    return render(request, "cyber/exposure_list.html", context, status=status)


@require_POST
def exposure_match(request: HttpRequest) -> HttpResponse:
    """Match the estate again (IT staff). Matching the whole estate takes longer than a
    request should: it runs on the job runner, whose page says what changed; pressed again
    while it waits, the same job is shown."""
    if not permissions.can_add(request.user, Exposure):
        raise PermissionDenied("Only IT staff and administrators run the matching.")
    job = runner.submit(request.user, MATCH_JOB, "Match the estate against the feeds again", {})
    return redirect(job.get_absolute_url())


# --- what matched nothing ----------------------------------------------------------------

REASONS = [
    ("", "Any reason"),
    ("unknown", "Neither feed knows it"),
    ("vendor_only", "Vendor known, product not listed"),
    ("no_cycle", "Version fits no release cycle"),
    ("no_version", "No version recorded"),
]


class UnmatchedFilter(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200)
    reason = forms.ChoiceField(label="Why", required=False, choices=REASONS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].help_text = "A vendor, product or version."
        style_fields(self.fields.values())


def _alias_link(kind: str, name: str, **extra: str) -> str:
    params = {"kind": kind, "estate_name": name[:200], **{k: v for k, v in extra.items() if v}}
    return f"{reverse('cyber:exposure_alias_add')}?{urlencode(params)}"


@require_safe
def exposure_unmatched(request: HttpRequest) -> HttpResponse:
    """Estate vendor/product/version combinations that matched nothing, most items first."""
    _require_viewer(request)
    form = UnmatchedFilter(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    status = 400 if form.is_bound and form.errors else 200
    found = exposure.unmatched(request.user)
    counts = {key: 0 for key, _ in REASONS[1:]}
    for u in found:
        counts[u.reason] += u.count
    if data.get("reason"):
        found = [u for u in found if u.reason == data["reason"]]
    text = (data.get("q") or "").strip().lower()
    if text:
        found = [
            u for u in found if text in f"{u.vendor} {u.product} {' '.join(u.versions)}".lower()
        ]
    can_alias = permissions.can_add(request.user, ProductAlias)
    page = Paginator(found, UNMATCHED_PER_PAGE).get_page(request.GET.get("page"))
    rows = []
    for u in page.object_list:
        rows.append(
            {
                "u": u,
                "product_link": _alias_link("product", u.product, eol_product=u.eol_product)
                if can_alias
                else "",
                "vendor_link": _alias_link("vendor", u.vendor)
                if can_alias and u.vendor and u.reason == "unknown"
                else "",
            }
        )
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": _query(request),
        "counts": [(label, counts[key]) for key, label in REASONS[1:]],
        "total": sum(counts.values()),
        "can_alias": can_alias,
        "can_match": permissions.can_add(request.user, Exposure),
    }
    return render(request, "cyber/exposure_unmatched.html", context, status=status)


class AliasForm(ProductAliasForm):
    """The alias form, opened from a “not matched” row with its names filled in."""

    class Meta(ProductAliasForm.Meta):
        fields = ["kind", "estate_name", "feed_vendor", "feed_product", "eol_product", "notes"]


@require_http_methods(["GET", "POST"])
def exposure_alias_add(request: HttpRequest) -> HttpResponse:
    if not permissions.can_add(request.user, ProductAlias):
        raise PermissionDenied("Only IT staff and administrators add aliases.")
    status = 200
    if request.method == "POST":
        form = AliasForm(request.POST)
        if form.is_valid():
            values = {k: form.cleaned_data[k] for k in AliasForm.Meta.fields}
            try:
                alias = services.create(request.user, ProductAlias, values)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    f"Alias “{alias}” saved. Match again to use it (an import does it too).",
                )
                return redirect("cyber:exposure_unmatched")
        status = 400
    else:
        kinds = dict(ProductAlias.Kind.choices)
        initial = {
            key: request.GET.get(key, "")[:limit]
            for key, limit in (
                ("estate_name", 200),
                ("feed_vendor", 200),
                ("feed_product", 200),
                ("eol_product", 100),
            )
        }
        kind = request.GET.get("kind", "")
        initial["kind"] = kind if kind in kinds else "product"
        form = AliasForm(initial=initial)
    return render(request, "cyber/exposure_alias_form.html", {"form": form}, status=status)


# --- the feeds ---------------------------------------------------------------------------


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds",
        choices=[
            ("kev", "CISA Known Exploited Vulnerabilities catalog"),
            ("eol", "endoflife.date release data"),
            ("cve", "CVE records (JSON 5: one record, an array, or a .zip of records)"),
        ],
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label="File",
        help_text="The JSON file as CISA or endoflife.date publish it, or CVE records as "
        "the CVE list publishes them (.json or .zip).",
    )
    product = forms.CharField(
        label="endoflife.date product key (if the file does not name it)",
        required=False,
        max_length=100,
        help_text="Such as “windows-server”. Needed for a file that is only a list of cycles.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".json,.zip,application/json,application/zip"
        style_fields(self.fields.values())

    def clean_file(self) -> Any:
        return bounded_upload(self.cleaned_data["file"])


def _feeds_page(request: HttpRequest, form: UploadForm | None, status: int = 200) -> HttpResponse:
    user = request.user
    imports = FeedImport.objects.restrict(user, "view").order_by("-created_at", "-id")
    products = (
        ProductRelease.objects.restrict(user, "view")
        .values_list("product", flat=True)
        .distinct()
        .order_by("product")
    )
    context = {
        "form": form,
        "imports": list(imports[:15]),
        "last_kev": imports.filter(kind=FeedImport.Kind.KEV).first(),
        "vulnerabilities": KnownVulnerability.objects.restrict(user, "view").count(),
        "ransomware": KnownVulnerability.objects.restrict(user, "view")
        .filter(ransomware=True)
        .count(),
        "products": list(products),
        "releases": ProductRelease.objects.restrict(user, "view").count(),
        "kev_url": exposure.KEV_URL,
        "eol_products": exposure.eol_products(),
        "max_mb": settings.UPLOAD_MAX_MB,
    }
    return render(request, "cyber/exposure_feeds.html", context, status=status)


@require_http_methods(["GET", "POST"])
def exposure_feeds(request: HttpRequest) -> HttpResponse:
    """The feeds: last imports, what they hold, and the upload form (IT staff)."""
    _require_viewer(request)
    allowed = _can_import(request.user)
    if request.method == "GET":
        return _feeds_page(request, UploadForm() if allowed else None)
    if not allowed:
        raise PermissionDenied("Only IT staff and administrators import feeds.")
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _feeds_page(request, form, status=400)
    upload = form.cleaned_data["file"]
    kind = form.cleaned_data["kind"]
    # Reading a feed and matching the estate again take longer than a request should: both
    # run on the job runner, whose page shows the progress and what was imported, or why
    # nothing was (a file that cannot be read fails the job with the reason).
    if kind == "cve":
        job = runner.submit(
            request.user,
            CVE_JOB,
            f"Import of the CVE records {upload.name}"[:200],
            {},
            upload=upload,
        )
    else:
        label = dict(FEED_LABELS)[kind]
        job = runner.submit(
            request.user,
            FEED_JOB,
            f"Import of {label} {upload.name}"[:200],
            {"kind": kind, "product": form.cleaned_data.get("product") or ""},
            upload=upload,
        )
    return redirect(job.get_absolute_url())


FEED_LABELS = (("kev", "the vulnerability catalog"), ("eol", "endoflife.date data"))


def feed_report(report: exposure.ImportReport) -> list[str]:
    """What an import of the catalog or endoflife.date data did, as the job page says it:
    the counts, then the first entries that could not be used (the import record has all)."""
    head, *_ = report.lines()
    lines = [head]
    if report.problems:
        count = len(report.problems)
        lines.append(
            f"{count} entr{'y' if count == 1 else 'ies'} or field(s) could not be used; the "
            "import record lists them all. First: " + " · ".join(report.problems[:PROBLEMS_SHOWN])
        )
    return lines
