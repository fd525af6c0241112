from django.urls import path

from townhall.core.registry import urls
from townhall.people import brief, views
from townhall.people.pages import capacity, chart, recruiting, requisition, risk, skills

app_name = "people"
urlpatterns = urls(
    views.TEAMS,
    views.POSITIONS,
    views.OPERATING_MODELS,
    views.SKILLS,
    views.PROFICIENCIES,
    views.CERTIFICATIONS,
    views.STAFF_RECORDS,
    views.REQUISITIONS,
    views.DECLINED_OFFERS,
    views.MARKET_RATES,
    views.TRAINING_PLANS,
)

# The organization chart (pages/chart.py).
urlpatterns += [path("chart/", chart.chart, name="chart")]

# Where skills come from: the NICE core set, NIST's file, the estate (pages/skills.py).
urlpatterns += [
    path("skills/overview/", skills.skills, name="skills"),
    path("skills/overview/core-set/", skills.load_core, name="skills_core"),
    path("skills/overview/technology/", skills.derive_technology, name="skills_technology"),
]

# Capacity for governance: skill pools' project hours from the positions (pages/capacity.py).
urlpatterns += [
    path("capacity/", capacity.capacity_page, name="capacity"),
    path("capacity/apply/", capacity.apply, name="capacity_apply"),
]

# Key-person risk (pages/risk.py).
urlpatterns += [path("key-person-risk/", risk.key_person_risk, name="risk")]

# Recruiting: a requisition's stage moves (pages/requisition.py) and the figures
# (pages/recruiting.py).
urlpatterns += [
    path("requisitions/<int:pk>/move/", requisition.move, name="requisition_move"),
    path("recruiting/", recruiting.recruiting_page, name="recruiting"),
]

# The workforce brief for leaders (brief.py).
urlpatterns += [path("brief/", brief.brief, name="brief")]
