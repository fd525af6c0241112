from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "townhall.imports"
    verbose_name = "Imports"
