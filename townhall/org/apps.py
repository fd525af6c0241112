from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "townhall.org"
    label = "org"
