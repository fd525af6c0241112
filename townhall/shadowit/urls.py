from django.urls import path

from townhall.core.registry import urls
from townhall.shadowit import brief, views
from townhall.shadowit.pages import answers as answer_pages
from townhall.shadowit.pages import home
from townhall.shadowit.pages import merchants as merchant_pages
from townhall.shadowit.pages import queue as queue_pages

app_name = "shadowit"
urlpatterns = urls(
    views.PURCHASES,
    views.SIGN_INS,
    views.DOMAINS,
    views.MERCHANTS,
    views.RULES,
    views.SUBSCRIPTIONS,
    views.ANSWERS,
)

# The front page and brief, and working the merchants out again (pages/merchants.py).
urlpatterns += [
    # What it means: the front page and the brief for leaders (pages/home.py, brief.py).
    path("", home.home, name="home"),
    path("brief/", brief.brief, name="brief"),
    path("merchants/work-out/", merchant_pages.merchants_refresh, name="merchants_refresh"),
]

# A department's answers about what it bought, and IT's security reviews (pages/answers.py).
urlpatterns += [
    path("my-department/", answer_pages.department_questions, name="department_questions"),
    path(
        "merchants/<int:pk>/security-review/",
        answer_pages.security_review,
        name="merchant_security_review",
    ),
]

# The triage queue and the decisions on a merchant, from it or the merchant's page
# (pages/queue.py).
urlpatterns += [
    path("queue/", queue_pages.queue, name="queue"),
    path("queue/decide/", queue_pages.queue_decide, name="queue_decide"),
    path(
        "merchants/<int:pk>/decide/<str:action>/",
        queue_pages.merchant_act,
        name="merchant_act",
    ),
]
