"""The hub: its API for members (signed requests, `protocol.py`) under `/hub/api/`, and its
administrators' and public pages."""

from django.urls import path

from townhall.exchange import library_api
from townhall.exchange.pages import library_pages

app_name = "hub"
urlpatterns: list = [
    # --- library ---
    path("api/library/", library_api.documents, name="api_library"),
    path("api/library/<str:pk>/file/", library_api.file, name="api_library_file"),
    path("api/library/<str:pk>/withdraw/", library_api.withdraw_view, name="api_library_withdraw"),
    path("library/", library_pages.hub_library, name="library"),
]
