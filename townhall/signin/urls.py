from django.urls import path

from townhall.signin.pages import mappings

app_name = "signin"
urlpatterns = [
    path("", mappings.mapping_list, name="mappings"),
    path("add/", mappings.mapping_edit, name="mapping_add"),
    path("<int:pk>/edit/", mappings.mapping_edit, name="mapping_edit"),
    path("<int:pk>/delete/", mappings.mapping_delete, name="mapping_delete"),
    path("links/", mappings.links, name="links"),
    path("saml/<str:provider_id>/metadata/", mappings.metadata_import, name="metadata_import"),
    path("links/<int:pk>/unlink/", mappings.unlink, name="unlink"),
]
