"""A model's full set of pages and API from one short declaration.

An app's views.py declares `Resource(model=..., form=..., filterset=..., table=...)` and
registers it; urls.py and the API router take their routes from there.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

import django_filters
from django import forms
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import URLPattern, path

_resources: dict[str, "Resource"] = {}
# app label -> model name -> field -> stored value -> the other words cities use for it.
_spellings: dict[str, dict[str, dict[str, dict[str, tuple[str, ...]]]]] = {}  # app, model
_column_spellings: dict[str, dict[str, tuple[str, ...]]] = {}  # app -> field -> headings


@dataclass
class Resource:
    model: type[models.Model]
    form: type[forms.ModelForm]
    table: type
    filterset: type[django_filters.FilterSet]
    search_fields: Sequence[str] = ()
    bulk_fields: Sequence[str] = ()
    # Reverse accessors listed on the detail page: "name", or ("name", "Heading").
    related: Sequence[str | tuple[str, str]] = ()
    serializer: type | None = None
    # More pages about one record, as (button label, URL name taking the record's pk).
    page_links: Sequence[tuple[str, str]] = ()
    nav_label: str = ""
    # Listed in the main menu; records reached from other pages (an assessment's scores)
    # say False to keep the menu short.
    in_nav: bool = True
    # A template extending core/detail.html (blocks `actions` and `extra`), and a function
    # (request, obj) -> dict adding to its context, for records with more to show.
    detail_template: str = "core/detail.html"
    detail_context: Callable[[Any, Any], dict[str, Any]] | None = None
    # Form fields the detail page leaves to that template (shown there in a better shape).
    detail_skip: Sequence[str] = ()
    form_template: str = "core/form.html"
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Search is one of the record's filters (`q`, over `search_fields`): the list page,
        # its export and the API filter through the same filter set, so they find the same.
        from townhall.core.filters import searchable

        self.filterset = searchable(self.filterset, self.search_fields)

    @property
    def app_label(self) -> str:
        return self.model._meta.app_label

    @property
    def name(self) -> str:
        name = self.model._meta.model_name
        assert name is not None  # set on every model class when it is made
        return name

    @property
    def key(self) -> str:
        return f"{self.app_label}.{self.name}"

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def verbose_name_plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def url_prefix(self) -> str:
        """The record's part of its addresses (pages and API): its plural name in lower
        case, words joined by hyphens (`ai-use-cases`), as every other address is written."""
        return self.verbose_name_plural.replace(" ", "-").lower()

    @property
    def old_url_prefixes(self) -> list[str]:
        """Parts its addresses had before they were all lower case (`AI-use-cases`): kept
        answering with a permanent redirect, so bookmarks, links in e-mails and API callers
        keep working."""
        old = self.verbose_name_plural.replace(" ", "-")
        return [old] if old != self.url_prefix else []

    def url_name(self, action: str) -> str:
        return f"{self.app_label}:{self.name}_{action}"

    def urls(self) -> list[URLPattern]:
        from townhall.core import views

        pages = [  # (address under the record's prefix, view, name suffix)
            ("", views.ListPage, "list"),
            ("add/", views.CreatePage, "add"),
            ("bulk-edit/", views.BulkEditPage, "bulk_edit"),
            ("bulk-delete/", views.BulkDeletePage, "bulk_delete"),
            ("<int:pk>/", views.DetailPage, "detail"),
            ("<int:pk>/edit/", views.EditPage, "edit"),
            ("<int:pk>/delete/", views.DeletePage, "delete"),
            ("<int:pk>/history/", views.HistoryPage, "history"),
        ]
        return [
            path(
                f"{self.url_prefix}/{route}",
                view.as_view(resource=self),
                name=f"{self.name}_{suffix}",
            )
            for route, view, suffix in pages
        ] + moved_urls(self.old_url_prefixes, self.url_prefix)


def moved_urls(old_prefixes: Sequence[str], prefix: str, view: Any = None) -> list[URLPattern]:
    """Addresses under each of `old_prefixes` answered by `view` (`moved`, which asks for
    sign-in first as every page does; the API gives its own) with a permanent redirect to
    the same address under `prefix`."""
    view = view or moved
    found = []
    for old in old_prefixes:
        where = {"old": old, "prefix": prefix}
        found += [
            path(f"{old}/", view, kwargs={**where, "rest": ""}),
            path(f"{old}/<path:rest>", view, kwargs=where),
        ]
    return found


def moved(request: HttpRequest, old: str, prefix: str, rest: str = "") -> HttpResponse:
    """The same address under its new `prefix`, its query kept: 301 for a read, 308 for a
    form or API write, so its method and body are sent again rather than turned into a
    read."""
    target = request.path.replace(f"/{old}/", f"/{prefix}/", 1)
    if request.META.get("QUERY_STRING"):
        target += "?" + request.META["QUERY_STRING"]
    reading = request.method in ("GET", "HEAD")
    return HttpResponsePermanentRedirect(target, preserve_request=not reading)


def register(resource: Resource) -> Resource:
    _resources[resource.key] = resource
    return resource


def declare(model: type[models.Model], search_fields: Sequence[str] = (), **extra: Any) -> Resource:
    """Register a record from the parts its app names after it: `forms.<Model>Form`,
    `tables.<Model>Table` and `filters.<Model>FilterSet` (the files every app keeps; see
    docs/architecture.md). `extra` is any other `Resource` setting."""
    package = model._meta.app_config.name
    name = model.__name__

    def part(module: str, suffix: str) -> Any:
        return getattr(import_module(f"{package}.{module}"), f"{name}{suffix}")

    return register(
        Resource(
            model=model,
            form=part("forms", "Form"),
            table=part("tables", "Table"),
            filterset=part("filters", "FilterSet"),
            search_fields=search_fields,
            **extra,
        )
    )


def all_resources() -> list[Resource]:
    return list(_resources.values())


def for_model(model: type[models.Model]) -> Resource | None:
    return _resources.get(f"{model._meta.app_label}.{model._meta.model_name}")


def urls(*resources: Resource) -> list[URLPattern]:
    patterns: list[URLPattern] = []
    for resource in resources:
        patterns.extend(resource.urls())
    return patterns


def register_spellings(
    app_label: str, spellings: dict[str, dict[str, dict[str, tuple[str, ...]]]]
) -> None:
    """An app's words for its choices (model -> field -> value -> words, e.g. "On-Prem" for
    on premises), read by the importer beside each choice's own value and label."""
    _spellings[app_label] = spellings


def choice_spellings(model: type[models.Model], field_name: str) -> dict[str, tuple[str, ...]]:
    """value -> other words for it, for `model`'s choice field `field_name` ({} if none)."""
    by_model = _spellings.get(model._meta.app_label, {})
    return by_model.get(model._meta.model_name or "", {}).get(field_name, {})


def register_column_spellings(app_label: str, spellings: dict[str, tuple[str, ...]]) -> None:
    """How people head the columns of an app's own fields (field -> headings, lower case,
    without punctuation), shared by all its import kinds; the importer tries them after the
    platform's spellings of the fields every kind has (`imports.mapping.SYNONYMS`)."""
    _column_spellings[app_label] = spellings


def column_spellings(app_label: str) -> dict[str, tuple[str, ...]]:
    """field -> headings the app registered for its own fields ({} if none)."""
    return _column_spellings.get(app_label, {})
