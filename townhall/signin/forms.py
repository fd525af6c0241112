from typing import Any

from django import forms

from townhall.core.forms import RecordForm, style_fields
from townhall.signin.models import GroupMapping


class GroupMappingForm(RecordForm):
    provider = forms.ChoiceField(required=False)

    class Meta:
        model = GroupMapping
        fields = ["provider", "group", "role", "department", "notes"]

    def __init__(self, *args: Any, providers: list[dict[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Groups pushed by provisioning (townhall/scim) are looked up as provider "scim".
        offered = [(p["id"], p["name"]) for p in providers] + [("scim", "Provisioning (SCIM)")]
        choices = [("", "Every provider"), *offered]
        current = self.instance.provider if self.instance.pk else ""
        if current and current not in {value for value, _ in offered}:
            choices.append((current, f"{current} (no longer configured)"))
        field = self.fields["provider"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        field.help_text = GroupMapping._meta.get_field("provider").help_text
        field.widget.attrs["class"] = "usa-select"


# Metadata documents are a few kilobytes; ADFS's, with its WS-Federation parts, under 100.
METADATA_LIMIT = 1024 * 1024


class MetadataImportForm(forms.Form):
    """An identity provider's metadata, from its address or a saved file."""

    address = forms.URLField(
        required=False,
        assume_scheme="https",
        max_length=500,
        label="Metadata address",
        help_text="Such as https://fs.county.gov/FederationMetadata/2007-06/"
        "FederationMetadata.xml. Read once, now.",
    )
    file = forms.FileField(
        required=False,
        label="Or a metadata file",
        help_text="The XML file the provider's administrators gave you.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self.fields.values())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        address, upload = data.get("address"), data.get("file")
        if bool(address) == bool(upload):
            raise forms.ValidationError("Give the metadata's address or its file (one of them).")
        if upload is not None:
            if upload.size > METADATA_LIMIT:
                raise forms.ValidationError({"file": "The file is over 1 MB: not metadata."})
            try:
                data["document"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                raise forms.ValidationError(
                    {"file": "The file is not text (UTF-8): not metadata."}
                ) from None
        return data
