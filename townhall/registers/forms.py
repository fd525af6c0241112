"""One form per register record: the fields people edit."""

from django import forms

from townhall.core.forms import RecordForm
from townhall.registers import models as m

# --- Social media accounts ---


class SocialAccountForm(RecordForm):
    address = forms.URLField(required=False, assume_scheme="https", max_length=500)

    class Meta:
        model = m.SocialAccount
        fields = [
            "platform",
            "handle",
            "address",
            "owner_department",
            "owner",
            "administrators",
            "multi_factor",
            "credentials_kept_in",
            "recovery_email",
            "recovery_phone",
            "recovery_phone_government",
            "recovery_person",
            "review_owner",
            "last_reviewed_on",
            "next_review_on",
            "external_id",
            "notes",
        ]
