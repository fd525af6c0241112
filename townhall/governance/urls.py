from django.urls import path

from townhall.core.registry import urls
from townhall.governance import (
    cycle_views,
    dashboard_views,
    home_views,
    packet,
    proposal_views,
    scenario_views,
    scoring_views,
    views,
)

app_name = "governance"
urlpatterns = urls(
    views.CYCLES,
    views.PROPOSALS,
    views.SCENARIOS,
    views.CRITERIA_SETS,
    views.CRITERIA,
    views.SKILL_POOLS,
)

# Workflow steps and decisions on one proposal (governance/proposal_views.py).
urlpatterns += [
    path("proposals/<int:pk>/step/", proposal_views.step, name="proposal_step"),
    path("proposals/<int:pk>/decide/", proposal_views.decide, name="proposal_decide"),
    path("requests/", proposal_views.my_requests, name="my_requests"),
]

# Budget cycles and criteria sets beyond their records (governance/cycle_views.py).
urlpatterns += [
    path("budget-cycles/<int:pk>/budgets/", cycle_views.budgets, name="cycle_budgets"),
    path("criteria-sets/presets/", cycle_views.presets, name="criteria_presets"),
    path(
        "criteria-sets/<int:pk>/new-edition/", cycle_views.new_edition, name="criteria_new_edition"
    ),
]

# Independent board scoring and the board's consensus (governance/scoring_views.py).
urlpatterns += [
    path("proposals/<int:pk>/scores/", scoring_views.ballot, name="proposal_scores"),
    path("budget-cycles/<int:pk>/scores/", scoring_views.consensus, name="cycle_scores"),
    path("scoring/", scoring_views.queue, name="my_scoring"),
]

# Portfolio scenarios: solve, compare, efficient frontier (governance/scenario_views.py).
urlpatterns += [
    path("scenarios/<int:pk>/solve/", scenario_views.solve, name="scenario_solve"),
    path("scenarios/<int:pk>/frontier/", scenario_views.frontier, name="scenario_frontier"),
    path("budget-cycles/<int:pk>/compare/", scenario_views.compare, name="cycle_compare"),
]

# The front page, the board packet and the governance health dashboard (home_views.py,
# packet.py, dashboard_views.py).
urlpatterns += [
    path("", home_views.home, name="home"),
    path("budget-cycles/<int:pk>/packet.pdf", packet.packet_pdf, name="cycle_packet"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
]
