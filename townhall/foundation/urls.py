from django.urls import path

from townhall.core.registry import urls
from townhall.foundation import brief, views
from townhall.foundation.pages import dashboard as dashboard_pages
from townhall.foundation.pages import health as health_pages
from townhall.foundation.pages import support as support_pages

app_name = "foundation"
urlpatterns = urls(views.SERVICE_LIVES)

# The front page (pages/dashboard.py).
urlpatterns += [path("", dashboard_pages.dashboard, name="dashboard")]

# Support suggestions from endoflife.date (pages/support.py).
urlpatterns += [
    path("support-suggestions/", support_pages.suggestion_list, name="suggestions"),
    path("support-suggestions/decide/", support_pages.suggestion_bulk, name="suggestions_bulk"),
    path("support-suggestions/run/", support_pages.suggestion_run, name="suggestions_run"),
    path(
        "support-suggestions/<int:pk>/decide/",
        support_pages.suggestion_decide,
        name="suggestion_decide",
    ),
]

# The health of each service's foundation (pages/health.py).
urlpatterns += [
    path("services/<int:pk>/", health_pages.service_health, name="service_health"),
    path("brief/", brief.brief, name="brief"),
]
