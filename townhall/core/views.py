"""Generic pages every registered record gets: list, detail, add, edit, delete, bulk, history."""

import copy
import sys
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import connections, models
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.views import View

from townhall.audit import display
from townhall.audit.display import describe
from townhall.audit.models import AuditEntry
from townhall.core import (
    busy,
    context,
    exports,
    permissions,
    plugins,
    registry,
    services,
    trigram,
)
from townhall.core.filters import SearchFilter
from townhall.core.forms import (
    BulkForm,
    edited_fields,
    free_states,
    narrow_to_free_states,
    offer_own_department,
    read_only_fields,
)
from townhall.core.http import SignedInRequest
from townhall.core.kept import kept
from townhall.core.models import field_named, related_model
from townhall.core.paging import Paginator
from townhall.core.tables import Column

PAGE_SIZES = (25, 50, 100)


def form_data(form: forms.ModelForm) -> dict[str, Any]:
    """The cleaned values of the model fields a form offers people to set."""
    shown_only = set(read_only_fields(form))
    return {
        name: form.cleaned_data[name]
        for name in edited_fields(form)
        if name in form.cleaned_data and name not in shown_only
    }


def filtered_rows(
    resource: registry.Resource, user: Any, query: QueryDict
) -> tuple[models.QuerySet, Any, str]:
    """The rows a list page shows `user` for the address's `query` (filters, `q`, `sort`),
    with its filter set and the sort applied. A background export calls it with the query
    the person's list page had, so the file holds exactly what they saw and may see."""
    table = resource.table()
    qs = permissions.restrict(resource.model._default_manager.all(), user, "view")
    qs = qs.select_related(*table.select_related()).prefetch_related(*table.prefetch_related())
    filterset = resource.filterset(query or None, queryset=qs)
    if filterset.is_bound:
        # The search (`q`) is one of the filters, as in the API. A value the page cannot
        # read is shown beside its filter; the filters that could be read still apply.
        filterset.is_valid()
        qs = filterset.filter_queryset(qs)
    sort = query.get("sort", "") or table.default_sort
    if sort.lstrip("-") in table.sort_fields():
        qs = qs.order_by(sort, "pk")
    else:
        sort = ""
        qs = qs.order_by(*(resource.model._meta.ordering or []), "pk")
    return qs, filterset, sort


class ResourceView(View):
    # Set by Resource.urls() through as_view(resource=…), which takes only names the class
    # already has: the placeholder is never served.
    resource: registry.Resource = None  # type: ignore[assignment]

    @property
    def model(self) -> type[models.Model]:
        return self.resource.model

    def visible(self) -> models.QuerySet:
        return permissions.restrict(self.model._default_manager.all(), self.request.user, "view")

    def nothing_selected(self) -> HttpResponse:
        messages.warning(
            self.request, f"Select one or more {self.resource.verbose_name_plural} first."
        )
        return redirect(self.resource.url_name("list"))

    def get_object(self, action: str = "view") -> models.Model:
        obj = get_object_or_404(self.visible(), pk=self.kwargs["pk"])
        if action != "view" and not permissions.can(self.request.user, action, obj):
            raise PermissionDenied(f"You may not {action} this {self.resource.verbose_name}.")
        return obj

    def context(self, **extra: Any) -> dict[str, Any]:
        user = self.request.user
        r = self.resource
        urls = {a: reverse(r.url_name(a)) for a in ("list", "add", "bulk_edit", "bulk_delete")}
        obj = extra.get("object")
        if obj is not None and obj.pk is not None:
            urls.update(
                {
                    a: reverse(r.url_name(a), args=[obj.pk])
                    for a in ("detail", "edit", "delete", "history")
                }
            )
        return {
            "resource": r,
            "opts": self.model._meta,
            "can_add": permissions.may_add_any(user, self.model),
            "list_url": urls["list"],
            "urls": urls,
            **extra,
        }


class ListPage(ResourceView):
    """Filter, search, sort, paginate; export exactly the filtered rows; pick rows for bulk."""

    def filtered(self) -> tuple[models.QuerySet, Any, str]:
        return filtered_rows(self.resource, self.request.user, self.request.GET)

    def get(self, request: SignedInRequest) -> HttpResponseBase:
        qs, filterset, sort = self.filtered()
        table = self.resource.table()
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            return self.export(qs, table, export)
        try:
            per_page = int(request.GET.get("per_page", PAGE_SIZES[0]))
        except ValueError:
            per_page = PAGE_SIZES[0]
        per_page = per_page if per_page in PAGE_SIZES else PAGE_SIZES[0]
        page = Paginator(qs, per_page).get_page(request.GET.get("page"))
        user = request.user
        # One query tells which rows on this page the person may change (for bulk actions).
        ids = [obj.pk for obj in page.object_list]
        editable = (
            set(
                permissions.restrict(
                    self.model._default_manager.filter(pk__in=ids), user, "change"
                ).values_list("pk", flat=True)
            )
            if ids
            else set()
        )
        rows = [
            {
                "object": obj,
                "editable": obj.pk in editable,
                "cells": [
                    {
                        "text": column.display(obj),
                        "url": obj.get_absolute_url() if column.link else column.related_url(obj),
                    }
                    for column in table.columns
                ],
            }
            for obj in page.object_list
        ]
        query = request.GET.copy()
        for key in ("page", "export"):
            query.pop(key, None)
        sort_query = query.copy()
        sort_query.pop("sort", None)
        headers = []
        for column in table.columns:
            sortable = column.name in table.sort_fields()
            direction = ""
            if sort == column.name:
                direction = "ascending"
            elif sort == f"-{column.name}":
                direction = "descending"
            next_sort = f"-{column.name}" if direction == "ascending" else column.name
            headers.append(
                {
                    "column": column,
                    "sortable": sortable,
                    "direction": direction,
                    "next_sort": next_sort,
                }
            )
        ctx = self.context(
            table=table,
            headers=headers,
            rows=rows,
            page=page,
            filterset=filterset,
            q=request.GET.get("q", ""),
            sort=sort,
            per_page=per_page,
            page_sizes=PAGE_SIZES,
            query=query.urlencode(),
            sort_query=sort_query.urlencode(),
            any_editable=bool(editable),
            can_bulk_edit=bool(self.resource.bulk_fields) and bool(editable),
        )
        template = (
            "core/list.html#results"
            if request.htmx and not request.htmx.boosted
            else "core/list.html"
        )
        return render(request, template, ctx)

    def export(self, qs: models.QuerySet, table: Any, kind: str) -> HttpResponseBase:
        count = qs.count()
        name = self.resource.url_prefix
        stamp = timezone.localtime().strftime("%Y-%m-%d")
        header = [c.label for c in table.columns]
        if count > settings.EXPORT_INLINE_LIMIT:
            from townhall.jobs.services import start_export

            job = start_export(self.request.user, self.resource, self.request.GET.urlencode(), kind)
            messages.info(self.request, f"{count:,} rows is a large export; it is being prepared.")
            return redirect(job.get_absolute_url())
        body = exports.rows(qs.iterator(chunk_size=2000), table.columns)
        response: HttpResponseBase
        if kind == "csv":
            response = StreamingHttpResponse(
                exports.csv_lines(header, body), content_type="text/csv; charset=utf-8"
            )
        else:
            data = exports.xlsx_bytes(self.resource.verbose_name_plural, header, body)
            response = HttpResponse(
                data,
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{kind}"'
        return response


class DetailPage(ResourceView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object()
        form = self.resource.form(instance=obj)
        fields = []
        for name in edited_fields(form):
            if name in services.UNTRACKED_FIELDS or name in self.resource.detail_skip:
                continue
            field = field_named(type(obj), name)
            column = Column(name=name, label=capfirst(str(field.verbose_name)))
            if field.many_to_many and permissions.has_row_rules(related_model(field)):
                fields.append(_visible_links(request.user, obj, field, column.label))
                continue
            value_url = column.related_url(obj)
            if isinstance(field, models.FileField) and getattr(obj, name):
                value_url = getattr(obj, name).url
            fields.append(
                {
                    "label": column.label,
                    "text": column.display(obj),
                    "url": value_url,
                    "help": field.help_text,
                }
            )
        related = [
            related_group(request.user, obj, *(e if isinstance(e, tuple) else (e, None)))
            for e in self.resource.related
        ]
        history = AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model), object_id=str(obj.pk)
        ).select_related("actor")[:5]
        extra = self.resource.detail_context(request, obj) if self.resource.detail_context else {}
        return render(
            request,
            self.resource.detail_template,
            self.context(
                **extra,
                object=obj,
                fields=fields,
                related=related,
                history=history,
                page_links=[
                    {"label": label, "url": reverse(name, args=[obj.pk])}
                    for label, name in self.resource.page_links
                ],
                can_change=permissions.can(request.user, "change", obj),
                can_delete=permissions.can(request.user, "delete", obj),
            ),
        )


RELATED_SHOWN = 25


def related_group(user: Any, obj: models.Model, accessor: str, label: str | None) -> dict[str, Any]:
    """The first records of a related list and how many there are, with a link to all of
    them on their list page when it can filter by this record.

    Queried through the relation itself (`WHERE from_component_id = N ORDER BY id LIMIT 25`,
    which the (end, id) indexes answer from the first rows they hold), never as
    `id IN (SELECT …)` joined to the names' tables: PostgreSQL planned that as a hash join
    over every dependency, 0.6 s per list on the large estate.
    """
    manager = getattr(obj, accessor)
    rel_model = manager.model
    rel_resource = registry.for_model(rel_model)
    items = permissions.restrict(manager.all(), user, "view")
    table = rel_resource.table() if rel_resource is not None else None
    if table is not None:  # what the items' names read
        items = items.select_related(*table.select_related())
        items = items.prefetch_related(*table.prefetch_related())
    shown = list(items[:RELATED_SHOWN])
    count = items.count()
    all_url = None
    field = getattr(manager, "field", None)  # the foreign key of a reverse one-to-many
    if rel_resource is not None and count > len(shown) and field is not None:
        if field.name in rel_resource.filterset.base_filters:
            all_url = f"{reverse(rel_resource.url_name('list'))}?{field.name}={obj.pk}"
    return {
        "label": label or capfirst(rel_model._meta.verbose_name_plural),
        "items": shown,
        "count": count,
        "all_url": all_url,
        "resource": rel_resource,
    }


def _visible_links(user: Any, obj: models.Model, field: Any, label: str) -> dict[str, Any]:
    """Links to records with row rules name only those the person may see."""
    linked = getattr(obj, field.name).all()
    visible = permissions.restrict(related_model(field)._default_manager.all(), user, "view")
    names = [str(o) for o in visible.filter(pk__in=linked.values("pk"))]
    unseen = linked.count() - len(names)
    if unseen:
        names.append(f"{unseen} you may not see")
    return {"label": label, "text": ", ".join(names) or "—", "url": None, "help": field.help_text}


class FormPage(ResourceView):
    @property
    def template(self) -> str:
        return self.resource.form_template

    def form_class(self) -> type[forms.ModelForm]:
        return self.resource.form

    def render_form(
        self, form: forms.ModelForm, obj: Any = None, conflict: Any = None, status: int = 200
    ) -> HttpResponse:
        offer_own_department(form, self.request.user, self.model)
        return render(
            self.request,
            self.template,
            self.context(form=form, object=obj, conflict=conflict),
            status=status,
        )


class CreatePage(FormPage):
    """Add a record. The address may fill in some of the form (`?to_system=12&kind=runs_on`,
    as a system's page links to it): see `initial_from_query`."""

    def get(self, request: SignedInRequest) -> HttpResponse:
        if not permissions.may_add_any(request.user, self.model):
            raise PermissionDenied(f"You may not add {self.resource.verbose_name_plural}.")
        initial = {}
        department_field = getattr(self.model, "department_field", None)
        if department_field not in (None, "pk") and request.user.department_id:
            initial[department_field] = request.user.department_id
        form_class = self.form_class()
        initial.update(initial_from_query(form_class, request.GET, request.user))
        return self.render_form(form_class(initial=initial))

    def post(self, request: HttpRequest) -> HttpResponse:
        if not permissions.may_add_any(request.user, self.model):
            raise PermissionDenied(f"You may not add {self.resource.verbose_name_plural}.")
        form = self.form_class()(request.POST, request.FILES)
        if form.is_valid():
            try:
                obj = services.create(request.user, self.model, form_data(form))
            except ValidationError as exc:
                add_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Added {self.resource.verbose_name} “{obj}”.")
                return redirect(resolve_url(obj))
        return self.render_form(form, status=400)


def initial_from_query(form_class: type[forms.BaseForm], query: Any, user: Any) -> dict[str, Any]:
    """Starting values for an add form from the address: only the form's own fields, each
    value checked by its field as a submitted one would be, and a record only when the
    person may see it. Anything else in the address is ignored, so a link can never put
    into the form what the person could not have chosen."""
    initial: dict[str, Any] = {}
    for name, field in form_class().fields.items():
        if name not in query or name == "version" or isinstance(field, forms.FileField):
            continue
        multiple = isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
        raw = query.getlist(name) if multiple else query.get(name)
        try:
            value = field.clean(raw)
        except ValidationError:
            continue
        if value in field.empty_values:
            continue
        records = list(value) if multiple else [value]
        if any(not _visible_record(user, r) for r in records if isinstance(r, models.Model)):
            continue
        initial[name] = value
    return initial


def _visible_record(user: Any, obj: models.Model) -> bool:
    manager = type(obj)._default_manager
    if not hasattr(manager, "restrict"):
        return True  # not a record with permissions (a tag)
    return manager.restrict(user, "view").filter(pk=obj.pk).exists()


class EditPage(FormPage):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object("change")
        initial = {"version": getattr(obj, "version", None)}
        return self.render_form(self.form_class()(instance=obj, initial=initial), obj)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object("change")
        form = self.form_class()(request.POST, request.FILES, instance=obj)
        version = _posted_version(request, obj)
        if form.is_valid():
            try:
                obj = services.update(request.user, obj, form_data(form), version=version)
            except services.ConflictError as exc:
                fresh = type(obj)._default_manager.get(pk=obj.pk)
                data = request.POST.copy()
                data["version"] = str(getattr(fresh, "version", ""))
                form = self.form_class()(data, request.FILES, instance=fresh)
                form.is_valid()
                labels = {n: str(f.label) for n, f in form.fields.items()}
                names = display.names_for(exc.entries)
                model = type(obj)
                conflict = [
                    {
                        "label": labels.get(name, display.label(model, name)),
                        "start": display.readable(model, name, start, names),
                        "now": display.readable(model, name, now, names),
                        "who": who,
                    }
                    for name, (start, now, who) in exc.changed_fields().items()
                    if name not in display.HIDDEN
                ]
                return self.render_form(form, fresh, conflict=conflict, status=409)
            except ValidationError as exc:
                add_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Saved {self.resource.verbose_name} “{obj}”.")
                return redirect(resolve_url(obj))
        return self.render_form(form, obj, status=400)


def _posted_version(request: HttpRequest, obj: models.Model) -> int | None:
    if not hasattr(obj, "version"):
        return None
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        raise PermissionDenied(
            "The form is missing the version it was opened at; reload the page."
        ) from None


def add_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """The write path's refusal shown on the form: on its field when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class DeletePage(ResourceView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object("delete")
        return render(request, "core/delete.html", self.context(object=obj))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object("delete")
        try:
            services.delete(request.user, obj, version=_posted_version(request, obj))
        except services.ConflictError as exc:
            messages.error(request, str(exc))
            return redirect(resolve_url(obj))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return render(request, "core/delete.html", self.context(object=obj), status=409)
        messages.success(request, f"Deleted {self.resource.verbose_name} “{obj}”.")
        return redirect(self.resource.url_name("list"))


class HistoryPage(ResourceView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        ct = ContentType.objects.get_for_model(self.model)
        entries = (
            AuditEntry.objects.restrict(request.user)
            .filter(content_type=ct, object_id=str(pk))
            .select_related("actor")
        )
        obj = self.visible().filter(pk=pk).first()
        if obj is None and not entries.exists():
            raise Http404("No such record.")
        page = Paginator(entries, 50).get_page(request.GET.get("page"))
        page.object_list = describe(page.object_list)
        return render(request, "core/history.html", self.context(object=obj, page=page, pk=pk))


class NothingSelected(Exception):
    pass


def _selected(view: ResourceView, action: str) -> models.QuerySet:
    try:
        ids = [int(x) for x in view.request.POST.getlist("pk")]
    except ValueError:
        raise PermissionDenied("The selection is not valid.") from None
    if not ids:
        raise NothingSelected
    qs = view.model._default_manager.filter(pk__in=ids)
    allowed = permissions.restrict(qs, view.request.user, action)
    if allowed.count() != len(set(ids)):
        raise PermissionDenied(
            f"Some selected {view.resource.verbose_name_plural} cannot be changed by you; "
            "nothing was done."
        )
    return allowed


def bulk_form(resource: registry.Resource) -> type[forms.Form]:
    """A form with each bulk-editable field, every one optional: blank leaves it as it is."""
    fields = {}
    for name in resource.bulk_fields:
        field = copy.deepcopy(resource.form.base_fields[name])  # keeps widget and its classes
        field.required = False
        if isinstance(field, forms.ModelChoiceField):
            field.empty_label = "Leave unchanged"
            field.widget.choices = field.choices
        elif isinstance(field, forms.ChoiceField):
            # Set choices are kept as (value, label) pairs; the stubs type the getter as the
            # setter's wider input.
            offered = cast(Iterable[tuple[Any, Any]], field.choices)
            field.choices = [("", "Leave unchanged"), *[c for c in offered if c[0] != ""]]
        if name in getattr(resource.model, "transitions", {}):
            # A workflow's state is set by a bulk edit only among the values people set
            # freely (`edited_states`); the write path refuses any other move.
            free = free_states(resource.model, name)
            if not free:
                raise ImproperlyConfigured(
                    f"{resource.model.__name__}.{name} moves only by its transitions; "
                    "it cannot be a bulk-edit field."
                )
            narrow_to_free_states(field, free)
        fields[name] = field
    return type("BulkForm", (BulkForm,), fields)


class BulkEditPage(ResourceView):
    def post(self, request: SignedInRequest) -> HttpResponse:
        if not self.resource.bulk_fields:
            raise Http404("This list has no bulk edit.")
        try:
            objs = _selected(self, "change")
        except NothingSelected:
            return self.nothing_selected()
        form_class = bulk_form(self.resource)
        form = form_class(request.POST if "apply" in request.POST else None)
        offer_own_department(form, request.user, self.model, bulk=True)
        if "apply" not in request.POST:
            return render(request, "core/bulk_edit.html", self.context(form=form, objects=objs))
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            if not data:
                form.add_error(None, "Choose at least one value to set.")
            else:
                try:
                    with context.acting("bulk", request.request_id):
                        count = services.update_many(request.user, list(objs), data)
                except (ValidationError, PermissionDenied) as exc:
                    msgs = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                    form.add_error(None, "Nothing was changed: " + " ".join(msgs))
                else:
                    messages.success(
                        request, f"Changed {count} {self.resource.verbose_name_plural}."
                    )
                    return redirect(self.resource.url_name("list"))
        return render(
            request, "core/bulk_edit.html", self.context(form=form, objects=objs), status=400
        )


class BulkDeletePage(ResourceView):
    def post(self, request: SignedInRequest) -> HttpResponse:
        try:
            objs = _selected(self, "delete")
        except NothingSelected:
            return self.nothing_selected()
        if "confirm" not in request.POST:
            return render(request, "core/bulk_delete.html", self.context(objects=objs))
        try:
            with context.acting("bulk", request.request_id):
                count = services.delete_many(request.user, list(objs))
        except ValidationError as exc:
            messages.error(request, "Nothing was deleted: " + " ".join(exc.messages))
            return render(request, "core/bulk_delete.html", self.context(objects=objs), status=409)
        messages.success(request, f"Deleted {count} {self.resource.verbose_name_plural}.")
        return redirect(self.resource.url_name("list"))


class HomePage(View):
    """The person's home: built for their role by the module that registered one
    (`plugins.register_home`), else the record counts."""

    def get(self, request: HttpRequest) -> HttpResponse:
        build = plugins.home()
        if build is not None and (response := build(request)) is not None:
            return response
        return RecordsPage().get(request)


class RecordsPage(View):
    """How many records of each kind the person may see, and the latest changes."""

    def get(self, request: HttpRequest) -> HttpResponse:
        counts = kept(f"core:home-counts:{request.user.pk}", _home_counts, request.user)
        cards = [
            {
                "resource": resource,
                "count": counts[resource.key],
                "url": reverse(resource.url_name("list")),
            }
            for resource in registry.all_resources()
            if resource.key in counts
        ]
        recent = AuditEntry.objects.restrict(request.user).without_values().without_sign_ins()
        recent = recent.select_related("actor")[:10]
        links = plugins.home_links()  # a module's dashboard (`plugins.register_home_link`)
        notices = plugins.home_notices(request.user)  # what waits for this person
        page: dict[str, Any] = {"cards": cards, "recent": recent, "home_links": links}
        page |= {"notices": notices, "records_page": request.path == reverse("core:records")}
        return render(request, "core/home.html", page)


def _home_counts(user: Any) -> dict[str, int]:
    """How many records of each kind the person may see (45 counts, 0.3 s on the large
    estate: kept until the next change)."""
    counts = {}
    for resource in registry.all_resources():
        if getattr(resource.model, "admin_only", False) and not permissions.is_admin(user):
            continue
        visible = permissions.restrict(resource.model._default_manager.all(), user, "view")
        counts[resource.key] = visible.count()
    return counts


SEARCH_SHOWN = 10  # hits shown per kind of record
SEARCH_READ = 50  # hits read per kind, of which the first by name are shown


def own_fields(resource: registry.Resource) -> list[str]:
    """The search fields of the record itself, not of records it links to."""
    return [name for name in resource.search_fields if "__" not in name]


def search_ids(visible: models.QuerySet, fields: list[str], text: str) -> list[Any]:
    """The keys of at most `SEARCH_READ` rows of `visible` with `text` in one of `fields`.

    Where each field has a trigram index (PostgreSQL), each field is searched on its own,
    `SEARCH_READ` at most, and the keys merged (`UNION`): for one condition per field
    joined by `OR` the planner read every row instead of the indexes whenever they held
    pending entries (after a bulk load, until a vacuum or `dbstats.refresh_statistics`):
    70 ms over the 100,000 components, against 13 ms through the same indexes. Each field
    on its own uses its index in either state. A text without three letters or
    digits in a row gives the indexes nothing to look up: one scan then reads the table once,
    where a scan per field would read it once per field."""
    model = visible.model
    if (
        len(fields) > 1
        and connections[visible.db].vendor == "postgresql"
        and trigram.indexed(model._meta.db_table, fields)
        and trigram.WORD.search(text)
    ):
        each = [
            SearchFilter([name]).filter(visible, text).order_by().values_list("pk", flat=True)
            for name in fields
        ]
        found = each[0][:SEARCH_READ].union(*(qs[:SEARCH_READ] for qs in each[1:]))
    else:
        found = SearchFilter(fields).filter(visible, text).order_by().values_list("pk", flat=True)
    return list(found[:SEARCH_READ])


class SearchPage(View):
    """Search across every kind of record, showing only what the person may see.

    Each kind is searched by its own fields (a link's name, `system__name`, joined every
    exposure to its system: the record it names is found by its own name instead), and
    at most `SEARCH_READ` hits are read in no particular order, then sorted by name: in
    name order, the database walked the name index past every non-matching row of the
    100,000 components. The "more" link leads to the kind's list, searched in full."""

    def get(self, request: HttpRequest) -> HttpResponse:
        text = request.GET.get("q", "").strip()[:200]
        groups = []
        if text:
            for resource in registry.all_resources():
                fields = own_fields(resource)
                if not fields:
                    continue
                model = resource.model
                visible = permissions.restrict(model._default_manager.all(), request.user, "view")
                ids = search_ids(visible, fields, text)  # the scan, unjoined
                names = resource.table().select_related()  # then the hits with what they show
                hits = (
                    list(
                        resource.model._default_manager.filter(pk__in=ids)
                        .order_by()
                        .select_related(*names)
                    )
                    if ids
                    else []
                )
                if hits:
                    first = fields[0]
                    hits.sort(key=lambda hit: (str(getattr(hit, first)).casefold(), hit.pk))
                    groups.append(
                        {
                            "resource": resource,
                            "hits": hits[:SEARCH_SHOWN],
                            "more": len(hits) > SEARCH_SHOWN,
                            "url": reverse(resource.url_name("list")) + "?" + _q(text),
                        }
                    )
        return render(request, "core/search.html", {"q": text, "groups": groups})


def _q(text: str) -> str:
    q = QueryDict(mutable=True)
    q["q"] = text
    return q.urlencode()


def media(request: HttpRequest, path: str) -> FileResponse:
    """Serve an uploaded file only to someone who may see the record that holds it."""
    for resource in registry.all_resources():
        for field in resource.model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                model = resource.model
                qs = permissions.restrict(model._default_manager.all(), request.user, "view")
                if qs.filter(**{field.name: path}).exists():
                    storage = field.storage
                    if not storage.exists(path):
                        raise Http404("The file is missing from storage.")
                    return FileResponse(
                        storage.open(path, "rb"),
                        as_attachment=True,
                        filename=path.rsplit("/", 1)[-1],
                    )
    raise Http404("No such file.")


@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def _api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _api(request):
        detail = str(exception or "") or "You may not do this."
        return JsonResponse({"detail": detail}, status=403)
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """API addresses that match no route answer JSON, as the API's own 404s do."""
    if _api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # Called while the error is being handled: a busy database is not a server error.
    if busy.transient(sys.exc_info()[1] or Exception()):
        return busy.response(request)
    if _api(request):
        return JsonResponse({"detail": "Something went wrong on the server."}, status=500)
    return render(request, "500.html", status=500)
