from django.urls import path

from townhall.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.ImportHome.as_view(), name="home"),
    path("<int:pk>/", views.PreviewPage.as_view(), name="preview"),
    path("<int:pk>/columns/", views.MappingPage.as_view(), name="mapping"),
    path("<int:pk>/values/", views.ValuesPage.as_view(), name="values"),
    path("<int:pk>/rejected.csv", views.RejectedDownload.as_view(), name="rejected"),
    path("template/<slug:kind>.csv", views.TemplateDownload.as_view(), name="template"),
    path("export/<slug:kind>.csv", views.ExportDownload.as_view(), name="export"),
]
