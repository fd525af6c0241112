from django.apps import AppConfig


class CyberConfig(AppConfig):
    name = "townhall.cyber"
    label = "cyber"
    verbose_name = "Cyber"

    def ready(self) -> None:
        from townhall.cyber import tasks, views  # noqa: F401 - registers records and jobs
