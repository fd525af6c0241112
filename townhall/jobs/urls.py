from django.urls import path

from townhall.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.JobListPage.as_view(), name="list"),
    path("<int:pk>/", views.JobPage.as_view(), name="detail"),
    path("<int:pk>/download/", views.JobDownload.as_view(), name="download"),
]
