from django.urls import path

from townhall.continuity import analysis_views, dashboard_views, views
from townhall.core.registry import urls

app_name = "continuity"
urlpatterns = urls(
    views.IMPACT_ANALYSES,
    views.RECOVERY,
    views.CAMPAIGNS,
    views.CAMPAIGN_REQUESTS,
    views.PLANS,
    views.PLAN_ROLES,
    views.EXERCISES,
    views.EXERCISE_RESULTS,
    views.FOLLOW_UPS,
)

# The continuity analysis of the estate (continuity/analysis_views.py).
urlpatterns += [
    path("", dashboard_views.dashboard, name="dashboard"),
    path("analysis/", analysis_views.analysis, name="analysis"),
]
