"""The administrators' page that chooses what is public, under /publishing/ (signed in)."""

from django.urls import path

from townhall.public.pages import choosing

app_name = "publishing"
urlpatterns = [path("", choosing.publishing, name="choose")]

# --- pub-registers ---
from townhall.public.pages import statements  # noqa: E402

urlpatterns += [path("readiness/", statements.statements, name="statements")]
