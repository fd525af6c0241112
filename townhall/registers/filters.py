"""One filterset per register record: list-page and API filters."""

import django_filters

from townhall.core.filters import RecordFilterSet, department_filter
from townhall.registers import models as m

# --- Data inventory ---------------------------------------------------------------------


class DatasetFilterSet(RecordFilterSet):
    owner_department = department_filter()
    classification = django_filters.ChoiceFilter(choices=m.Dataset.Classification.choices)
    access_level = django_filters.ChoiceFilter(choices=m.Dataset.AccessLevel.choices)
    personal_data = django_filters.BooleanFilter(label="Contains personal data")

    class Meta:
        model = m.Dataset
        fields = ["owner_department", "classification", "access_level", "personal_data", "system"]


class DistributionFilterSet(RecordFilterSet):
    class Meta:
        model = m.Distribution
        fields = ["dataset"]
