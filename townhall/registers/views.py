"""The registers' records on the platform's generic pages and API (`declare`)."""


# --- Innovation pilots and emerging technology ---

from townhall.core.registry import declare  # noqa: E402
from townhall.registers import models as m  # noqa: E402
from townhall.registers.pages import pilots as pilot_pages  # noqa: E402
from townhall.registers.pages import readiness as readiness_pages  # noqa: E402

PILOTS = declare(
    m.Pilot,
    ["title", "description", "vendor__name"],
    nav_label="Innovation pilots",
    related=[
        ("surveillance_reviews", "Surveillance reviews"),
        ("readiness_assessments", "Readiness assessments"),
    ],
    detail_template="registers/pilot_detail.html",
    detail_context=pilot_pages.pilot_context,
)
SURVEILLANCE_REVIEWS = declare(
    m.SurveillanceReview,
    ["pilot__title", "system__name", "collected"],
    bulk_fields=["next_review_on"],
)
READINESS_ASSESSMENTS = declare(
    m.ReadinessAssessment,
    ["title"],
    page_links=[("Answer the questionnaire", "registers:readiness_answers")],
    detail_template="registers/readiness_detail.html",
    detail_context=readiness_pages.result_context,
    detail_skip=["answers"],
)
