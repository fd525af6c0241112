from django.urls import path

from townhall.continuity import analysis_views, views
from townhall.core.registry import urls

app_name = "continuity"
urlpatterns = urls(views.IMPACT_ANALYSES, views.RECOVERY)

# The continuity analysis of the estate (continuity/analysis_views.py).
urlpatterns += [path("analysis/", analysis_views.analysis, name="analysis")]
