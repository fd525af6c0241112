"""The administrators' page that chooses what is public, under /publishing/ (signed in)."""

from django.urls import path

from townhall.public.pages import choosing

app_name = "publishing"
urlpatterns = [path("", choosing.publishing, name="choose")]

# --- Readiness statements ---
from townhall.public.pages import statements  # noqa: E402

urlpatterns += [path("readiness/", statements.statements, name="statements")]

# --- Residents' input ---
from townhall.public.pages import moderation  # noqa: E402

urlpatterns += [
    path("moderation/", moderation.queue, name="moderation"),
    path("comment-windows/", moderation.windows, name="windows"),
]
