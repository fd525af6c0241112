"""What the pilots' pipeline reads from the database: each pilot a person may see, with
whether its surveillance review is required and approved, in a fixed number of queries."""

from typing import Any

from townhall.registers import pilots
from townhall.registers.models import Pilot, SurveillanceReview, surveillance_rule


def pipeline_rows(user: Any) -> list[dict[str, Any]]:
    """One row per pilot the user may see: two queries, whatever the number of pilots."""
    rule = surveillance_rule()
    found = list(
        Pilot.objects.restrict(user, "view")
        .select_related("owner_department", "vendor")
        .order_by("title", "id")
    )
    decisions: dict[int, list[str]] = {}
    reviews = SurveillanceReview.objects.filter(pilot__in=[p.pk for p in found]).values_list(
        "pilot_id", "decision"
    )
    for pilot_id, decision in reviews:
        decisions.setdefault(pilot_id, []).append(decision)
    rows = []
    for pilot in found:
        required = pilots.review_required(pilot.technology, pilot.personal_data, rule)
        cleared = pilots.review_cleared(decisions.get(pilot.pk, []))
        rows.append(
            {
                "pilot": pilot,
                "stage": pilot.stage,
                "required": required,
                "cleared": cleared,
                "flag": pilots.flag(pilot.stage, required, cleared),
                "day": getattr(pilot, pilots.DAY_FIELD[pilot.stage]),
            }
        )
    return rows
