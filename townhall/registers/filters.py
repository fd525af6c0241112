"""One filterset per register record: list-page and API filters."""

import django_filters

from townhall.core.filters import RecordFilterSet, department_filter
from townhall.registers import models as m

# --- Social media accounts ---


class SocialAccountFilterSet(RecordFilterSet):
    owner_department = department_filter()
    platform = django_filters.ChoiceFilter(choices=m.SocialAccount.Platform.choices)
    credentials_kept_in = django_filters.ChoiceFilter(choices=m.SocialAccount.Credentials.choices)
    multi_factor = django_filters.BooleanFilter(label="Multi-factor on")

    class Meta:
        model = m.SocialAccount
        fields = ["owner_department", "platform", "credentials_kept_in", "multi_factor"]


# --- AI use cases ---


class AIUseCaseFilterSet(RecordFilterSet):
    owner_department = department_filter()

    class Meta:
        model = m.AIUseCase
        fields = ["owner_department", "stage", "high_impact", "topic_area", "vendor", "system"]


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


# --- Innovation pilots and emerging technology ---


class PilotFilterSet(RecordFilterSet):
    owner_department = department_filter()

    class Meta:
        model = m.Pilot
        fields = ["technology", "stage", "owner_department", "vendor", "personal_data"]


class SurveillanceReviewFilterSet(RecordFilterSet):
    owner_department = department_filter()

    class Meta:
        model = m.SurveillanceReview
        fields = ["decision", "pilot", "system", "owner_department"]


class ReadinessAssessmentFilterSet(RecordFilterSet):
    owner_department = department_filter()

    class Meta:
        model = m.ReadinessAssessment
        fields = ["technology", "pilot", "owner_department"]


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
