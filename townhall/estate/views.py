"""Estate pages: declared once, served by the platform's generic pages and API."""

from townhall.core.registry import Resource, register
from townhall.estate import filters, forms, tables
from townhall.estate import models as m

DEPENDS = [("needs", "Depends on"), ("needed_by", "Depended on by")]


def _resource(model, name: str, search: list[str], bulk: list[str] = (), related=()) -> Resource:  # noqa: ANN001
    links = []
    if model in (m.Service, m.System, m.Component):
        links.append(("Dependencies", f"estate:{model._meta.model_name}_dependencies"))
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
