from django.urls import path
from django.views.generic import RedirectView

from townhall.core.registry import urls
from townhall.estate import views
from townhall.estate.pages import dashboard as dashboard_pages
from townhall.estate.pages import dependency as dependency_pages

app_name = "estate"
urlpatterns = urls(
    views.SERVICES,
    views.SYSTEMS,
    views.COMPONENTS,
    views.VENDORS,
    views.CONTRACTS,
    views.PEOPLE,
    views.LOCATIONS,
    views.REDUNDANCY_GROUPS,
    views.DEPENDENCIES,
)

# What a record depends on and what depends on it (estate/pages/dependency.py).
urlpatterns += [
    path(
        f"{prefix}/<int:pk>/dependencies/",
        dependency_pages.DependencyPage.as_view(kind=kind),
        name=f"{kind}_dependencies",
    )
    for kind, prefix in (
        ("service", "services"),
        ("system", "systems"),
        ("component", "components"),
    )
]

# A redundancy group by the key continuity gives it (("group", id)), so every page that links
# an item as `estate:<kind>_detail` links a group too.
urlpatterns += [
    path(
        "groups/<int:pk>/",
        RedirectView.as_view(pattern_name="estate:redundancygroup_detail"),
        name="group_detail",
    )
]

# The estate dashboard and the personal calendar feed (estate/pages/dashboard.py).
urlpatterns += [
    path("dashboard/", dashboard_pages.dashboard_page, name="dashboard"),
    path("calendar/", dashboard_pages.calendar_page, name="calendar"),
    path("calendar/<str:key>.ics", dashboard_pages.calendar_feed, name="calendar_feed"),
]
