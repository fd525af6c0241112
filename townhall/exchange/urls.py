"""The member's pages: the leader's home, the scorecard, the metrics and the peer report."""

from django.urls import path

app_name = "exchange"
urlpatterns: list = []

# --- member ---
from townhall.exchange.pages import member as member_pages  # noqa: E402

urlpatterns += [
    path("profile/", member_pages.profile_page, name="profile"),
    path("metrics/", member_pages.metrics_page, name="metrics"),
]

# --- peers ---
# Where we stand against our cohort, and the peer report (PDF) made on the job runner.
from townhall.exchange.pages import peers as peer_pages  # noqa: E402

urlpatterns += [
    path("peers/", peer_pages.peers, name="peers"),
    path("peers/report/", peer_pages.peers_report, name="peers_report"),
]

# --- scorecard ---
from townhall.exchange.pages import scorecard as scorecard_page  # noqa: E402

urlpatterns += [path("scorecard/", scorecard_page.scorecard, name="scorecard")]

# --- survey ---
from townhall.exchange.pages import survey as survey_pages  # noqa: E402

urlpatterns += [path("survey/", survey_pages.member_survey, name="survey")]
