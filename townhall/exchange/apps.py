from django.apps import AppConfig

# The module's section of the main menu: pages beyond its record lists, and who may open each.
MENU: list[tuple] = []


class ExchangeConfig(AppConfig):
    name = "townhall.exchange"
    label = "exchange"
    verbose_name = "Exchange"

    def ready(self) -> None:
        from townhall.core import plugins

        # --- hub ---
        from townhall.exchange import tasks  # noqa: F401 - registers the recompute job

        plugins.register_menu(plugins.Section("exchange", "Exchange", order=100, pages=MENU))
