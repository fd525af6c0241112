from django.apps import AppConfig

# The module's section of the main menu: pages beyond its record lists, and who may open each.
MENU: list[tuple] = []

# --- survey ---
MENU += [("Priorities survey", "exchange:survey", ("admin", "it_manager"))]


class ExchangeConfig(AppConfig):
    name = "townhall.exchange"
    label = "exchange"
    verbose_name = "Exchange"

    def ready(self) -> None:
        from townhall.core import plugins

        # --- survey ---
        from townhall.exchange import survey_tasks  # noqa: F401  (registers its jobs)

        plugins.register_menu(plugins.Section("exchange", "Exchange", order=100, pages=MENU))
