from django.apps import AppConfig

# The module's section of the main menu: pages beyond its record lists, and who may open each.
MENU: list[tuple] = []

# --- member ---
MENU += [
    ("Exchange metrics", "exchange:metrics", ("admin",)),
    ("Jurisdiction profile", "exchange:profile", ("admin",)),
]


class ExchangeConfig(AppConfig):
    name = "townhall.exchange"
    label = "exchange"
    verbose_name = "Exchange"

    def ready(self) -> None:
        from townhall.core import plugins

        # --- member ---
        from townhall.exchange import member  # noqa: F401 - registers the member's jobs

        plugins.register_menu(plugins.Section("exchange", "Exchange", order=100, pages=MENU))
