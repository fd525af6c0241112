"""Continuity records on the platform's generic pages and API; the analysis page lives in
`analysis_views.py`."""

from typing import Any

from townhall.continuity import filters, forms, tables
from townhall.continuity import models as m
from townhall.core.registry import Resource, register


def impact_context(request: Any, obj: m.ImpactAnalysis) -> dict[str, Any]:
    """The impact grid as a table: a row per category, a column per escalation point."""
    rows = [
        {"label": label, "values": [obj.rating(key, point) for point, _ in m.POINTS]}
        for key, label in m.CATEGORIES
    ]
    return {"impact_points": m.POINTS, "impact_rows": rows}


def _resource(model: type, search: list[str], **extra: Any) -> Resource:
    name = model.__name__
    return register(
        Resource(
            model=model,
            form=getattr(forms, f"{name}Form"),
            table=getattr(tables, f"{name}Table"),
            filterset=getattr(filters, f"{name}FilterSet"),
            search_fields=search,
            **extra,
        )
    )


IMPACT_ANALYSES = _resource(
    m.ImpactAnalysis,
    ["service__name"],
    nav_label="Business impact analyses",
    bulk_fields=["status", "reviewed_on"],
    detail_template="continuity/impactanalysis_detail.html",
    detail_context=impact_context,
    detail_skip=["impacts"],
)
RECOVERY = _resource(
    m.RecoveryCapability,
    ["system__name", "component__name"],
)
