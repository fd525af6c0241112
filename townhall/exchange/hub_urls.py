"""The hub: its API for members (signed requests, `protocol.py`) under `/hub/api/`, and its
administrators' and public pages."""

from django.urls import path

from townhall.exchange import hub_api, library_api, survey_api
from townhall.exchange.pages import hub_pages, library_pages
from townhall.exchange.pages import survey as survey_pages

app_name = "hub"
urlpatterns: list = [
    # The hub's administrators' page and its published privacy rules (pages/hub_pages.py).
    path("", hub_pages.admin, name="admin"),
    path("privacy/", hub_pages.privacy, name="privacy"),
    # Members join, submit their metrics and fetch cohort statistics (hub_api.py).
    path("api/join/", hub_api.join, name="api_join"),
    path("api/submissions/", hub_api.submissions, name="api_submissions"),
    path("api/statistics/", hub_api.statistics, name="api_statistics"),
    # The annual survey: its API for members, its administrators' pages, the published report.
    path("api/survey/", survey_api.survey_view, name="api_survey"),
    path("surveys/", survey_pages.hub_surveys, name="surveys"),
    path("surveys/<int:year>/", survey_pages.hub_survey, name="survey_admin"),
    path("survey/<int:year>/", survey_pages.report, name="survey_report"),
    path("survey/<int:year>/counts.csv", survey_pages.report_csv, name="survey_report_csv"),
    # The practice library: its API for members and its administrators' page.
    path("api/library/", library_api.documents, name="api_library"),
    path("api/library/<str:pk>/file/", library_api.file, name="api_library_file"),
    path("api/library/<str:pk>/withdraw/", library_api.withdraw_view, name="api_library_withdraw"),
    path("library/", library_pages.hub_library, name="library"),
]
