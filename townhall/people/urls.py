from django.urls import path

from townhall.core.registry import urls
from townhall.people import views
from townhall.people.pages import chart, risk, skills

app_name = "people"
urlpatterns = urls(
    views.TEAMS,
    views.POSITIONS,
    views.OPERATING_MODELS,
    views.SKILLS,
    views.PROFICIENCIES,
    views.CERTIFICATIONS,
    views.STAFF_RECORDS,
)

# The organization chart (pages/chart.py).
urlpatterns += [path("chart/", chart.chart, name="chart")]

# Where skills come from: the NICE core set, NIST's file, the estate (pages/skills.py).
urlpatterns += [
    path("skills/overview/", skills.skills, name="skills"),
    path("skills/overview/core-set/", skills.load_core, name="skills_core"),
    path("skills/overview/technology/", skills.derive_technology, name="skills_technology"),
]

# Key-person risk (pages/risk.py).
urlpatterns += [path("key-person-risk/", risk.key_person_risk, name="risk")]
