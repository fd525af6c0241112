"""Estate pages: declared once, served by the platform's generic pages and API."""

from typing import Any

from django.db import models
from django.http import HttpRequest
from django.urls import reverse

from townhall.core import permissions, plugins
from townhall.core.registry import declare
from townhall.estate import models as m

DEPENDS = [("needs", "Depends on"), ("needed_by", "Depended on by")]


def record_context(request: HttpRequest, obj: Any) -> dict[str, Any]:
    """A service, system or component page beyond its fields: links to add what it depends
    on and what depends on it (the add form filled in from the address), and the panels
    later modules register for it (`core.plugins.register_panel`: continuity's impact
    analysis or recovery capability)."""
    context: dict[str, Any] = {"panels": plugins.panels(request, obj)}
    if permissions.may_add_any(request.user, m.Dependency):
        add = reverse("estate:dependency_add")
        end = obj._meta.model_name
        context["add_dependency"] = {
            "kind": obj._meta.verbose_name,
            "needs": f"{add}?from_{end}={obj.pk}",
            "needed_by": f"{add}?to_{end}={obj.pk}",
            "view": reverse(f"estate:{end}_dependencies", args=[obj.pk]),
        }
    return context


def panel_context(request: HttpRequest, obj: Any) -> dict[str, Any]:
    """A record page with no links of its own beyond the panels later modules register for
    it (a person's position and skills, from the people module)."""
    return {"panels": plugins.panels(request, obj)}


def _graph_pages(model: type[models.Model]) -> dict[str, Any]:
    """Services, systems and components: a page of their dependencies, and the detail page
    with the dependency links and the continuity panel."""
    return {
        "page_links": [("Dependencies", f"estate:{model._meta.model_name}_dependencies")],
        "detail_template": "estate/record_detail.html",
        "detail_context": record_context,
    }


SERVICES = declare(
    m.Service,
    ["name", "description", "external_id"],
    bulk_fields=["owner_department", "audience"],
    related=DEPENDS,
    **_graph_pages(m.Service),
)
SYSTEMS = declare(
    m.System,
    ["name", "product", "purpose", "external_id"],
    bulk_fields=[
        "owner_department",
        "lifecycle",
        "hosting",
        "criticality",
        "time_disposition",
        "vendor",
    ],
    related=[
        *DEPENDS,
        "contracts",
        ("exposures", "Cyber exposure"),
        ("cyber_risks", "Cyber risks"),
    ],
    **_graph_pages(m.System),
)
COMPONENTS = declare(
    m.Component,
    ["name", "manufacturer", "model_number", "asset_tag", "external_id"],
    bulk_fields=["owner_department", "kind", "status", "location"],
    related=[*DEPENDS, "contracts", ("exposures", "Cyber exposure")],
    **_graph_pages(m.Component),
)
VENDORS = declare(m.Vendor, ["name", "aliases", "external_id"], related=["systems", "contracts"])
CONTRACTS = declare(
    m.Contract,
    ["title", "number", "external_id"],
    bulk_fields=["owner_department", "kind", "auto_renew"],
)
PEOPLE = declare(
    m.Person,
    ["name", "email", "title"],
    bulk_fields=["owner_department", "is_it_staff"],
    detail_template="estate/record_detail.html",
    detail_context=panel_context,
)
LOCATIONS = declare(m.Location, ["name", "address"], bulk_fields=["kind"], related=["components"])
REDUNDANCY_GROUPS = declare(
    m.RedundancyGroup,
    ["name", "description", "external_id"],
    bulk_fields=["owner_department"],
    related=[("needed_by", "Depended on by")],
)
DEPENDENCIES = declare(m.Dependency, [], bulk_fields=["kind"])
