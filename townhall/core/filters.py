"""FilterSet base shared by list pages and the API, so both filter the same way."""

import django_filters
from django import forms


class RecordFilterSet(django_filters.FilterSet):
    """Adds USWDS classes to each filter's widget."""

    def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        for f in self.form.fields.values():
            if isinstance(f.widget, forms.Select | forms.SelectMultiple):
                f.widget.attrs.setdefault("class", "usa-select")
            elif isinstance(f.widget, forms.CheckboxInput):
                f.widget.attrs.setdefault("class", "usa-checkbox__input")
            else:
                f.widget.attrs.setdefault("class", "usa-input")
