from django.urls import path

from townhall.continuity import (
    views,
)
from townhall.continuity.models import Exercise
from townhall.continuity.pages import analysis as analysis_pages
from townhall.continuity.pages import campaign as campaign_pages
from townhall.continuity.pages import dashboard as dashboard_pages
from townhall.continuity.pages import exercise as exercise_pages
from townhall.continuity.pages import plan as plan_pages
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

# The front page (pages/dashboard.py) and the analysis of the estate (pages/analysis.py).
urlpatterns += [
    path("", dashboard_pages.dashboard, name="dashboard"),
    path("analysis/", analysis_pages.analysis, name="analysis"),
]

# BIA campaigns: opening, reminders, closing, progress export, a department's own analyses,
# and submitting, approving and returning an analysis (continuity/pages/campaign.py).
urlpatterns += [
    path(
        "campaigns/<int:pk>/progress/", campaign_pages.campaign_progress, name="campaign_progress"
    ),
    path("campaigns/<int:pk>/open/", campaign_pages.campaign_open, name="campaign_open"),
    path("campaigns/<int:pk>/remind/", campaign_pages.campaign_remind, name="campaign_remind"),
    path("campaigns/<int:pk>/close/", campaign_pages.campaign_close, name="campaign_close"),
    path("campaigns/<int:pk>/progress.csv", campaign_pages.campaign_export, name="campaign_export"),
    path("my-impact-analyses/", campaign_pages.my_analyses, name="my_analyses"),
    path(
        "impact-analyses/<int:pk>/submit/",
        campaign_pages.analysis_submit,
        name="impactanalysis_submit",
    ),
    path(
        "impact-analyses/<int:pk>/approve/",
        campaign_pages.analysis_approve,
        name="impactanalysis_approve",
    ),
    path(
        "impact-analyses/<int:pk>/return/",
        campaign_pages.analysis_return,
        name="impactanalysis_return",
    ),
]

# Exercises: results entered for many services at once, every service's tested recovery
# times, and add pages that start from the record described (continuity/pages/exercise.py).
urlpatterns += [
    path("exercises/<int:pk>/results/", exercise_pages.exercise_results, name="exercise_results"),
    path("recovery-tests/", exercise_pages.recovery_tests, name="recovery_tests"),
    path(
        "impact-analyses/add/for-service/<int:parent>/",
        exercise_pages.AddFor.as_view(
            resource=views.IMPACT_ANALYSES, parent=Service, field="service", one_to_one=True
        ),
        name="impactanalysis_add_for",
    ),
    path(
        "recovery-capabilities/add/for-system/<int:parent>/",
        exercise_pages.AddFor.as_view(
            resource=views.RECOVERY, parent=System, field="system", one_to_one=True
        ),
        name="recoverycapability_add_for_system",
    ),
    path(
        "recovery-capabilities/add/for-component/<int:parent>/",
        exercise_pages.AddFor.as_view(
            resource=views.RECOVERY, parent=Component, field="component", one_to_one=True
        ),
        name="recoverycapability_add_for_component",
    ),
    path(
        "follow-up-actions/add/for-exercise/<int:parent>/",
        exercise_pages.AddFor.as_view(resource=views.FOLLOW_UPS, parent=Exercise, field="exercise"),
        name="followup_add_for",
    ),
]

# Recovery plans: versions, approval, exports, runbooks and contacts (continuity/pages/plan.py).
urlpatterns += [
    path("recovery-plans/new/", plan_pages.plan_new, name="plan_new"),
    path("recovery-plans/<int:pk>/approve/", plan_pages.plan_approve, name="plan_approve"),
    path("recovery-plans/<int:pk>/pdf/", plan_pages.plan_pdf, name="plan_pdf"),
    path("recovery-plans/<int:pk>/docx/", plan_pages.plan_docx_download, name="plan_docx"),
    path("runbooks/<int:pk>/", plan_pages.runbook, name="runbook"),
    path("runbooks/<int:pk>/pdf/", plan_pages.runbook_pdf, name="runbook_pdf"),
    path("contacts/", plan_pages.contacts, name="contacts"),
    path("contacts/pdf/", plan_pages.contacts_pdf, name="contacts_pdf"),
]
