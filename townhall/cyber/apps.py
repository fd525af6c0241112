from django.apps import AppConfig


class CyberConfig(AppConfig):
    name = "townhall.cyber"
    label = "cyber"
    verbose_name = "Cyber"

    def ready(self) -> None:
        from townhall.core import plugins
        from townhall.cyber import tasks, views  # noqa: F401 - registers records and jobs
        from townhall.cyber.services import evidence_events

        plugins.register_calendar_events(evidence_events)  # in the estate's calendar feed
