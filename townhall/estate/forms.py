from typing import Any

from django import forms

from townhall.core.forms import DateInput, RecordForm
from townhall.core.widgets import PickMany, PickOne
from townhall.estate import models as m

COMMON = ["owner_department", "external_id", "tags", "notes"]
DATES = ["general_availability", "end_of_sale", "end_of_support", "end_of_security_fixes"]
# The support status sits beside the dates it summarises (`VendorDates.clean`).
SUPPORT = ["support_state", *DATES]


def _dates(*names: str) -> dict:
    return {name: DateInput for name in names}


def _pick(*names: str, many: bool = False) -> dict:
    """Search-and-choose widgets for relations to tables that can hold thousands of rows."""
    return {name: PickMany if many else PickOne for name in names}


class SupportForm(RecordForm):
    """A system's or component's form: a post without the support status keeps the
    record's own (unknown for a new one, which a date then turns into "dated"), as the API
    and the importer do, so older forms and scripts that never send it still work."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["support_state"].required = False

    def clean_support_state(self) -> str:
        value = self.cleaned_data.get("support_state")
        return value or self.instance.support_state or m.SupportState.UNKNOWN


class PersonForm(RecordForm):
    class Meta:
        model = m.Person
        fields = ["name", "email", "phone", "title", "is_it_staff", *COMMON]


class LocationForm(RecordForm):
    class Meta:
        model = m.Location
        fields = ["name", "kind", "address", *COMMON]


class VendorForm(RecordForm):
    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = m.Vendor
        fields = ["name", "aliases", "website", "support_contact", "external_id", "tags", "notes"]


class ServiceForm(RecordForm):
    class Meta:
        model = m.Service
        fields = ["name", "audience", "description", *COMMON]


class SystemForm(SupportForm):
    class Meta:
        model = m.System
        fields = [
            "name",
            "purpose",
            "owner_department",
            "business_owner",
            "technical_owner",
            "vendor",
            "product",
            "product_version",
            "hosting",
            "lifecycle",
            *SUPPORT,
            "time_disposition",
            "time_rationale",
            "functional_fit",
            "technical_fit",
            "criticality",
            "users",
            "cost_license",
            "cost_support",
            "cost_hosting",
            "cost_staff",
            "data_classification",
            "holds_cjis",
            "holds_hipaa",
            "holds_pci",
            "holds_pii",
            "sanctioned",
            "discovered_outside_it",
            "go_live",
            "external_id",
            "tags",
            "notes",
        ]
        widgets = {
            **_dates(*DATES, "go_live"),
            **_pick("business_owner", "technical_owner", "vendor"),
        }


class ComponentForm(SupportForm):
    class Meta:
        model = m.Component
        fields = [
            "name",
            "kind",
            "owner_department",
            "manufacturer",
            "model_number",
            "os_firmware",
            "os_version",
            "asset_tag",
            "location",
            "quantity",
            "install_date",
            "service_life_years",
            *SUPPORT,
            "replacement_cost",
            "status",
            "external_id",
            "tags",
            "notes",
        ]
        widgets = _dates(*DATES, "install_date")


class ContractForm(RecordForm):
    class Meta:
        model = m.Contract
        fields = [
            "title",
            "vendor",
            "number",
            "kind",
            "owner_department",
            "start",
            "end",
            "auto_renew",
            "notice_days",
            "annual_cost",
            "total_value",
            "systems",
            "components",
            "external_id",
            "tags",
            "notes",
        ]
        widgets = {**_dates("start", "end"), **_pick("systems", "components", many=True)}


class RedundancyGroupForm(RecordForm):
    class Meta:
        model = m.RedundancyGroup
        fields = ["name", "description", "systems", "components", *COMMON]
        widgets = _pick("systems", "components", many=True)
        help_texts = {
            "systems": "Systems that stand in for each other.",
            "components": "Components that stand in for each other (at least two members "
            "in all, systems and components together).",
        }


class DependencyForm(RecordForm):
    class Meta:
        model = m.Dependency
        fields = [
            "from_service",
            "from_system",
            "from_component",
            "kind",
            "to_service",
            "to_system",
            "to_component",
            "to_group",
            *COMMON,
        ]
        widgets = _pick(
            *(f"from_{kind}" for kind in m.Dependency.ENDS),
            *(f"to_{kind}" for kind in m.Dependency.TARGETS),
        )
        help_texts = {
            "owner_department": "Leave blank: it is the department of the depending record."
        }
