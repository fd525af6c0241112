"""Frameworks' own pages: a framework's requirements as a tree, importing an OSCAL catalog,
and loading the built-in frameworks. The framework's record page (views.FRAMEWORKS) shows
a summary from `framework_context` and links to the tree.

Everyone signed in may read frameworks; importing and loading need the right to add
frameworks (IT staff and administrators). The tree costs the same few queries for SP
800-53's twelve hundred controls as for the CPGs' thirty-eight goals.
"""

from itertools import groupby
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from townhall.core import permissions
from townhall.core.forms import bounded_upload, style_fields
from townhall.cyber import frameworks, oscal
from townhall.cyber.models import Framework, Requirement, RequirementMapping
from townhall.jobs import runner

MISSING_SHOWN = 100  # identifiers listed after an import; more are counted
LIST_OPEN = mark_safe('<ul class="usa-list usa-list--unstyled">')  # noqa: S308
LIST_OPEN_NESTED = mark_safe(  # noqa: S308 - constant markup
    '<ul class="usa-list usa-list--unstyled padding-left-2 border-left-1px border-base-lighter">'
)


class CatalogUploadForm(forms.Form):
    file = forms.FileField(
        label="OSCAL catalog (JSON)",
        help_text=(
            "A catalog in OSCAL's JSON format, such as NIST's “NIST_CSF_v2.0_catalog.json” or "
            "“NIST_SP-800-53_rev5_catalog.json”."
        ),
    )
    key = forms.SlugField(
        label="Key (optional)",
        max_length=60,
        required=False,
        help_text="Short key such as “csf”. Leave empty to take it from the file.",
    )
    name = forms.CharField(
        label="Name (optional)",
        max_length=200,
        required=False,
        help_text="Leave empty to take it from the file (or keep the name it has).",
    )
    release = forms.CharField(
        label="Version (optional)",
        max_length=40,
        required=False,
        help_text="Such as “2.0”. Leave empty to take it from the file.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".json,application/json"
        style_fields(self.fields.values())

    def clean_file(self) -> Any:
        return bounded_upload(
            self.cleaned_data["file"],
            (".json",),
            "Upload the catalog's JSON file (ending in .json). OSCAL's XML and YAML "
            "versions cannot be imported.",
        )


# --- the framework's record page -------------------------------------------------------------


def framework_context(request: HttpRequest, framework: Framework) -> dict[str, Any]:
    """The summary on a framework's page: how many requirements of each level, the top of
    the tree, which frameworks it is mapped with, and whether its texts are official."""
    top = list(
        Requirement.objects.filter(framework=framework, parent__isnull=True).order_by(
            "sort_key", "identifier"
        )
    )
    below: dict[int, list[str]] = {}
    children = (
        Requirement.objects.filter(parent__in=top)
        .values_list("parent_id", "level")
        .annotate(n=Count("pk"))
        .order_by("parent_id", "level")
    )
    for parent_id, level, n in children:
        below.setdefault(parent_id, []).append(f"{n} {_plural(level, n)}")
    for r in top:
        r.below = ", ".join(below.get(r.pk, []))
    return {
        "level_counts": frameworks.level_counts(framework),
        "top_requirements": top,
        "mapped_frameworks": _mapped_frameworks(framework),
        "can_import": permissions.can_add(request.user, Framework),
    }


def _plural(word: str, n: int) -> str:
    if n == 1:
        return word
    return word[:-1] + "ies" if word.endswith("y") else word + "s"


def _mapped_frameworks(framework: Framework) -> list[tuple[Framework, int]]:
    """Frameworks with requirements mapped to or from this one, with how many of this
    framework's requirements are mapped."""
    pairs = set(
        RequirementMapping.objects.filter(source__framework=framework).values_list(
            "source_id", "target__framework_id"
        )
    ) | set(
        RequirementMapping.objects.filter(target__framework=framework).values_list(
            "target_id", "source__framework_id"
        )
    )
    counts: dict[int, int] = {}
    for _mine, other in pairs:
        counts[other] = counts.get(other, 0) + 1
    others = Framework.objects.filter(pk__in=counts).order_by("name", "release")
    return [(other, counts[other.pk]) for other in others]


# --- the tree ------------------------------------------------------------------------------


def requirements(request: HttpRequest, pk: int) -> HttpResponse:
    """All of a framework's requirements, nested as the framework states them."""
    framework = get_object_or_404(Framework.objects.restrict(request.user, "view"), pk=pk)
    show_withdrawn = request.GET.get("withdrawn") == "show"
    expand = request.GET.get("expand") == "all"
    roots = frameworks.tree(framework, include_withdrawn=show_withdrawn)
    withdrawn = Requirement.objects.filter(framework=framework, withdrawn=True).count()
    url = _detail_url()
    return render(
        request,
        "cyber/framework_tree.html",
        {
            "object": framework,
            "opts": Framework._meta,
            "list_url": _list_url(),
            "here": "Requirements",
            "sections": [_section(root, url) for root in roots],
            "total": sum(node.subtree_size for node in roots),
            "withdrawn_count": withdrawn,
            "show_withdrawn": show_withdrawn,
            "expand": expand,
        },
    )


def _section(root: frameworks.TreeNode, url: Any) -> dict[str, Any]:
    row = _row(root, url)
    return {"root": row, "root_rows": [row], "rows": _rows(root, url)}


def _detail_url() -> Any:
    """A requirement's address from its id without calling `reverse` per requirement (SP
    800-53 has twelve hundred, and more mapped ones)."""
    marker = "987654321"
    pattern = reverse("cyber:requirement_detail", args=[int(marker)])
    before, after = pattern.split(marker)
    return lambda pk: f"{before}{pk}{after}"


def _rows(root: frameworks.TreeNode, url: Any) -> list[dict[str, Any]]:
    """The requirements under a top-level one as a flat list, each row carrying the list
    tags to open before it and to close after it, so the page draws the nested lists in one
    loop instead of one template include per requirement."""
    rows: list[dict[str, Any]] = []

    def walk(nodes: list[frameworks.TreeNode], tail: str) -> None:
        """`tail`: what closes after this list ends (the item holding it, and so on up)."""
        for index, node in enumerate(nodes):
            row = _row(node, url)
            if index == 0:
                row["before"] = LIST_OPEN_NESTED if node.depth > 1 else LIST_OPEN
            end = "</ul>" + tail if index == len(nodes) - 1 else ""
            rows.append(row)
            if node.children:
                walk(node.children, "</li>" + end)
            else:
                row["after"] = mark_safe("</li>" + end)  # noqa: S308 - our own tags only

    if root.children:
        walk(root.children, "")
    return rows


def _row(node: frameworks.TreeNode, url: Any) -> dict[str, Any]:
    """What the page shows of one requirement. Mapped requirements are grouped by
    framework and relation (“Covers part of NIST CSF 2.0: ID.AM-01, ID.AM-02”)."""
    r = node.requirement
    ordered = sorted(node.mapped, key=lambda m: (m.relation, m.framework.name, m.framework.release))
    groups = [
        {
            "label": f"{relation} {fw}",
            "links": [(url(m.pk), m.identifier) for m in items],
        }
        for (relation, fw), items in groupby(ordered, key=lambda m: (m.relation, m.framework))
    ]
    return {
        "pk": r.pk,
        "url": url(r.pk),
        "identifier": r.identifier,
        "title": r.title,
        "level": r.level,
        "assessable": r.assessable,
        "withdrawn": r.withdrawn,
        "replaced_by": ", ".join((r.properties or {}).get("replaced_by", [])),
        "description": "" if r.description == r.title else r.description,
        "examples": r.examples,
        "mapped": groups,
        "has_children": bool(node.children),
        "heading": min(node.depth + 2, 6),
        "before": "",
        "after": "",
    }


# --- importing -----------------------------------------------------------------------------


CATALOG_JOB = "catalog_import"


def import_catalog(request: HttpRequest) -> HttpResponse:
    """Upload an OSCAL catalog: a new framework version, or an update of one already here.
    The file is stored by a background job (SP 800-53's twelve hundred controls take a
    quarter of a minute), whose page says what it did and links to the framework."""
    if not permissions.can_add(request.user, Framework):
        raise PermissionDenied("Only IT staff and administrators import frameworks.")
    form = CatalogUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = runner.submit(
            request.user,
            CATALOG_JOB,
            f"Import of the catalog {upload.name}"[:200],
            {
                "key": form.cleaned_data["key"] or None,
                "name": form.cleaned_data["name"] or None,
                "release": form.cleaned_data["release"] or None,
            },
            upload=upload,
        )
        return redirect(job.get_absolute_url())
    return render(
        request,
        "cyber/framework_import.html",
        {
            "form": form,
            "builtin": frameworks.describe_builtin(),
            "frameworks": Framework.objects.restrict(request.user, "view").order_by(
                "name", "release"
            ),
            "opts": Framework._meta,
            "list_url": _list_url(),
            "here": "Import a catalog",
            "upload_max_mb": settings.UPLOAD_MAX_MB,
        },
        status=400 if request.method == "POST" else 200,
    )


def import_report(report: frameworks.ImportReport) -> str:
    """What an import did, in words for the job's page."""
    text = report.summary()
    if report.missing:
        shown = ", ".join(report.missing[:MISSING_SHOWN])
        more = len(report.missing) - MISSING_SHOWN
        tail = f" and {more:,} more" if more > 0 else ""
        text += (
            " No longer in the file, so marked withdrawn (their scores and history are kept): "
            f"{shown}{tail}."
        )
    return text


@require_POST
def load_builtin(request: HttpRequest) -> HttpResponse:
    """Load NIST CSF 2.0, CISA's performance goals and their mapping (safe to repeat)."""
    if not permissions.can_add(request.user, Framework):
        raise PermissionDenied("Only IT staff and administrators load frameworks.")
    try:
        catalogs, mappings = frameworks.load_builtin_reports(request.user)
    except oscal.OscalError as exc:  # pragma: no cover - the shipped files are tested
        messages.error(request, f"The built-in frameworks could not be loaded: {exc}")
        return redirect("cyber:framework_import")
    reports: list[frameworks.ImportReport | frameworks.MappingReport] = [*catalogs, *mappings]
    for report in reports:
        messages.success(request, report.summary())
    return redirect("cyber:framework_list")


def _list_url() -> str:
    return reverse("cyber:framework_list")
