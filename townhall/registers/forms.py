"""One form per register record: the fields people edit."""

from django import forms

from townhall.core.forms import DateInput, RecordForm
from townhall.core.widgets import PickOne
from townhall.registers import models as m

# --- Data inventory ---------------------------------------------------------------------

_REVIEW = ["review_owner", "last_reviewed_on", "next_review_on"]


class DatasetForm(RecordForm):
    landing_page = forms.URLField(
        label="Open-data address",
        required=False,
        assume_scheme="https",
        max_length=500,
        help_text="The dataset's public page.",
    )
    license = forms.URLField(required=False, assume_scheme="https", max_length=500)

    class Meta:
        model = m.Dataset
        fields = [
            "title",
            "identifier",
            "description",
            "keywords",
            "themes",
            "owner_department",
            "steward",
            "contact_name",
            "contact_email",
            "system",
            "classification",
            "personal_data",
            "sensitive_personal_data",
            "childrens_data",
            "retention_schedule",
            "retention_years",
            "accrual_periodicity",
            "access_level",
            "rights",
            "landing_page",
            "license",
            "spatial",
            "temporal",
            "issued",
            "data_modified_on",
            *_REVIEW,
            "notes",
        ]
        widgets = {
            "steward": PickOne,
            "system": PickOne,
            "review_owner": PickOne,
            "issued": DateInput,
            "data_modified_on": DateInput,
            "last_reviewed_on": DateInput,
            "next_review_on": DateInput,
        }


class DistributionForm(RecordForm):
    download_url = forms.URLField(
        label="Download address", required=False, assume_scheme="https", max_length=500
    )
    access_url = forms.URLField(
        label="Access address", required=False, assume_scheme="https", max_length=500
    )

    class Meta:
        model = m.Distribution
        fields = [
            "dataset",
            "title",
            "description",
            "download_url",
            "access_url",
            "media_type",
            "format",
            "notes",
        ]
        widgets = {"dataset": PickOne}
