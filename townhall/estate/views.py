"""Estate pages: declared once, served by the platform's generic pages and API."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from townhall.core import permissions, plugins
from townhall.core.registry import Resource, register
from townhall.estate import filters, forms, tables
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


def _resource(model, name: str, search: list[str], bulk: list[str] = (), related=()) -> Resource:  # noqa: ANN001
    links = []
    extra: dict[str, Any] = {}
    if model in (m.Service, m.System, m.Component):
        links.append(("Dependencies", f"estate:{model._meta.model_name}_dependencies"))
        extra = {
            "detail_template": "estate/record_detail.html",
            "detail_context": record_context,
        }
    return register(
        Resource(
            model=model,
            form=getattr(forms, f"{name}Form"),
            table=getattr(tables, f"{name}Table"),
            filterset=getattr(filters, f"{name}FilterSet"),
            search_fields=search,
            bulk_fields=bulk,
            related=related,
            page_links=links,
            **extra,
        )
    )


SERVICES = _resource(
    m.Service,
    "Service",
    ["name", "description", "external_id"],
    ["owner_department", "audience"],
    DEPENDS,
)
SYSTEMS = _resource(
    m.System,
    "System",
    ["name", "product", "purpose", "external_id"],
    ["owner_department", "lifecycle", "hosting", "criticality", "time_disposition", "vendor"],
    [*DEPENDS, "contracts", ("exposures", "Cyber exposure"), ("cyber_risks", "Cyber risks")],
)
COMPONENTS = _resource(
    m.Component,
    "Component",
    ["name", "manufacturer", "model_number", "asset_tag", "external_id"],
    ["owner_department", "kind", "status", "location"],
    [*DEPENDS, "contracts", ("exposures", "Cyber exposure")],
)
VENDORS = _resource(
    m.Vendor, "Vendor", ["name", "aliases", "external_id"], [], ["systems", "contracts"]
)
CONTRACTS = _resource(
    m.Contract,
    "Contract",
    ["title", "number", "external_id"],
    ["owner_department", "kind", "auto_renew"],
)
PEOPLE = _resource(
    m.Person, "Person", ["name", "email", "title"], ["owner_department", "is_it_staff"]
)
LOCATIONS = _resource(m.Location, "Location", ["name", "address"], ["kind"], ["components"])
DEPENDENCIES = _resource(m.Dependency, "Dependency", [], ["kind"])
