from django.apps import AppConfig

from townhall.core.plugins import REQUESTERS

# The module's section of the main menu (`core.plugins.Section`): its pages beyond its
# record lists, and who may open each.
MENU = [
    ("Governance overview", "governance:home"),
    ("Governance health", "governance:dashboard"),
    ("Our requests", "governance:my_requests", REQUESTERS),
    ("Proposals to score", "governance:my_scoring"),
]


class GovernanceConfig(AppConfig):
    name = "townhall.governance"
    label = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        from townhall.core import plugins
        from townhall.governance import tasks, views  # noqa: F401 - registers records and jobs

        plugins.register_menu(plugins.Section("governance", "Governance", order=20, pages=MENU))
        plugins.register_demo("townhall.governance.demo.load", order=20)
