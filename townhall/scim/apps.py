from django.apps import AppConfig


class ScimConfig(AppConfig):
    name = "townhall.scim"
    label = "scim"
    verbose_name = "Provisioning (SCIM)"
