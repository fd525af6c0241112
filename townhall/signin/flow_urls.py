"""The addresses a provider and allauth know by allauth's own names (not namespaced, as
allauth reverses them so). The callback is the redirect URI registered at the provider."""

from django.urls import path

from townhall.signin.pages import flow

urlpatterns = [
    path("<str:provider_id>/start/", flow.start, name="openid_connect_login"),
    path("<str:provider_id>/callback/", flow.callback, name="openid_connect_callback"),
]
