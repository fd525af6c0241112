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


# The other kind's settings, and what each is set back to when that kind is chosen.
OIDC_FIELDS: dict[str, Any] = {
    "issuer": "",
    "client_id": "",
    "client_secret": "",
    "scopes": "",
    "groups_claim": "",
    "tenants": "",
    "private_key": "",
    "acr_values": "",
    "prompt": "",
    "userinfo": False,
    "roles": SignInProvider.Roles.GROUPS,
    "graph_url": "",
}
SAML_FIELDS: dict[str, Any] = {"metadata_url": "", "groups_attribute": "", "entity_id": ""}
NEW_KEY = "A private key in PEM form, such as the contents of townhall-logingov.key"


class WriteOnlyTextarea(forms.Textarea):
    """A textarea that never puts a value back in the page, even after refused input."""

    def format_value(self, value: Any) -> str | None:
        return None


class SignInProviderForm(RecordForm):
    """A provider added on the page. The client secret and the private key are write-only:
    never put back in the page, and left blank they keep the ones kept (sealed) already."""

    client_secret = forms.CharField(
        required=False,
        strip=True,
        max_length=2000,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="OpenID Connect: the secret the provider gave Townhall. It is never shown again. "
        "Not needed with a private key (below).",
    )
    private_key = forms.CharField(
        required=False,
        strip=True,
        max_length=20000,
        widget=WriteOnlyTextarea(attrs={"autocomplete": "off", "spellcheck": "false", "rows": 4}),
        help_text="Paste the key file's contents (-----BEGIN PRIVATE KEY----- …): an RSA key "
        "without a passphrase. Townhall then signs its token requests with it instead of "
        "sending a client secret. It is never shown again; the provider keeps the matching "
        "certificate.",
    )
    remove_private_key = forms.BooleanField(
        required=False,
        label="Remove the current private key",
        help_text="The client secret is used again; give it above if none is kept.",
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
            "roles",
            "tenants",
            "acr_values",
            "prompt",
            "userinfo",
            "graph_url",
            "metadata_url",
            "groups_attribute",
            "entity_id",
            "notes",
        ]

    # The form's parts, as the page shows them: (heading, what it is for, fields).
    GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
        ("The provider", "", ("kind", "provider_id", "name", "enabled")),
        (
            "OpenID Connect",
            "The issuer, client ID and secret the provider gave Townhall.",
            (
                "issuer",
                "client_id",
                "client_secret",
                "scopes",
                "groups_claim",
                "roles",
                "tenants",
            ),
        ),
        (
            "Login.gov and other providers that sign token requests",
            "Only for providers that ask for them; leave them blank otherwise.",
            ("private_key", "remove_private_key", "acr_values", "prompt", "userinfo"),
        ),
        (
            "Entra ID with many groups",
            "For people in more than 200 groups, Townhall reads their groups from Microsoft Graph.",
            ("graph_url",),
        ),
        (
            "SAML 2.0",
            "The metadata address, or leave it blank and import the metadata later on the "
            "Single sign-on page.",
            ("metadata_url", "groups_attribute", "entity_id"),
        ),
        ("Notes", "", ("notes",)),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields([name for _, _, names in self.GROUPS for name in names])
        if self.instance.pk:
            # Part of the addresses registered at the provider and of people's links.
            self.fields["provider_id"].disabled = True
            if self.instance.client_secret:
                self.fields[
                    "client_secret"
                ].help_text = "Leave blank to keep the current secret. It is never shown again."
            if self.instance.private_key:
                self.fields["private_key"].help_text = (
                    "A private key is set. Leave blank to keep the current key, or paste a new "
                    "one to replace it. It is never shown again."
                )
        if not self.instance.private_key:
            del self.fields["remove_private_key"]
        # Left out of a post (an older form, a script), roles come from groups as before.
        self.fields["roles"].required = False

    def groups(self) -> list[dict[str, Any]]:
        return [
            {
                "heading": heading,
                "intro": intro,
                "fields": [self[n] for n in names if n in self.fields],
            }
            for heading, intro, names in self.GROUPS
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("roles"):
            data["roles"] = SignInProvider.Roles.GROUPS
            self.instance.roles = data["roles"]
        # The other kind's settings are left out, not refused: the form shows both.
        unused = SAML_FIELDS if data.get("kind") == SignInProvider.Kind.OIDC else OIDC_FIELDS
        for name, empty in unused.items():
            data[name] = empty
            setattr(self.instance, name, empty)
        typed = data.pop("client_secret", "") or ""
        if typed:
            data["client_secret"] = sealing.seal(typed)
            self.instance.client_secret = data["client_secret"]
        elif "client_secret" in unused:
            data["client_secret"] = ""
        key = data.pop("private_key", "") or ""
        remove = data.pop("remove_private_key", False)
        if key and "private_key" not in unused:
            # Checked by the model (SignInProvider.clean), with the environment's rule.
            data["private_key"] = sealing.seal_key(key)
            self.instance.private_key = data["private_key"]
        elif remove or "private_key" in unused:
            data["private_key"] = ""
            self.instance.private_key = ""
        return data
