from typing import Any

from django import forms

from townhall.core.forms import RecordForm, style_fields
from townhall.signin import sealing
from townhall.signin.models import GroupMapping, SignInProvider


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


OIDC_FIELDS = ["issuer", "client_id", "client_secret", "scopes", "groups_claim", "tenants"]
SAML_FIELDS = ["metadata_url", "groups_attribute", "entity_id"]


class SignInProviderForm(RecordForm):
    """A provider added on the page. The client secret is write-only: never put back in the
    page, and left blank it keeps the one kept (sealed) already."""

    client_secret = forms.CharField(
        required=False,
        strip=True,
        max_length=2000,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="OpenID Connect: the secret the provider gave Townhall. It is never shown again.",
    )

    class Meta:
        model = SignInProvider
        fields = [
            "kind",
            "provider_id",
            "name",
            "enabled",
            "issuer",
            "client_id",
            "scopes",
            "groups_claim",
            "tenants",
            "metadata_url",
            "groups_attribute",
            "entity_id",
            "notes",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["kind", "provider_id", "name", "enabled", "issuer", "client_id"])
        if self.instance.pk:
            # Part of the addresses registered at the provider and of people's links.
            self.fields["provider_id"].disabled = True
            if self.instance.client_secret:
                self.fields[
                    "client_secret"
                ].help_text = "Leave blank to keep the current secret. It is never shown again."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The other kind's settings are left out, not refused: the form shows both.
        unused = SAML_FIELDS if data.get("kind") == SignInProvider.Kind.OIDC else OIDC_FIELDS
        for name in unused:
            data[name] = ""
            setattr(self.instance, name, "")
        typed = data.pop("client_secret", "") or ""
        if typed:
            data["client_secret"] = sealing.seal(typed)
            self.instance.client_secret = data["client_secret"]
        elif "client_secret" in unused:
            data["client_secret"] = ""
        return data
