from django.apps import AppConfig

from townhall.core.plugins import EDITORS

# The module's section of the main menu (`core.plugins.Section`): its pages beyond its
# record lists, which the menu lists after them, and who may open each.
MENU: list[tuple] = [
    ("Registers", "registers:home"),
    ("Social media at risk", "registers:social"),
    ("AI use case inventory (CSV)", "registers:ai_use_case_inventory"),
    # --- Data inventory
    ("Data catalog", "registers:data_catalog"),
    ("Import a data.json", "registers:data_import", EDITORS),
    ("Pilots pipeline", "registers:pilot_pipeline"),
    ("Emergency communications", "registers:emergency_communications"),
]


class RegistersConfig(AppConfig):
    name = "townhall.registers"
    label = "registers"
    verbose_name = "Registers"

    def ready(self) -> None:
        from townhall.core import plugins, registry
        from townhall.registers import imports, reviews, spellings, tasks, views  # noqa: F401

        plugins.register_menu(plugins.Section("registers", "Registers", order=80, pages=MENU))
        plugins.register_home_link(plugins.HomeLink("Registers", "registers:home", order=180))
        plugins.register_demo("townhall.registers.demo.load", order=80)
        # Every register's records carry a review: due ones in the calendar, overdue ones
        # on IT staff's home page.
        plugins.register_calendar_events(reviews.review_events)
        plugins.register_home_notice(reviews.home_notice)
        imports.register()  # every register's kinds, for the importer
        registry.register_spellings(self.label, spellings.SPELLINGS)  # "Pilot", "Retired"
