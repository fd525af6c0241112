from django.apps import AppConfig

# The module's section of the main menu: pages beyond its record lists, and who may open each.
MENU: list[tuple] = [
    ("Priorities scorecard", "exchange:scorecard"),  # everyone, figures of what they may see
    # IT, administrators, the board and viewers read the peer comparison (aggregates only).
    ("Peer comparison", "exchange:peers", ("admin", "it_manager", "staff", "board", "viewer")),
    ("Practice library", "exchange:library"),
    ("Priorities survey", "exchange:survey", ("admin", "it_manager")),
    ("Exchange metrics", "exchange:metrics", ("admin",)),
    ("Jurisdiction profile", "exchange:profile", ("admin",)),
]

# --- exfixes ---
# The hub's administrators' pages answer 404 unless this Townhall is a hub, so the menu
# offers them only then (`menu_pages`).
HUB_MENU: list[tuple] = [
    ("Hub members and submissions", "hub:admin", ("admin",)),
    ("Hub surveys", "hub:surveys", ("admin",)),
    ("Hub library", "hub:library", ("admin",)),
]


def menu_pages(hub: bool) -> list[tuple]:
    """The section's pages: the hub's administrators' pages too when this Townhall is one."""
    return [*MENU, *HUB_MENU] if hub else list(MENU)


class ExchangeConfig(AppConfig):
    name = "townhall.exchange"
    label = "exchange"
    verbose_name = "Exchange"

    def ready(self) -> None:
        from django.conf import settings

        from townhall.core import plugins

        # The jobs register themselves: joining, submitting and fetching (member), the peer
        # report, the scorecard's readings and the hub's recomputation (tasks), the
        # survey's and the library's.
        from townhall.exchange import library_tasks, member, survey_tasks, tasks  # noqa: F401
        from townhall.exchange.pages import home

        # Each role's home page at "/" (the record counts move to /records/).
        plugins.register_home(home.home)
        # The exchange's part of the demo county, after the public site (order 90).
        plugins.register_demo("townhall.exchange.demo.load", order=95)
        plugins.register_menu(
            plugins.Section(
                "exchange", "Exchange", order=100, pages=menu_pages(settings.EXCHANGE_HUB)
            )
        )
