from typing import Any

from django import forms

from townhall.core.forms import RecordForm
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
