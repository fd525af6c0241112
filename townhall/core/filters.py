"""FilterSet base shared by list pages and the API, so both filter the same way."""

from collections.abc import Sequence
from typing import Any

import django_filters
from django import forms
from django.db import models
from django.db.models import Q
from drf_spectacular.utils import extend_schema_field

from townhall.core.forms import style_fields
from townhall.core.widgets import QuickSelect
from townhall.org.models import Department


def department_filter(
    field_name: str = "owner_department", label: str = "Department"
) -> django_filters.ModelChoiceFilter:
    """The department filter of a list page and its API: by default on the record's owner."""
    return django_filters.ModelChoiceFilter(
        field_name=field_name, queryset=Department.objects.all(), label=label
    )


class StrictBooleanSelect(forms.NullBooleanSelect):
    """Yes / No / any; passes on what was sent, unchanged. Django labels the empty choice
    "Unknown", which on a filter reads as "records whose value is unknown": it means any."""

    def __init__(self, attrs=None):  # noqa: ANN001
        super().__init__(attrs)
        self.choices = [("", "Any"), ("true", "Yes"), ("false", "No")]

    def value_from_datadict(self, data, files, name):  # noqa: ANN001, ANN201
        return data.get(name)


class StrictBooleanField(forms.NullBooleanField):
    """A yes/no filter that refuses what is neither (`?active=0.6` answered every row)."""

    widget = StrictBooleanSelect

    def to_python(self, value):  # noqa: ANN001, ANN201
        if value in (None, "", "unknown"):
            return None
        if value in (True, "true", "True"):
            return True
        if value in (False, "false", "False"):
            return False
        raise forms.ValidationError("Use true or false.", code="invalid")


class RecordFilterSet(django_filters.FilterSet):
    """Adds USWDS classes to each filter's widget. Drop-down lists are written without a
    template per option (`QuickSelect`, the same HTML): a filter offering every department
    or vendor would otherwise cost more than the rest of the list page."""

    def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            if isinstance(filter_, django_filters.BooleanFilter):
                filter_.field_class = StrictBooleanField
        fields = self.form.fields.values()
        for field in fields:
            if type(field.widget) is forms.Select:
                field.widget = QuickSelect.like(field.widget)
        style_fields(fields)


SEARCH_HELP = "Text to look for in the record's main fields (case-insensitive)."


@extend_schema_field({"type": "string", "description": SEARCH_HELP})
class SearchFilter(django_filters.CharFilter):
    """Free text looked for in several fields at once (case-insensitive, any one matching).

    Every record's filter set has one, `q`, over its resource's `search_fields`, so a list
    page, its export and the API search in exactly the same way; global search and the
    picker use it over the fields they choose."""

    def __init__(self, fields: Sequence[str] = (), **kwargs: Any) -> None:
        kwargs.setdefault("label", "Search")
        kwargs.setdefault("widget", forms.SearchInput)
        super().__init__(**kwargs)
        self.fields = tuple(fields)

    def filter(self, qs: models.QuerySet, value: Any) -> models.QuerySet:
        text = (value or "").strip()
        if not text or not self.fields:
            return qs
        condition = Q()
        for name in self.fields:
            condition |= Q(**{f"{name}__icontains": text})
        return qs.filter(condition)


def searchable(
    filterset: type[django_filters.FilterSet], fields: Sequence[str]
) -> type[django_filters.FilterSet]:
    """`filterset` with a search filter `q` over `fields`, first in its form (the list
    page's search box). A filter set without fields to search is returned as it is."""
    if not fields or isinstance(filterset.base_filters.get("q"), SearchFilter):
        return filterset
    attrs = {"q": SearchFilter(fields), "__module__": filterset.__module__}
    built: type[django_filters.FilterSet] = type(filterset.__name__, (filterset,), attrs)
    built.base_filters = {"q": built.base_filters["q"], **filterset.base_filters}
    return built
