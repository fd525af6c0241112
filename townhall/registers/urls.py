from django.urls import path

from townhall.core.registry import urls
from townhall.registers import views
from townhall.registers.pages import ai_use_cases, continuum, data, home, radio, social
from townhall.registers.pages import pilots as pilot_pages
from townhall.registers.pages import readiness as readiness_pages

app_name = "registers"
urlpatterns = urls(
    views.SOCIAL_ACCOUNTS,
    views.AI_USE_CASES,
    views.DATASETS,
    views.DISTRIBUTIONS,
    views.PILOTS,
    views.SURVEILLANCE_REVIEWS,
    views.READINESS_ASSESSMENTS,
    # --- Emergency communications ---
    views.CONTINUUM_ASSESSMENTS,
    views.LANE_RATINGS,
    views.TALKGROUPS,
    views.PARTNER_AGENCIES,
    views.INTEROP_LINKS,
)

# The registers' front page: each register, its records and its reviews due (pages/home.py).
urlpatterns += [path("", home.home, name="home")]

# --- Social media accounts ---
urlpatterns += [path("social-media/", social.social_media, name="social")]

# --- AI use cases ---
# The register in the federal inventory's CSV layout (pages/ai_use_cases.py).
urlpatterns += [
    path(
        "ai-use-cases/inventory.csv",
        ai_use_cases.inventory_csv,
        name="ai_use_case_inventory",
    )
]

# --- Data inventory: the catalog as data.json and JSON-LD, and importing a data.json.
urlpatterns += [
    path("data/", data.catalog, name="data_catalog"),
    path("data.json", data.data_json, name="data_json"),
    path("data.jsonld", data.data_jsonld, name="data_jsonld"),
    path("data/import/", data.data_import, name="data_import"),
]

# Innovation pilots: the pipeline board, a pilot's move to its next stage, and a readiness
# assessment's questionnaire (pages/pilots.py, pages/readiness.py).
urlpatterns += [
    path("pilots/pipeline/", pilot_pages.pipeline, name="pilot_pipeline"),
    path("pilots/<int:pk>/move/", pilot_pages.move, name="pilot_move"),
    path(
        "readiness-assessments/<int:pk>/answers/",
        readiness_pages.answers,
        name="readiness_answers",
    ),
]

# --- Emergency communications ---
urlpatterns += [
    path("emergency-communications/", radio.communications, name="emergency_communications"),
    # All five lanes of a continuum self-assessment in one form (pages/continuum.py).
    path(
        "continuum-assessments/<int:pk>/lanes/",
        continuum.lanes,
        name="continuum_lanes",
    ),
]
