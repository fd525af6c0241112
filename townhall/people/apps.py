from django.apps import AppConfig

# The module's section of the main menu (`core.plugins.Section`): its pages beyond its
# record lists, which the menu lists after them, and who may open each.
MENU: list[tuple] = [
    ("Organization chart", "people:chart"),
    ("Skills overview", "people:skills"),
    ("Capacity for governance", "people:capacity"),
    ("Key-person risk", "people:risk"),
    ("Recruiting", "people:recruiting"),
    ("Workforce brief", "people:brief"),
]


class PeopleConfig(AppConfig):
    name = "townhall.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from townhall.core import plugins, registry
        from townhall.people import imports, panel, services, tasks, views  # noqa: F401
        from townhall.people.spellings import SPELLINGS

        registry.register_spellings(self.label, SPELLINGS)  # "vacant", "hybrid"
        imports.register()  # positions and proficiencies, for the importer
        plugins.register_menu(plugins.Section("people", "People", order=70, pages=MENU))
        plugins.register_home_link(
            plugins.HomeLink("Organization chart", "people:chart", order=170)
        )
        plugins.register_demo("townhall.people.demo.load", order=70)
        plugins.register_panel(
            ["estate.Person"],
            plugins.Panel(
                name="people",
                template="people/_person_panel.html",
                context=panel.person_panel,
                order=100,
            ),
        )
        plugins.register_panel(
            ["governance.BudgetCycle"],
            plugins.Panel(
                name="people-capacity",
                template="people/_cycle_panel.html",
                context=panel.cycle_panel,
                order=100,
            ),
        )
        plugins.register_panel(
            ["estate.System", "estate.Component"],
            plugins.Panel(
                name="people_run",
                template="people/_system_panel.html",
                context=panel.system_panel,
                order=100,
            ),
        )
        plugins.register_calendar_events(panel.certification_events)
        plugins.register_calendar_events(panel.training_events)
        services.connect()  # training plans are met when a level reaches their target
