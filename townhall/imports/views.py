"""The import pages: upload, map columns, preview the outcome, commit; templates and exports."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from townhall.accounts.models import Role
from townhall.core import permissions
from townhall.imports import exporting, kinds, mapping, parsing, services
from townhall.imports.forms import CommitForm, MappingForm, SavedMappingChoice, UploadForm
from townhall.imports.models import ImportRun, SavedMapping

REPORT_SHOWN = 500  # rows of the problem report on the page; the counts cover them all


def importable_kinds(user: Any) -> list[tuple[str, str]]:
    """The kinds this person may add or change records of."""
    result = []
    for kind in kinds.all_kinds():
        liaison_own = kind.key == "department" and getattr(user, "role", None) == Role.LIAISON
        if permissions.may_add_any(user, kind.model) or liaison_own:
            result.append((kind.key, kind.label))
    return result


def _kind(key: str) -> kinds.Kind:
    try:
        return kinds.get(key)
    except KeyError:
        raise Http404("No such kind of record.") from None


class RunView(LoginRequiredMixin, View):
    """A page about one of the person's own import runs."""

    def get_run(self) -> ImportRun:
        run = get_object_or_404(
            ImportRun.objects.restrict(self.request.user).select_related("job"),
            pk=self.kwargs["pk"],
        )
        if run.kind not in dict(importable_kinds(self.request.user)):
            raise PermissionDenied(f"You may not import {run.get_kind_display().lower()}.")
        return run


class ImportHome(LoginRequiredMixin, View):
    def page(self, form: UploadForm, status: int = 200) -> HttpResponse:
        user = self.request.user
        context = {
            "form": form,
            "can_import": bool(importable_kinds(user)),
            "kinds": kinds.all_kinds(),
            "runs": ImportRun.objects.restrict(user).filter(created_by=user)[:10],
        }
        return render(self.request, "imports/home.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(UploadForm(kinds=importable_kinds(request.user)))

    def post(self, request: HttpRequest) -> HttpResponse:
        allowed = importable_kinds(request.user)
        if not allowed:
            raise PermissionDenied("Your role cannot add or change records.")
        form = UploadForm(request.POST, request.FILES, kinds=allowed)
        if not form.is_valid():
            return self.page(form, status=400)
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            sheet = services.read(data, upload.name)
        except parsing.FileProblem as exc:
            form.add_error("file", str(exc))
            return self.page(form, status=400)
        kind = kinds.get(form.cleaned_data["kind"])
        upload.seek(0)
        run = ImportRun(
            kind=kind.key,
            filename=upload.name[:300],
            rows=len(sheet.rows),
            mapping=mapping.guess(sheet.header, kind.headings(), kind.spellings()),
            created_by=request.user,
        )
        run.file.save(upload.name, upload, save=False)
        run.save()
        return redirect("imports:mapping", pk=run.pk)


class MappingPage(RunView):
    def page(self, run: ImportRun, form: MappingForm, status: int = 200) -> HttpResponse:
        chooser = SavedMappingChoice(kind=run.kind)
        context = {
            "run": run,
            "form": form,
            "chooser": chooser if chooser.fields["saved"].queryset.exists() else None,
        }
        return render(self.request, "imports/mapping.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = self.get_run()
        if run.busy:
            return redirect(run)
        kind = kinds.get(run.kind)
        sheet = services.sheet(run)
        initial = run.mapping
        if "saved" in request.GET:
            chooser = SavedMappingChoice(request.GET, kind=run.kind)
            if chooser.is_valid():
                saved = chooser.cleaned_data["saved"]
                initial, problems = mapping.clean(saved.columns, sheet.header, kind.headings())
                messages.info(request, f"Using the saved mapping “{saved}”.")
                for problem in problems:
                    messages.warning(request, problem)
        form = MappingForm(kind=kind, sheet=sheet, initial_map=initial)
        return self.page(run, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = self.get_run()
        if run.busy:
            return redirect(run)
        kind = kinds.get(run.kind)
        form = MappingForm(request.POST, kind=kind, sheet=services.sheet(run), initial_map={})
        if not form.is_valid():
            return self.page(run, form, status=400)
        run.mapping = form.cleaned_data["mapping"]
        run.status = ImportRun.Status.UPLOADED
        run.save(update_fields=["mapping", "status", "updated_at"])
        name = form.cleaned_data["save_as"].strip()
        if name:
            SavedMapping.objects.update_or_create(
                kind=run.kind,
                name=name,
                defaults={
                    "columns": {h: f for h, f in run.mapping.items() if f},
                    "created_by": request.user,
                },
            )
            messages.success(request, f"Saved the mapping as “{name}”.")
        job = services.start(run, commit=False)
        if job is not None:
            messages.info(request, "The file is large; it is being checked in the background.")
        return redirect(run)


class PreviewPage(RunView):
    """The check's outcome, the problem report, and the commit button."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = self.get_run()
        if request.htmx and run.busy:
            return render(request, "imports/preview.html#progress", {"run": run})
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"  # finished: show the whole outcome
            return response
        if run.status == ImportRun.Status.UPLOADED:
            return redirect("imports:mapping", pk=run.pk)
        return self.page(run, CommitForm(initial={"valid_only": run.valid_only}))

    def page(self, run: ImportRun, form: CommitForm, status: int = 200) -> HttpResponse:
        kind = kinds.get(run.kind)
        headings = kind.headings()
        context = {
            "run": run,
            "form": form,
            "kind": kind,
            "mapped": [(h, headings[f]) for h, f in run.mapping.items() if f],
            "report": run.report[:REPORT_SHOWN],
            "more": max(0, len(run.report) - REPORT_SHOWN),
            "can_commit": run.status
            in (ImportRun.Status.PREVIEWED, ImportRun.Status.NOT_COMMITTED),
        }
        return render(self.request, "imports/preview.html", context, status=status)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = self.get_run()
        if run.status not in (ImportRun.Status.PREVIEWED, ImportRun.Status.NOT_COMMITTED):
            messages.warning(request, "This file has already been imported or is being checked.")
            return redirect(run)
        form = CommitForm(request.POST)
        form.is_valid()
        run.valid_only = form.cleaned_data.get("valid_only", False)
        run.save(update_fields=["valid_only", "updated_at"])
        job = services.start(run, commit=True)
        if job is not None:
            messages.info(request, "The file is large; it is being imported in the background.")
            return redirect(run)
        run.refresh_from_db()
        if run.status == ImportRun.Status.COMMITTED:
            messages.success(request, "Imported.")
        else:
            messages.error(request, "Nothing was imported: some rows were rejected.")
        return redirect(run)


def _csv(lines: Any, name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class TemplateDownload(LoginRequiredMixin, View):
    """An empty file with the kind's columns, to fill in."""

    def get(self, request: HttpRequest, kind: str) -> StreamingHttpResponse:
        spec = _kind(kind)
        return _csv(exporting.csv_lines(spec, None), f"{kind}-import-template.csv")


class ExportDownload(LoginRequiredMixin, View):
    """Every record of a kind the person may see, in the columns the importer reads."""

    def get(self, request: HttpRequest, kind: str) -> StreamingHttpResponse:
        spec = _kind(kind)
        stamp = timezone.localtime().strftime("%Y-%m-%d")
        return _csv(exporting.csv_lines(spec, request.user), f"{kind}-importable-{stamp}.csv")
