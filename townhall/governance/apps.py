from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "townhall.governance"
    label = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        from townhall.governance import tasks, views  # noqa: F401 - registers records and jobs
