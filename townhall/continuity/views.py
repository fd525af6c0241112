"""Continuity records on the platform's generic pages and API; the analysis page lives in
`pages/analysis.py`."""

from typing import Any

from townhall.continuity import models as m
from townhall.continuity.pages import exercise as exercise_pages
from townhall.continuity.pages import plan as plan_pages
from townhall.core.registry import declare


def impact_context(request: Any, obj: m.ImpactAnalysis) -> dict[str, Any]:
    """The impact grid as a table: a row per category, a column per escalation point."""
    rows = [
        {"label": label, "values": [obj.rating(key, point) for point, _ in m.POINTS]}
        for key, label in m.CATEGORIES
    ]
    return {"impact_points": m.POINTS, "impact_rows": rows}


IMPACT_ANALYSES = declare(
    m.ImpactAnalysis,
    ["service__name"],
    nav_label="Business impact analyses",
    bulk_fields=["reviewed_on"],  # its status moves by the review's steps (campaigns.py)
    detail_template="continuity/impactanalysis_detail.html",
    detail_context=impact_context,
    detail_skip=["impacts"],
)
RECOVERY = declare(
    m.RecoveryCapability,
    ["system__name", "component__name"],
)
CAMPAIGNS = declare(
    m.Campaign,
    ["name"],
    nav_label="BIA campaigns",
    detail_template="continuity/campaign_detail.html",
)
CAMPAIGN_REQUESTS = declare(
    m.CampaignRequest,
    ["service__name", "campaign__name"],
    in_nav=False,
    extra={"api_name": "CampaignAnalysisRequest"},
)
PLANS = declare(
    m.RecoveryPlan,
    ["title"],
    nav_label="Recovery plans",
    related=["roles"],
    detail_template="continuity/plan_detail.html",
    detail_context=plan_pages.plan_context,
)
PLAN_ROLES = declare(m.PlanRole, ["role", "person__name"], in_nav=False)
EXERCISES = declare(
    m.Exercise,
    ["name", "participants"],
    detail_template="continuity/exercise_detail.html",
    detail_context=exercise_pages.exercise_context,
    detail_skip=["participants"],
)
EXERCISE_RESULTS = declare(
    m.ExerciseResult,
    ["service__name"],
    in_nav=False,
    detail_template="continuity/exercise_result_detail.html",
    detail_context=exercise_pages.result_context,
)
FOLLOW_UPS = declare(
    m.FollowUp,
    ["title"],
    nav_label="Exercise follow-ups",
    bulk_fields=["status", "due_on"],
    detail_template="continuity/exercise_followup_detail.html",
    detail_context=exercise_pages.follow_up_context,
)
