from django.apps import AppConfig


class ContinuityConfig(AppConfig):
    name = "townhall.continuity"
    label = "continuity"
    verbose_name = "Continuity"

    def ready(self) -> None:
        from townhall.continuity import views  # noqa: F401 - registers this app's records
