"""An operating model's page beyond its fields: the IT staff behind it, counted from the
positions embedded in its department (filled, vacant, FTE), linked to those positions."""

from typing import Any

from django.db.models import Count, Q, Sum
from django.urls import reverse

from townhall.people.models import OperatingModel, Placement, Position


def operating_context(request: Any, obj: OperatingModel) -> dict[str, Any]:
    if obj.owner_department_id is None:
        return {}
    counts = (
        Position.objects.restrict(request.user, "view")
        .filter(owner_department_id=obj.owner_department_id, placement=Placement.EMBEDDED)
        .aggregate(
            positions=Count("pk"),
            filled=Count("pk", filter=Q(person__isnull=False)),
            fte=Sum("fte"),
        )
    )
    link = reverse("people:position_list") + (
        f"?owner_department={obj.owner_department_id}&placement=embedded"
    )
    return {
        "staff": {
            **counts,
            "vacant": counts["positions"] - counts["filled"],
            "fte": counts["fte"] or 0,
            "url": link,
        }
    }
