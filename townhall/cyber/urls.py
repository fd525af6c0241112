from townhall.core.registry import urls
from townhall.cyber import views

app_name = "cyber"
urlpatterns = urls(
    views.ASSESSMENTS,
    views.SCORES,
    views.FRAMEWORKS,
    views.REQUIREMENTS,
    views.MAPPINGS,
    views.EVIDENCE,
    views.RISKS,
    views.INCIDENTS,
    views.COURSES,
    views.COMPLETIONS,
    views.EXPOSURES,
    views.VULNERABILITIES,
    views.RELEASES,
    views.ALIASES,
    views.FEEDS,
    views.ACTIONS,
    views.COVERAGE,
    views.INSURANCE,
)
