"""The import pages: upload, map columns, preview the outcome, commit; templates and exports."""

import re
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from townhall.core import exports, permissions
from townhall.core.forms import field_of
from townhall.core.http import SignedInRequest, whole_number
from townhall.imports import exporting, kinds, mapping, parsing, services
from townhall.imports.forms import (
    CommitForm,
    MappingForm,
    SavedMappingChoice,
    UploadForm,
    ValueMapForm,
)
from townhall.imports.models import ImportRun, SavedMapping

REPORT_SHOWN = 500  # rows of the problem report on the page; the counts cover them all


def importable_kinds(user: Any) -> list[tuple[str, str]]:
    """The kinds this person may add or change records of."""
    result = []
    for kind in kinds.all_kinds():
        liaison_own = kind.key == "department" and permissions.is_liaison(user)
        if permissions.may_add_any(user, kind.model) or liaison_own:
            result.append((kind.key, kind.label))
    return result


def _kind(key: str) -> kinds.Kind:
    try:
        return kinds.get(key)
    except KeyError:
        raise Http404("No such kind of record.") from None


class RunView(View):
    """A page about one of the person's own import runs."""

    def get_run(self) -> ImportRun:
        run = get_object_or_404(
            ImportRun.objects.restrict(self.request.user).select_related("job"),
            pk=self.kwargs["pk"],
        )
        if run.kind not in dict(importable_kinds(self.request.user)):
            raise PermissionDenied(f"You may not import {run.get_kind_display().lower()}.")
        return run


class ImportHome(View):
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
        """The upload form; `?kind=` chooses the kind (a module's page links here so)."""
        allowed = importable_kinds(request.user)
        wanted = request.GET.get("kind", "")
        initial = {"kind": wanted} if wanted in dict(allowed) else {}
        return self.page(UploadForm(kinds=allowed, initial=initial))

    def post(self, request: SignedInRequest) -> HttpResponse:
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
            mapping=kind.guess(sheet.header),
            created_by=request.user,
        )
        run.file.save(upload.name, upload, save=False)
        run.save()
        return redirect("imports:mapping", pk=run.pk)


class MappingPage(RunView):
    def page(
        self, run: ImportRun, form: MappingForm, status: int = 200, saved: Any = None
    ) -> HttpResponse:
        chooser = SavedMappingChoice(kind=run.kind)
        choices = field_of(chooser, "saved", forms.ModelChoiceField).queryset
        context = {
            "run": run,
            "form": form,
            "chooser": chooser if choices is not None and choices.exists() else None,
            "saved": saved,
        }
        return render(self.request, "imports/mapping.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = self.get_run()
        if run.busy:
            return redirect(run)
        kind = kinds.get(run.kind)
        sheet = services.sheet(run)
        initial = run.mapping
        saved = None
        if "saved" in request.GET:
            chooser = SavedMappingChoice(request.GET, kind=run.kind)
            if chooser.is_valid():
                saved = chooser.cleaned_data["saved"]
                initial, problems = mapping.clean(saved.columns, sheet.header, kind.headings())
                messages.info(request, f"Using the saved mapping “{saved}”.")
                for problem in problems:
                    messages.warning(request, problem)
        form = MappingForm(kind=kind, sheet=sheet, initial_map=initial)
        return self.page(run, form, saved=saved)

    def post(self, request: SignedInRequest, pk: int) -> HttpResponse:
        run = self.get_run()
        if run.busy:
            return redirect(run)
        kind = kinds.get(run.kind)
        form = MappingForm(request.POST, kind=kind, sheet=services.sheet(run), initial_map={})
        if not form.is_valid():
            return self.page(run, form, status=400)
        run.mapping = form.cleaned_data["mapping"]
        run.status = ImportRun.Status.UPLOADED
        saved_id = whole_number(request.POST.get("saved"))  # the mapping the page applied
        run.saved_mapping = (
            SavedMapping.objects.filter(kind=run.kind, pk=saved_id).first()
            if saved_id is not None
            else None
        )
        if run.saved_mapping is not None:  # the values it maps, as its columns
            run.value_map = run.saved_mapping.values
        name = form.cleaned_data["save_as"].strip()
        if name:
            columns = {h: f for h, f in run.mapping.items() if f}
            try:
                run.saved_mapping = services.save_mapping(
                    request.user, run.kind, name, columns, run.value_map
                )
            except (ValidationError, PermissionDenied) as exc:
                reasons = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                form.add_error("save_as", " ".join(reasons))
                return self.page(run, form, status=400)
            messages.success(request, f"Saved the mapping as “{name}”.")
        run.save(update_fields=["mapping", "status", "saved_mapping", "value_map", "updated_at"])
        job = services.start(run, commit=False)
        if job is not None:
            messages.info(request, "The file is large; it is being checked in the background.")
        return redirect(run)


class PreviewPage(RunView):
    """The check's outcome, the problem report, and the commit button."""

    def get(self, request: SignedInRequest, pk: int) -> HttpResponse:
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

    def page(
        self,
        run: ImportRun,
        form: CommitForm,
        status: int = 200,
        values_form: ValueMapForm | None = None,
    ) -> HttpResponse:
        kind = kinds.get(run.kind)
        headings = kind.headings()
        can_commit = run.status in (ImportRun.Status.PREVIEWED, ImportRun.Status.NOT_COMMITTED)
        unknown = services.unknown_values(run) if can_commit else []
        if unknown and values_form is None:
            values_form = ValueMapForm(kind=kind, unknown=unknown, saved_name=_saved_name(run))
        context = {
            "run": run,
            "form": form,
            "values_form": values_form if unknown else None,
            "kind": kind,
            "mapped": [(h, headings[f]) for h, f in run.mapping.items() if f],
            "report": run.report[:REPORT_SHOWN],
            "more": max(0, len(run.report) - REPORT_SHOWN),
            "can_commit": can_commit,
            "bad_rows": len({p["row"] for p in run.report}),
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
            bad = run.counts.get("rejected", 0)
            messages.error(
                request,
                f"Nothing was imported: {bad:,} row{'s' if bad != 1 else ''} cannot be "
                "imported, and a file with rejected rows imports nothing unless you choose "
                "to import only the valid rows. Import them below, or fix the rows and "
                "upload the file again.",
            )
        return redirect(run)


def _saved_name(run: ImportRun) -> str:
    return run.saved_mapping.name if run.saved_mapping is not None else ""


class ValuesPage(RunView):
    """The choices the person gives to values of the file the importer did not know."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = self.get_run()
        if run.status not in (ImportRun.Status.PREVIEWED, ImportRun.Status.NOT_COMMITTED):
            messages.warning(request, "This file has already been imported or is being checked.")
            return redirect(run)
        kind = kinds.get(run.kind)
        unknown = services.unknown_values(run)
        form = ValueMapForm(request.POST, kind=kind, unknown=unknown, saved_name=_saved_name(run))
        if not form.is_valid():
            commit = CommitForm(initial={"valid_only": run.valid_only})
            return PreviewPage(request=request, kwargs=self.kwargs).page(
                run, commit, status=400, values_form=form
            )
        chosen = form.chosen()
        if not chosen:
            messages.info(request, "No value was given a choice; nothing changed.")
            return redirect(run)
        services.map_values(run, chosen, keep=bool(form.cleaned_data.get("keep")))
        job = services.start(run, commit=False)
        given = sum(len(words) for words in chosen.values())
        messages.success(
            request,
            f"{given:,} value{'s' if given != 1 else ''} mapped; the file was checked again.",
        )
        if job is not None:
            messages.info(request, "The file is large; it is being checked in the background.")
        return redirect(run)


class RejectedDownload(RunView):
    """The problems of the last check, one line each, to fix the file by (CSV, with cells a
    spreadsheet would run as formulas made inert)."""

    def get(self, request: HttpRequest, pk: int) -> StreamingHttpResponse:
        run = self.get_run()
        lines = (
            [
                p["row"],
                exports.safe_cell(p["column"]),
                exports.safe_cell(p["value"]),
                exports.safe_cell(p["reason"]),
            ]
            for p in run.report
        )
        header = ["Row", "Column", "Value", "Reason"]
        stem = re.sub(r"[^A-Za-z0-9._-]+", "-", run.filename.rsplit(".", 1)[0])[:80] or "import"
        return _csv(exports.csv_lines(header, lines), f"{stem}-rejected-rows.csv")


def _csv(lines: Any, name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class TemplateDownload(View):
    """An empty file with the kind's columns, to fill in."""

    def get(self, request: HttpRequest, kind: str) -> StreamingHttpResponse:
        spec = _kind(kind)
        return _csv(exporting.csv_lines(spec, None), f"{kind}-import-template.csv")


class ExportDownload(View):
    """Every record of a kind the person may see, in the columns the importer reads."""

    def get(self, request: HttpRequest, kind: str) -> StreamingHttpResponse:
        spec = _kind(kind)
        stamp = timezone.localtime().strftime("%Y-%m-%d")
        return _csv(exporting.csv_lines(spec, request.user), f"{kind}-importable-{stamp}.csv")
