from django.apps import AppConfig

from townhall.core.plugins import EDITORS

# The module's section of the main menu (`core.plugins.Section`): its pages beyond its
# record lists, and who may open each.
MENU = [
    ("Foundation health", "foundation:dashboard"),
    ("Support suggestions", "foundation:suggestions", EDITORS),
    ("Replacement forecast", "foundation:forecast"),
    ("Replacement schedule", "foundation:schedule"),
]


class FoundationConfig(AppConfig):
    name = "townhall.foundation"
    label = "foundation"
    verbose_name = "Foundation"

    def ready(self) -> None:
        # tasks and views register the app's jobs and records.
        from townhall.core import plugins
        from townhall.foundation import renewals, stored, tasks, views  # noqa: F401
        from townhall.foundation.pages import health

        stored.connect()  # hear of every write to what the kept health reads

        plugins.register_panel(
            ("estate.System", "estate.Component"),
            plugins.Panel(
                name="foundation-health",
                template="foundation/_item_health_panel.html",
                context=health.panel,
                order=110,
            ),
        )
        plugins.register_panel(
            ("governance.Proposal",),
            plugins.Panel(
                name="foundation-renewal",
                template="foundation/_renewal_panel.html",
                context=renewals.panel,
                order=100,
            ),
        )
        plugins.register_menu(plugins.Section("foundation", "Foundation", order=50, pages=MENU))
        plugins.register_home_link(
            plugins.HomeLink("Foundation health", "foundation:dashboard", order=150)
        )
        plugins.register_demo("townhall.foundation.demo.load", order=50)
