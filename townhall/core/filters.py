"""FilterSet base shared by list pages and the API, so both filter the same way."""

import django_filters
from django import forms

from townhall.core.forms import style_fields
from townhall.core.widgets import QuickSelect


class RecordFilterSet(django_filters.FilterSet):
    """Adds USWDS classes to each filter's widget. Drop-down lists are written without a
    template per option (`QuickSelect`, the same HTML): a filter offering every department
    or vendor would otherwise cost more than the rest of the list page."""

    def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        fields = self.form.fields.values()
        for field in fields:
            if type(field.widget) is forms.Select:
                field.widget = QuickSelect.like(field.widget)
        style_fields(fields)
