from django.urls import path

from townhall.core import pickers, views

app_name = "core"
urlpatterns = [
    path("", views.HomePage.as_view(), name="home"),
    path("records/", views.RecordsPage.as_view(), name="records"),
    path("search/", views.SearchPage.as_view(), name="search"),
    path("pick/<str:app_label>/<str:model_name>/", pickers.pick, name="pick"),
]
