from django.urls import path

from townhall.core.registry import urls
from townhall.foundation import brief, views
from townhall.foundation.pages import dashboard as dashboard_pages
from townhall.foundation.pages import forecast as forecast_pages
from townhall.foundation.pages import health as health_pages
from townhall.foundation.pages import schedule as schedule_pages
from townhall.foundation.pages import support as support_pages

app_name = "foundation"
urlpatterns = urls(views.SERVICE_LIVES, views.UNIT_COSTS, views.CAPITAL_CAPS)

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

# The replacement forecast, its CSV and the proposal made from it (pages/forecast.py).
urlpatterns += [
    path("forecast/", forecast_pages.forecast_page, name="forecast"),
    path("forecast.csv", forecast_pages.forecast_csv, name="forecast_csv"),
    path("forecast/propose/", forecast_pages.propose, name="propose"),
    path("replacement-settings/", forecast_pages.settings_page, name="replacement_settings"),
]

# The replacement schedule (pages/schedule.py).
urlpatterns += [
    path("schedule/", schedule_pages.schedule_page, name="schedule"),
    path("schedule/run/", schedule_pages.schedule_start, name="schedule_start"),
]
