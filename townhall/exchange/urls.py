"""The member's pages: the leader's home, the scorecard, the metrics and the peer report."""

from django.urls import path  # noqa: F401

app_name = "exchange"
urlpatterns: list = []

# --- member ---
from townhall.exchange.pages import member as member_pages  # noqa: E402

urlpatterns += [
    path("profile/", member_pages.profile_page, name="profile"),
    path("metrics/", member_pages.metrics_page, name="metrics"),
]
