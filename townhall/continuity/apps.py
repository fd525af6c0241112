from django.apps import AppConfig

from townhall.core.plugins import EDITORS

# The module's section of the main menu (`core.plugins.Section`): its pages beyond its
# record lists, and who may open each.
MENU = [
    ("Continuity readiness", "continuity:dashboard"),
    ("Continuity analysis", "continuity:analysis"),
    ("Your department's impact analyses", "continuity:my_analyses", ("liaison",)),
    ("Recovery contacts", "continuity:contacts"),
    ("Recovery times tested", "continuity:recovery_tests"),
    ("Start a new plan version", "continuity:plan_new", EDITORS),
]


class ContinuityConfig(AppConfig):
    name = "townhall.continuity"
    label = "continuity"
    verbose_name = "Continuity"

    def ready(self) -> None:
        # tasks and views register the app's jobs and records.
        from townhall.continuity import estate_links, imports, stored, tasks, views  # noqa: F401
        from townhall.continuity.spellings import SPELLINGS
        from townhall.core import plugins, registry

        registry.register_spellings(self.label, SPELLINGS)  # "Primary MEF", "non-essential"
        stored.connect()  # hear of every write to what the kept analysis reads
        imports.register()  # impact analyses and recovery capabilities, for the importer
        plugins.register_panel(
            ("estate.Service", "estate.System", "estate.Component"),
            plugins.Panel(
                name="continuity",
                template="continuity/_estate_panel.html",
                context=estate_links.panel,
                order=100,
            ),
        )
        plugins.register_single_points(
            plugins.SinglePoints(
                counts=estate_links.dependency_losses,
                more="continuity:analysis",
                anchor="#single-points",
            )
        )
        plugins.register_menu(plugins.Section("continuity", "Continuity", order=40, pages=MENU))
        plugins.register_demo("townhall.continuity.demo.load", order=40)
