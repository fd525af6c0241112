from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "townhall.jobs"
    label = "jobs"

    def ready(self) -> None:
        from townhall.jobs import tasks  # noqa: F401 - registers the export job
