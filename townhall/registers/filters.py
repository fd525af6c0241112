"""One filterset per register record: list-page and API filters."""

import django_filters

from townhall.core.filters import RecordFilterSet, department_filter
from townhall.registers import models as m

# --- Emergency communications ---


class ContinuumAssessmentFilterSet(RecordFilterSet):
    owner_department = department_filter()

    class Meta:
        model = m.ContinuumAssessment
        fields = ["owner_department"]


class LaneRatingFilterSet(RecordFilterSet):
    class Meta:
        model = m.LaneRating
        fields = ["assessment", "lane", "level"]


class TalkgroupFilterSet(RecordFilterSet):
    owner_department = department_filter()
    encrypted = django_filters.BooleanFilter()

    class Meta:
        model = m.Talkgroup
        fields = ["owner_department", "radio_system", "purpose", "encrypted"]


class PartnerAgencyFilterSet(RecordFilterSet):
    owner_department = department_filter()

    class Meta:
        model = m.PartnerAgency
        fields = ["owner_department", "kind"]


class InteropLinkFilterSet(RecordFilterSet):
    class Meta:
        model = m.InteropLink
        fields = ["partner", "talkgroup", "how", "works"]
