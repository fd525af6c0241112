"""The registers' records on the platform's generic pages and API (`declare`)."""

from townhall.core.registry import declare
from townhall.registers import models as m
from townhall.registers.pages.social import social_account_context

# --- Social media accounts ---
SOCIAL_ACCOUNTS = declare(
    m.SocialAccount,
    ["handle", "address", "owner__name", "recovery_email"],
    nav_label="Social media accounts",
    bulk_fields=["multi_factor", "credentials_kept_in"],
    detail_template="registers/socialaccount_detail.html",
    detail_context=social_account_context,
)


# --- AI use cases ---

AI_USE_CASES = declare(
    m.AIUseCase,
    ["name", "purpose", "vendor__name", "system__name"],
    nav_label="AI use cases",
)


# --- Data inventory ---------------------------------------------------------------------

DATASETS = declare(
    m.Dataset,
    ["title", "identifier", "description", "keywords"],
    related=["distributions"],
)
DISTRIBUTIONS = declare(m.Distribution, ["title", "dataset__title"], in_nav=False)


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


# --- Emergency communications ---

CONTINUUM_ASSESSMENTS = declare(
    m.ContinuumAssessment,
    ["notes"],
    nav_label="Continuum self-assessments",
    related=["lanes"],
    page_links=[("Rate the five lanes", "registers:continuum_lanes")],
)
LANE_RATINGS = declare(m.LaneRating, ["evidence"], in_nav=False)
TALKGROUPS = declare(
    m.Talkgroup,
    ["name", "identifier", "radio_system__name"],
    related=[("links", "Who can reach it")],
)
PARTNER_AGENCIES = declare(
    m.PartnerAgency, ["name"], related=[("links", "Talkgroups it can reach")]
)
INTEROP_LINKS = declare(
    m.InteropLink, ["partner__name", "talkgroup__name"], nav_label="Interoperability links"
)
