from django.urls import path

from townhall.core.registry import urls
from townhall.cyber import (
    assessment_views,
    brief,
    coverage_views,
    exposure_views,
    framework_views,
    incident_views,
    insurance_views,
    plan_views,
    risk_views,
    training_views,
    views,
)

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

# The plan of action and milestones, its spreadsheet and generation (cyber/plan_views.py).
urlpatterns += [
    path("plan/", plan_views.plan_page, name="plan"),
    path("plan/export.xlsx", plan_views.plan_export, name="plan_export"),
    path("plan/generate/", plan_views.plan_generate, name="plan_generate"),
]

# Boots on the ground: who performs each cyber function (cyber/coverage_views.py).
urlpatterns += [
    path("coverage/", coverage_views.matrix, name="coverage_matrix"),
    path("coverage/seed/", coverage_views.seed, name="coverage_seed"),
    path("coverage/<int:pk>/", coverage_views.change_row, name="coverage_change"),
]

# Insurance readiness: the insurer's questions and their answers (cyber/insurance_views.py).
urlpatterns += [
    path("insurance/", insurance_views.questionnaire, name="insurance"),
    path("insurance/<slug:slug>/", insurance_views.record, name="insurance_record"),
]

# The risk register, incident metrics, training import and coverage
# (cyber/risk_views.py, cyber/incident_views.py, cyber/training_views.py).
urlpatterns += [
    path("risks/register/", risk_views.register, name="risk_register"),
    path("incidents/metrics/", incident_views.incident_metrics, name="incident_metrics"),
    path("training/import/", training_views.training_import, name="training_import"),
    path(
        "training/import/<str:token>/columns/",
        training_views.training_import_columns,
        name="training_import_columns",
    ),
    path(
        "training/import/<str:token>/",
        training_views.training_import_commit,
        name="training_import_commit",
    ),
    path("training/coverage/", training_views.training_coverage, name="training_coverage"),
]

# Assessments: the workspace, scoring, comparison, the first-assessment guide, starting and
# completing, and evidence coming due (cyber/assessment_views.py).
urlpatterns += [
    path("assessments/start/", assessment_views.start, name="assessment_start"),
    path(
        "assessments/<int:pk>/workspace/",
        assessment_views.workspace,
        name="assessment_workspace",
    ),
    path(
        "assessments/<int:pk>/score/<int:requirement>/",
        assessment_views.score,
        name="assessment_score",
    ),
    path("assessments/<int:pk>/compare/", assessment_views.compare, name="assessment_compare"),
    path("assessments/<int:pk>/guide/", assessment_views.guide, name="assessment_guide"),
    path(
        "assessments/<int:pk>/status/",
        assessment_views.change_status,
        name="assessment_status",
    ),
    path("evidence/expiring/", assessment_views.evidence_expiring, name="evidence_expiring"),
    path(
        "evidence/add/for/<int:requirement>/",
        assessment_views.evidence_add_for,
        name="evidence_add_for",
    ),
]

# Frameworks: the requirements tree, OSCAL import, built-ins (cyber/framework_views.py).
urlpatterns += [
    path(
        "frameworks/<int:pk>/requirements/",
        framework_views.requirements,
        name="framework_requirements",
    ),
    path("frameworks/import/", framework_views.import_catalog, name="framework_import"),
    path("frameworks/builtin/", framework_views.load_builtin, name="framework_builtin"),
]

# Exposure: matches to the public feeds, what matched nothing, the feeds themselves
# (cyber/exposure_views.py).
urlpatterns += [
    path("exposure/", exposure_views.exposure_list, name="exposure"),
    path("exposure/match/", exposure_views.exposure_match, name="exposure_match"),
    path("exposure/not-matched/", exposure_views.exposure_unmatched, name="exposure_unmatched"),
    path("exposure/feeds/", exposure_views.exposure_feeds, name="exposure_feeds"),
    path("exposure/aliases/add/", exposure_views.exposure_alias_add, name="exposure_alias_add"),
]

# The module's front page and the one-page brief for leaders (cyber/brief.py).
urlpatterns += [
    path("", brief.dashboard, name="dashboard"),
    path("brief.pdf", brief.brief_pdf, name="brief"),
]
