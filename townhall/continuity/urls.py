from django.urls import path

from townhall.continuity import (
    analysis_views,
    campaign_views,
    dashboard_views,
    exercise_views,
    plan_views,
    views,
)
from townhall.continuity.models import Exercise
from townhall.core.registry import urls
from townhall.estate.models import Component, Service, System

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

# The front page (dashboard_views.py) and the analysis of the estate (analysis_views.py).
urlpatterns += [
    path("", dashboard_views.dashboard, name="dashboard"),
    path("analysis/", analysis_views.analysis, name="analysis"),
]

# BIA campaigns: opening, reminders, closing, progress export, a department's own analyses,
# and submitting, approving and returning an analysis (continuity/campaign_views.py).
urlpatterns += [
    path(
        "campaigns/<int:pk>/progress/", campaign_views.campaign_progress, name="campaign_progress"
    ),
    path("campaigns/<int:pk>/open/", campaign_views.campaign_open, name="campaign_open"),
    path("campaigns/<int:pk>/remind/", campaign_views.campaign_remind, name="campaign_remind"),
    path("campaigns/<int:pk>/close/", campaign_views.campaign_close, name="campaign_close"),
    path("campaigns/<int:pk>/progress.csv", campaign_views.campaign_export, name="campaign_export"),
    path("my-impact-analyses/", campaign_views.my_analyses, name="my_analyses"),
    path(
        "impact-analyses/<int:pk>/submit/",
        campaign_views.analysis_submit,
        name="impactanalysis_submit",
    ),
    path(
        "impact-analyses/<int:pk>/approve/",
        campaign_views.analysis_approve,
        name="impactanalysis_approve",
    ),
    path(
        "impact-analyses/<int:pk>/return/",
        campaign_views.analysis_return,
        name="impactanalysis_return",
    ),
]

# Exercises: results entered for many services at once, every service's tested recovery
# times, and add pages that start from the record described (continuity/exercise_views.py).
urlpatterns += [
    path("exercises/<int:pk>/results/", exercise_views.exercise_results, name="exercise_results"),
    path("recovery-tests/", exercise_views.recovery_tests, name="recovery_tests"),
    path(
        "impact-analyses/add/for-service/<int:parent>/",
        exercise_views.AddFor.as_view(
            resource=views.IMPACT_ANALYSES, parent=Service, field="service", one_to_one=True
        ),
        name="impactanalysis_add_for",
    ),
    path(
        "recovery-capabilities/add/for-system/<int:parent>/",
        exercise_views.AddFor.as_view(
            resource=views.RECOVERY, parent=System, field="system", one_to_one=True
        ),
        name="recoverycapability_add_for_system",
    ),
    path(
        "recovery-capabilities/add/for-component/<int:parent>/",
        exercise_views.AddFor.as_view(
            resource=views.RECOVERY, parent=Component, field="component", one_to_one=True
        ),
        name="recoverycapability_add_for_component",
    ),
    path(
        "follow-up-actions/add/for-exercise/<int:parent>/",
        exercise_views.AddFor.as_view(resource=views.FOLLOW_UPS, parent=Exercise, field="exercise"),
        name="followup_add_for",
    ),
]

# Recovery plans: versions, approval, exports, runbooks and contacts (continuity/plan_views.py).
urlpatterns += [
    path("recovery-plans/new/", plan_views.plan_new, name="plan_new"),
    path("recovery-plans/<int:pk>/approve/", plan_views.plan_approve, name="plan_approve"),
    path("recovery-plans/<int:pk>/pdf/", plan_views.plan_pdf, name="plan_pdf"),
    path("recovery-plans/<int:pk>/docx/", plan_views.plan_docx_download, name="plan_docx"),
    path("runbooks/<int:pk>/", plan_views.runbook, name="runbook"),
    path("runbooks/<int:pk>/pdf/", plan_views.runbook_pdf, name="runbook_pdf"),
    path("contacts/", plan_views.contacts, name="contacts"),
    path("contacts/pdf/", plan_views.contacts_pdf, name="contacts_pdf"),
]
