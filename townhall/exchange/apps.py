from django.apps import AppConfig

# The module's section of the main menu: pages beyond its record lists, and who may open each.
MENU: list[tuple] = []


class ExchangeConfig(AppConfig):
    name = "townhall.exchange"
    label = "exchange"
    verbose_name = "Exchange"

    def ready(self) -> None:
        from townhall.core import plugins

        # --- home ---
        from townhall.exchange.pages import home

        plugins.register_home(home.home)
        # --- end home ---
        plugins.register_menu(plugins.Section("exchange", "Exchange", order=100, pages=MENU))
