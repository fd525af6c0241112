from django.urls import path

from townhall.core.registry import urls
from townhall.cyber import (
    brief,
    views,
)
from townhall.cyber.pages import assessment as assessment_pages
from townhall.cyber.pages import coverage as coverage_pages
from townhall.cyber.pages import exposure as exposure_pages
from townhall.cyber.pages import framework as framework_pages
from townhall.cyber.pages import incident as incident_pages
from townhall.cyber.pages import insurance as insurance_pages
from townhall.cyber.pages import plan as plan_pages
from townhall.cyber.pages import risk as risk_pages
from townhall.cyber.pages import training as training_pages

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
    views.CVE_RECORDS,
    views.RELEASES,
    views.ALIASES,
    views.FEEDS,
    views.ACTIONS,
    views.COVERAGE,
    views.INSURANCE,
)

# The plan of action and milestones, its spreadsheet and generation (cyber/pages/plan.py).
urlpatterns += [
    path("plan/", plan_pages.plan_page, name="plan"),
    path("plan/export.xlsx", plan_pages.plan_export, name="plan_export"),
    path("plan/generate/", plan_pages.plan_generate, name="plan_generate"),
]

# Boots on the ground: who performs each cyber function (cyber/pages/coverage.py).
urlpatterns += [
    path("coverage/", coverage_pages.matrix, name="coverage_matrix"),
    path("coverage/seed/", coverage_pages.seed, name="coverage_seed"),
    path("coverage/<int:pk>/", coverage_pages.change_row, name="coverage_change"),
]

# Insurance readiness: the insurer's questions and their answers (cyber/pages/insurance.py).
urlpatterns += [
    path("insurance/", insurance_pages.questionnaire, name="insurance"),
    path("insurance/<slug:slug>/", insurance_pages.record, name="insurance_record"),
]

# The risk register, incident metrics, training import and coverage
# (cyber/pages/risk.py, cyber/pages/incident.py, cyber/pages/training.py).
urlpatterns += [
    path("risks/register/", risk_pages.register, name="risk_register"),
    path("incidents/metrics/", incident_pages.incident_metrics, name="incident_metrics"),
    path("training/import/", training_pages.training_import, name="training_import"),
    path("training/coverage/", training_pages.training_coverage, name="training_coverage"),
]

# Assessments: the workspace, scoring, comparison, the first-assessment guide, starting and
# completing, and evidence coming due (cyber/pages/assessment.py).
urlpatterns += [
    path("assessments/start/", assessment_pages.start, name="assessment_start"),
    path(
        "assessments/<int:pk>/workspace/",
        assessment_pages.workspace,
        name="assessment_workspace",
    ),
    path(
        "assessments/<int:pk>/score/<int:requirement>/",
        assessment_pages.score,
        name="assessment_score",
    ),
    path("assessments/<int:pk>/compare/", assessment_pages.compare, name="assessment_compare"),
    path("assessments/<int:pk>/guide/", assessment_pages.guide, name="assessment_guide"),
    path(
        "assessments/<int:pk>/status/",
        assessment_pages.change_status,
        name="assessment_status",
    ),
    path("evidence/expiring/", assessment_pages.evidence_expiring, name="evidence_expiring"),
    path(
        "evidence/add/for/<int:requirement>/",
        assessment_pages.evidence_add_for,
        name="evidence_add_for",
    ),
]

# Frameworks: the requirements tree, OSCAL import, built-ins (cyber/pages/framework.py).
urlpatterns += [
    path(
        "frameworks/<int:pk>/requirements/",
        framework_pages.requirements,
        name="framework_requirements",
    ),
    path("frameworks/import/", framework_pages.import_catalog, name="framework_import"),
    path("frameworks/builtin/", framework_pages.load_builtin, name="framework_builtin"),
]

# Exposure: matches to the public feeds, what matched nothing, the feeds themselves
# (cyber/pages/exposure.py).
urlpatterns += [
    path("exposure/", exposure_pages.exposure_list, name="exposure"),
    path("exposure/match/", exposure_pages.exposure_match, name="exposure_match"),
    path("exposure/not-matched/", exposure_pages.exposure_unmatched, name="exposure_unmatched"),
    path("exposure/feeds/", exposure_pages.exposure_feeds, name="exposure_feeds"),
    path("exposure/aliases/add/", exposure_pages.exposure_alias_add, name="exposure_alias_add"),
]

# The module's front page and the one-page brief for leaders (cyber/brief.py).
urlpatterns += [
    path("", brief.dashboard, name="dashboard"),
    path("brief.pdf", brief.brief_pdf, name="brief"),
]
