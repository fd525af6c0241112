from django.apps import AppConfig

# The module's section of the main menu: the public site itself, and choosing what is on it.
MENU: list[tuple] = [
    ("The public site", "public:home"),
    ("Choose what is public", "publishing:choose", ("admin",)),
    # --- pub-input ---
    ("Residents' input", "publishing:moderation", ("admin", "it_manager", "staff")),
]


class PublicConfig(AppConfig):
    name = "townhall.public"
    label = "public"
    verbose_name = "Public site"

    def ready(self) -> None:
        from townhall.core import plugins

        plugins.register_menu(plugins.Section("public", "Public site", order=90, pages=MENU))

        # --- pub-input ---
        from townhall.public import board

        board.register()
