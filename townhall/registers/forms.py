"""One form per register record: the fields people edit."""

from townhall.core.forms import DateInput, RecordForm
from townhall.core.widgets import PickOne
from townhall.registers import models as m

# --- Emergency communications ---

REVIEW_FIELDS = ["owner_department", "review_owner", "last_reviewed_on", "next_review_on"]
REVIEW_WIDGETS = {
    "review_owner": PickOne,
    "last_reviewed_on": DateInput,
    "next_review_on": DateInput,
}


class ContinuumAssessmentForm(RecordForm):
    class Meta:
        model = m.ContinuumAssessment
        fields = ["assessed_on", *REVIEW_FIELDS, "notes"]
        widgets = {"assessed_on": DateInput, **REVIEW_WIDGETS}


class LaneRatingForm(RecordForm):
    class Meta:
        model = m.LaneRating
        fields = ["assessment", "lane", "level", "evidence", "evidence_document", "notes"]
        widgets = {"assessment": PickOne, "evidence_document": PickOne}


class TalkgroupForm(RecordForm):
    class Meta:
        model = m.Talkgroup
        fields = [
            "name",
            "radio_system",
            "purpose",
            "encrypted",
            "identifier",
            *REVIEW_FIELDS,
            "notes",
        ]
        widgets = {"radio_system": PickOne, **REVIEW_WIDGETS}


class PartnerAgencyForm(RecordForm):
    class Meta:
        model = m.PartnerAgency
        fields = ["name", "kind", *REVIEW_FIELDS, "notes"]
        widgets = REVIEW_WIDGETS


class InteropLinkForm(RecordForm):
    class Meta:
        model = m.InteropLink
        fields = ["partner", "talkgroup", "how", "tested_on", "works", "notes"]
        widgets = {"partner": PickOne, "talkgroup": PickOne, "tested_on": DateInput}
