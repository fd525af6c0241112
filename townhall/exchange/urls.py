"""The member's pages: the leader's home, the scorecard, the metrics and the peer report."""

from django.urls import path

app_name = "exchange"
urlpatterns: list = []

# --- scorecard ---
from townhall.exchange.pages import scorecard as scorecard_page  # noqa: E402

urlpatterns += [path("scorecard/", scorecard_page.scorecard, name="scorecard")]
