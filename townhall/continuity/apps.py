from django.apps import AppConfig


class ContinuityConfig(AppConfig):
    name = "townhall.continuity"
    label = "continuity"
    verbose_name = "Continuity"

    def ready(self) -> None:
        from townhall.continuity import tasks, views  # noqa: F401 - registers records and jobs
