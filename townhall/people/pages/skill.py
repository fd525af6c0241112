"""A skill's page beyond its fields: the systems and components that need it, the first 25
of each that the reader may see, with their counts. A platform such as a server operating
system may be linked to tens of thousands of components, which the generic page would list
in full."""

from typing import Any

from townhall.estate.models import Component, System
from townhall.people.models import Skill

SHOWN = 25


def skill_context(request: Any, obj: Skill) -> dict[str, Any]:
    uses = []
    for key, label, model in (
        ("systems", "Systems that need it", System),
        ("components", "Components that need it", Component),
    ):
        qs = model.objects.restrict(request.user, "view").filter(skills=obj)
        rows = list(qs.order_by("name", "pk")[:SHOWN])
        uses.append(
            {
                "key": key,
                "label": label,
                "rows": rows,
                "count": len(rows) if len(rows) < SHOWN else qs.count(),
            }
        )
    return {"skill_uses": uses}
