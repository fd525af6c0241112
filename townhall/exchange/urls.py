"""The member's pages: the leader's home, the scorecard, the metrics and the peer report."""

from django.urls import path  # noqa: F401

app_name = "exchange"
urlpatterns: list = []
