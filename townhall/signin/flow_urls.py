"""The addresses a provider and allauth know by allauth's own names (not namespaced, as
allauth reverses them so). The callback is the redirect URI registered at the provider;
for SAML, the metadata address is the service provider's entity ID, the ACS its reply URL."""

from django.urls import path

from townhall.signin.pages import flow, saml

urlpatterns = [
    path("saml/<str:provider_id>/start/", saml.start, name="saml_start"),
    path("saml/<str:provider_id>/acs/", saml.acs, name="saml_acs"),
    path("saml/<str:provider_id>/finish/", saml.finish, name="saml_finish"),
    path("saml/<str:provider_id>/metadata/", saml.metadata, name="saml_metadata"),
    path("<str:provider_id>/start/", flow.start, name="openid_connect_login"),
    path("<str:provider_id>/callback/", flow.callback, name="openid_connect_callback"),
]
