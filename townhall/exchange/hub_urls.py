"""The hub: its API for members (signed requests, `protocol.py`) under `/hub/api/`, and its
administrators' and public pages."""

from django.urls import path  # noqa: F401

app_name = "hub"
urlpatterns: list = []
