"""The hub: its API for members (signed requests, `protocol.py`) under `/hub/api/`, and its
administrators' and public pages."""

from django.urls import path

from townhall.exchange import hub_api
from townhall.exchange.pages import hub_pages

app_name = "hub"
urlpatterns: list = [
    # --- hub ---
    path("", hub_pages.admin, name="admin"),
    path("privacy/", hub_pages.privacy, name="privacy"),
    path("api/join/", hub_api.join, name="api_join"),
    path("api/submissions/", hub_api.submissions, name="api_submissions"),
    path("api/statistics/", hub_api.statistics, name="api_statistics"),
]
