"""FilterSet base shared by list pages and the API, so both filter the same way."""

import django_filters

from townhall.core.forms import style_fields


class RecordFilterSet(django_filters.FilterSet):
    """Adds USWDS classes to each filter's widget."""

    def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        style_fields(self.form.fields.values())
