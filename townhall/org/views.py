"""Organization pages: declared once, served by the platform's generic pages and API."""

from townhall.core.registry import Resource, register
from townhall.org import filters, forms, tables
from townhall.org.models import Department, Document

DEPARTMENTS = register(
    Resource(
        model=Department,
        form=forms.DepartmentForm,
        table=tables.DepartmentTable,
        filterset=filters.DepartmentFilterSet,
        search_fields=["name", "code", "external_id"],
        bulk_fields=["parent"],
        related=[
            ("children", "Sub-departments"),
            "owned_estate_service",
            "owned_estate_system",
            "owned_estate_component",
            "owned_estate_contract",
            "people",
            "owned_org_document",
        ],
    )
)

DOCUMENTS = register(
    Resource(
        model=Document,
        form=forms.DocumentForm,
        table=tables.DocumentTable,
        filterset=filters.DocumentFilterSet,
        search_fields=["title", "external_id"],
        bulk_fields=["kind", "owner_department"],
    )
)
