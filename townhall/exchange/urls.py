"""The member's pages: the leader's home, the scorecard, the metrics and the peer report."""

from django.urls import path  # noqa: F401

app_name = "exchange"
urlpatterns: list = []

# --- survey ---
from townhall.exchange.pages import survey as survey_pages  # noqa: E402

urlpatterns += [path("survey/", survey_pages.member_survey, name="survey")]
