"""The administrators' page that chooses what is public, under /publishing/ (signed in)."""

from django.urls import path

from townhall.public.pages import choosing

app_name = "publishing"
urlpatterns = [path("", choosing.publishing, name="choose")]
