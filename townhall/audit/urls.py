from django.urls import path

from townhall.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.AuditLogPage.as_view(), name="list"),
    path("<int:pk>/", views.AuditEntryPage.as_view(), name="detail"),
]
