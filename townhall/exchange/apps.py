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


class ExchangeConfig(AppConfig):
    name = "townhall.exchange"
    label = "exchange"
    verbose_name = "Exchange"

    def ready(self) -> None:
        from townhall.core import plugins

        # The jobs register themselves: joining, submitting and fetching (member), the peer
        # report, the scorecard's readings and the hub's recomputation (tasks), the
        # survey's and the library's.
        from townhall.exchange import library_tasks, member, survey_tasks, tasks  # noqa: F401
        from townhall.exchange.pages import home

        # Each role's home page at "/" (the record counts move to /records/).
        plugins.register_home(home.home)
        # --- exdemo ---
        # The exchange's part of the demo county, after the public site (order 90).
        plugins.register_demo("townhall.exchange.demo.load", order=95)
        # --- end exdemo ---
        plugins.register_menu(plugins.Section("exchange", "Exchange", order=100, pages=MENU))
