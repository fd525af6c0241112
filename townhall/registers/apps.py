from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks

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


def surveillance_kinds(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A misspelt kind in `TOWNHALL_SURVEILLANCE_REVIEW` would silently let such pilots run
    without a review, so the start-up checks name it."""
    from townhall.registers.models import Technology

    configured = settings.TOWNHALL_SURVEILLANCE_REVIEW
    unknown = sorted({k for kinds in configured.values() for k in kinds} - set(Technology.values))
    if not unknown:
        return []
    return [
        checks.Error(
            f"TOWNHALL_SURVEILLANCE_REVIEW names unknown technology kinds: {', '.join(unknown)}.",
            hint=f"Use some of: {', '.join(Technology.values)}.",
            id="registers.E001",
        )
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
        checks.register(surveillance_kinds)
