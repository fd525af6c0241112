"""SCIM's addresses below /scim/v2/ (townhall/urls.py also takes `/scim/v2//Users`, which a
provider given the base address with a trailing slash may send)."""

from django.urls import path, re_path

from townhall.scim import views

app_name = "scim"

urlpatterns = [
    path("ServiceProviderConfig", views.service_provider_config, name="config"),
    path("ResourceTypes", views.resource_types, name="resource_types"),
    path("ResourceTypes/<str:name>", views.resource_types, name="resource_type"),
    path("Schemas", views.schemas, name="schemas"),
    path("Schemas/<str:uri>", views.schemas, name="schema"),
    path("Users", views.user_list, name="users"),
    path("Users/<str:pk>", views.user_detail, name="user"),
    path("Groups", views.group_list, name="groups"),
    path("Groups/<str:pk>", views.group_detail, name="group"),
    re_path(r"^(?P<rest>.*)$", views.not_found, name="not_found"),
]
