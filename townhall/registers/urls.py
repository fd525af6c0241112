from django.urls import path

from townhall.core.registry import urls
from townhall.registers import views
from townhall.registers.pages import home
from townhall.registers.pages import pilots as pilot_pages
from townhall.registers.pages import readiness as readiness_pages

app_name = "registers"
urlpatterns = urls(
    views.PILOTS,
    views.SURVEILLANCE_REVIEWS,
    views.READINESS_ASSESSMENTS,
)

# The registers' front page: each register, its records and its reviews due (pages/home.py).
urlpatterns += [path("", home.home, name="home")]

# Innovation pilots: the pipeline board, a pilot's move to its next stage, and a readiness
# assessment's questionnaire (pages/pilots.py, pages/readiness.py).
urlpatterns += [
    path("pilots/pipeline/", pilot_pages.pipeline, name="pilot_pipeline"),
    path("pilots/<int:pk>/move/", pilot_pages.move, name="pilot_move"),
    path(
        "readiness-assessments/<int:pk>/answers/",
        readiness_pages.answers,
        name="readiness_answers",
    ),
]
