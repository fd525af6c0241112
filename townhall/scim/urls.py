"""SCIM's addresses below /scim/v2/. A provider given the base address with a trailing
slash may send two slashes before the resource (`/scim/v2//Users`): both are answered."""

from django.urls import re_path

from townhall.scim import views

app_name = "scim"

urlpatterns = [
    re_path(r"^/?ServiceProviderConfig/?$", views.service_provider_config, name="config"),
    re_path(r"^/?ResourceTypes/?$", views.resource_types, name="resource_types"),
    re_path(r"^/?ResourceTypes/(?P<name>[^/]+)$", views.resource_types, name="resource_type"),
    re_path(r"^/?Schemas/?$", views.schemas, name="schemas"),
    re_path(r"^/?Schemas/(?P<uri>[^/]+)$", views.schemas, name="schema"),
    re_path(r"^/?Users/?$", views.user_list, name="users"),
    re_path(r"^/?Users/(?P<pk>[^/]+)$", views.user_detail, name="user"),
    re_path(r"^/?Groups/?$", views.group_list, name="groups"),
    re_path(r"^/?Groups/(?P<pk>[^/]+)$", views.group_detail, name="group"),
    re_path(r"^(?P<rest>.*)$", views.not_found, name="not_found"),
]
