from django.urls import path

from townhall.core.registry import urls
from townhall.estate import dashboard_views, dependency_views, views

app_name = "estate"
urlpatterns = urls(
    views.SERVICES,
    views.SYSTEMS,
    views.COMPONENTS,
    views.VENDORS,
    views.CONTRACTS,
    views.PEOPLE,
    views.LOCATIONS,
    views.DEPENDENCIES,
)

# What a record depends on and what depends on it (estate/dependency_views.py).
urlpatterns += [
    path(
        f"{prefix}/<int:pk>/dependencies/",
        dependency_views.DependencyPage.as_view(kind=kind),
        name=f"{kind}_dependencies",
    )
    for kind, prefix in (
        ("service", "services"),
        ("system", "systems"),
        ("component", "components"),
    )
]

# The estate dashboard and the personal calendar feed (estate/dashboard_views.py).
urlpatterns += [
    path("dashboard/", dashboard_views.dashboard_page, name="dashboard"),
    path("calendar/", dashboard_views.calendar_page, name="calendar"),
    path("calendar/<str:key>.ics", dashboard_views.calendar_feed, name="calendar_feed"),
]
