from django.urls import path

from townhall.core.registry import urls
from townhall.governance import (
    packet,
    views,
)
from townhall.governance.pages import cycle as cycle_pages
from townhall.governance.pages import dashboard as dashboard_pages
from townhall.governance.pages import home as home_pages
from townhall.governance.pages import proposal as proposal_pages
from townhall.governance.pages import scenario as scenario_pages
from townhall.governance.pages import scoring as scoring_pages

app_name = "governance"
urlpatterns = urls(
    views.CYCLES,
    views.PROPOSALS,
    views.SCENARIOS,
    views.CRITERIA_SETS,
    views.CRITERIA,
    views.SKILL_POOLS,
)

# --- Project updates for residents ---
urlpatterns += urls(views.PROJECT_UPDATES)

# Workflow steps and decisions on one proposal (governance/pages/proposal.py).
urlpatterns += [
    path("proposals/<int:pk>/step/", proposal_pages.step, name="proposal_step"),
    path("proposals/<int:pk>/decide/", proposal_pages.decide, name="proposal_decide"),
    path("requests/", proposal_pages.my_requests, name="my_requests"),
]

# Budget cycles and criteria sets beyond their records (governance/pages/cycle.py).
urlpatterns += [
    path("budget-cycles/<int:pk>/budgets/", cycle_pages.budgets, name="cycle_budgets"),
    path("criteria-sets/presets/", cycle_pages.presets, name="criteria_presets"),
    path(
        "criteria-sets/<int:pk>/new-edition/", cycle_pages.new_edition, name="criteria_new_edition"
    ),
]

# Independent board scoring and the board's consensus (governance/pages/scoring.py).
urlpatterns += [
    path("proposals/<int:pk>/scores/", scoring_pages.ballot, name="proposal_scores"),
    path("budget-cycles/<int:pk>/scores/", scoring_pages.consensus, name="cycle_scores"),
    path("scoring/", scoring_pages.queue, name="my_scoring"),
]

# Portfolio scenarios: solve, compare, efficient frontier (governance/pages/scenario.py).
urlpatterns += [
    path("scenarios/<int:pk>/solve/", scenario_pages.solve, name="scenario_solve"),
    path("scenarios/<int:pk>/frontier/", scenario_pages.frontier, name="scenario_frontier"),
    path("budget-cycles/<int:pk>/compare/", scenario_pages.compare, name="cycle_compare"),
]

# The front page, the board packet and the governance health dashboard (pages/home.py,
# packet.py, pages/dashboard.py).
urlpatterns += [
    path("", home_pages.home, name="home"),
    path("budget-cycles/<int:pk>/packet.pdf", packet.packet_pdf, name="cycle_packet"),
    path("dashboard/", dashboard_pages.dashboard, name="dashboard"),
]
