from django.apps import AppConfig

# The module's section of the main menu: the public site itself, choosing what is on it,
# the readiness statements and residents' input.
MENU: list[tuple] = [
    ("The public site", "public:home"),
    ("Choose what is public", "publishing:choose", ("admin",)),
    ("Readiness statements", "publishing:statements", ("admin", "it_manager", "staff")),
    ("Residents' input", "publishing:moderation", ("admin", "it_manager", "staff")),
]


class PublicConfig(AppConfig):
    name = "townhall.public"
    label = "public"
    verbose_name = "Public site"

    def ready(self) -> None:
        from townhall.core import plugins
        from townhall.public import board, page_cache

        plugins.register_menu(plugins.Section("public", "Public site", order=90, pages=MENU))
        # The demo county's public site, after the registers whose records it publishes.
        plugins.register_demo("townhall.public.demo.load", order=90)
        # A kept public page is dropped when anything it shows is written.
        page_cache.connect()
        # What residents said, on the proposal's scoring page and in the board packet.
        board.register()
