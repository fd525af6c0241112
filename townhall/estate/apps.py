from django.apps import AppConfig

# The module's section of the main menu (`core.plugins.Section`): its pages beyond its
# record lists, and who may open each.
MENU = [("Estate dashboard", "estate:dashboard"), ("Your calendar feed", "estate:calendar")]


class EstateConfig(AppConfig):
    name = "townhall.estate"
    label = "estate"
    verbose_name = "Estate"

    def ready(self) -> None:
        from townhall.core import plugins, registry
        from townhall.estate import imports, views  # noqa: F401 - views registers the records
        from townhall.estate.spellings import SPELLINGS

        registry.register_spellings(self.label, SPELLINGS)
        imports.register()  # the estate's kinds of record for the spreadsheet importer
        plugins.register_menu(plugins.Section("estate", "Estate", order=10, pages=MENU))
        plugins.register_demo("townhall.estate.demo.load", order=10)
        plugins.register_home_link(plugins.HomeLink("Estate dashboard", "estate:dashboard"))
