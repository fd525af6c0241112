"""The member's pages: the leader's home, the scorecard, the metrics and the peer report."""

from django.urls import path

from townhall.exchange.pages import library_pages

app_name = "exchange"
urlpatterns: list = [
    # --- library ---
    path("library/", library_pages.library_page, name="library"),
    path("library/<str:pk>/download/", library_pages.download, name="library_download"),
]
