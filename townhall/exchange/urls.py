"""The member's pages: the scorecard, the metrics, peers, the survey and the library."""

from django.urls import path

from townhall.exchange.pages import library_pages
from townhall.exchange.pages import member as member_pages
from townhall.exchange.pages import peers as peer_pages
from townhall.exchange.pages import scorecard as scorecard_page
from townhall.exchange.pages import survey as survey_pages

app_name = "exchange"
urlpatterns: list = [
    path("scorecard/", scorecard_page.scorecard, name="scorecard"),
    # The jurisdiction profile, joining a hub, the metrics approved and sent (pages/member.py).
    path("profile/", member_pages.profile_page, name="profile"),
    path("metrics/", member_pages.metrics_page, name="metrics"),
    # Where we stand against our cohort, and the peer report (PDF) made on the job runner.
    path("peers/", peer_pages.peers, name="peers"),
    path("peers/report/", peer_pages.peers_report, name="peers_report"),
    # The hub's annual survey, answered from here (pages/survey.py).
    path("survey/", survey_pages.member_survey, name="survey"),
    # The hub's practice library, searched and shared from here (pages/library_pages.py).
    path("library/", library_pages.library_page, name="library"),
    path("library/<str:pk>/download/", library_pages.download, name="library_download"),
]
