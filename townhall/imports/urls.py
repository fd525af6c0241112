from django.urls import path

from townhall.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.ImportHome.as_view(), name="home"),
    path("<int:pk>/", views.PreviewPage.as_view(), name="preview"),
    path("<int:pk>/columns/", views.MappingPage.as_view(), name="mapping"),
    path("template/<slug:kind>.csv", views.TemplateDownload.as_view(), name="template"),
    path("export/<slug:kind>.csv", views.ExportDownload.as_view(), name="export"),
]
