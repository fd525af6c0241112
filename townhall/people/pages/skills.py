"""The skills page beyond the generic list: how many of each kind there are, and the three
ways skills arrive — the built-in NICE core set, NIST's NICE Framework JSON release (read by
a background job) and the technology skills worked out from the estate (a job too: a large
county's estate is read in full). Everyone who may see skills reads the page; IT staff and
administrators load and import (the write path refuses anyone else as well)."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from townhall.core import permissions
from townhall.core.forms import bounded_upload, style_fields
from townhall.jobs import runner
from townhall.people import services, tasks
from townhall.people.models import Skill


class NiceUploadForm(forms.Form):
    file = forms.FileField(
        label="NICE Framework components (JSON)",
        help_text=(
            "NIST's machine-readable release, such as “NICE Framework Components v1.0.0.json”."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".json,application/json"
        style_fields(self.fields.values())

    def clean_file(self) -> Any:
        return bounded_upload(
            self.cleaned_data["file"], (".json",), "Upload NIST's JSON file (ending in .json)."
        )


def _may_load(user: Any) -> bool:
    return permissions.can_add(user, Skill)


def skills(request: HttpRequest) -> HttpResponse:
    """The skills by kind, and the forms that add them."""
    may_load = _may_load(request.user)
    form = NiceUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not may_load:
            raise PermissionDenied("Only IT staff and administrators import skills.")
        if form.is_valid():
            upload = form.cleaned_data["file"]
            job = runner.submit(
                request.user,
                tasks.NICE_JOB,
                f"Import of the NICE Framework file {upload.name}"[:200],
                {},
                upload=upload,
            )
            return redirect(job.get_absolute_url())
    counts = dict(
        Skill.objects.restrict(request.user, "view")
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    kinds = [
        {
            "label": label,
            "count": counts.get(value, 0),
            "url": reverse("people:skill_list") + f"?kind={value}",
        }
        for value, label in Skill.Kind.choices
    ]
    return render(
        request,
        "people/skills.html",
        {
            "form": form,
            "kinds": kinds,
            "may_load": may_load,
            "upload_max_mb": settings.UPLOAD_MAX_MB,
        },
    )


@require_POST
def load_core(request: HttpRequest) -> HttpResponse:
    """Add the built-in NICE work roles and competency areas (a few dozen rows)."""
    if not _may_load(request.user):
        raise PermissionDenied("Only IT staff and administrators load skills.")
    loaded = services.load_core_skills(request.user)
    messages.success(request, loaded.text("NICE work roles and competency areas"))
    return redirect("people:skills")


@require_POST
def derive_technology(request: HttpRequest) -> HttpResponse:
    """Ask for the technology skills to be worked out from the estate, in the background."""
    if not _may_load(request.user):
        raise PermissionDenied("Only IT staff and administrators work out skills.")
    job = runner.submit(request.user, tasks.TECHNOLOGY_JOB, "Technology skills from the estate", {})
    return redirect(job.get_absolute_url())
