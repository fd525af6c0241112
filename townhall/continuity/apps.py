from django.apps import AppConfig


class ContinuityConfig(AppConfig):
    name = "townhall.continuity"
    label = "continuity"
    verbose_name = "Continuity"

    def ready(self) -> None:
        from townhall.continuity import stored, tasks, views  # noqa: F401 - registers records and jobs

        stored.connect()  # hear of every write to what the kept analysis reads
