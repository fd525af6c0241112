"""One filterset per register record: list-page and API filters."""

from townhall.core.filters import RecordFilterSet, department_filter
from townhall.registers import models as m

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
