from django.urls import path

from townhall.signin.pages import mappings, providers

app_name = "signin"
urlpatterns = [
    path("", mappings.mapping_list, name="mappings"),
    path("add/", mappings.mapping_edit, name="mapping_add"),
    path("<int:pk>/edit/", mappings.mapping_edit, name="mapping_edit"),
    path("<int:pk>/delete/", mappings.mapping_delete, name="mapping_delete"),
    path("links/", mappings.links, name="links"),
    path("providers/", providers.provider_list, name="providers"),
    path("providers/add/", providers.provider_edit, name="provider_add"),
    path("providers/<int:pk>/edit/", providers.provider_edit, name="provider_edit"),
    path("providers/<int:pk>/delete/", providers.provider_delete, name="provider_delete"),
    path("saml/<str:provider_id>/metadata/", mappings.metadata_import, name="metadata_import"),
    path("links/<int:pk>/unlink/", mappings.unlink, name="unlink"),
]
