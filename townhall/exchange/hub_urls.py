"""The hub: its API for members (signed requests, `protocol.py`) under `/hub/api/`, and its
administrators' and public pages."""

from django.urls import path  # noqa: F401

app_name = "hub"
urlpatterns: list = []

# --- survey ---
from townhall.exchange import survey_api  # noqa: E402
from townhall.exchange.pages import survey as survey_pages  # noqa: E402

urlpatterns += [
    path("api/survey/", survey_api.survey_view, name="api_survey"),
    path("surveys/", survey_pages.hub_surveys, name="surveys"),
    path("surveys/<int:year>/", survey_pages.hub_survey, name="survey_admin"),
    path("survey/<int:year>/", survey_pages.report, name="survey_report"),
    path("survey/<int:year>/counts.csv", survey_pages.report_csv, name="survey_report_csv"),
]
