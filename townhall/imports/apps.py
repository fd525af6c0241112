from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "townhall.imports"
    verbose_name = "Imports"

    def ready(self) -> None:
        from townhall.core import plugins
        from townhall.imports import tasks  # noqa: F401 - registers the import job
        from townhall.imports.kinds import DEPARTMENT

        plugins.register_import_kind(DEPARTMENT)
