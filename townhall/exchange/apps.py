from django.apps import AppConfig

# The module's section of the main menu: pages beyond its record lists, and who may open each.
MENU: list[tuple] = [
    # --- scorecard ---
    ("Priorities scorecard", "exchange:scorecard"),  # everyone, figures of what they may see
]

# --- member ---
MENU += [
    ("Exchange metrics", "exchange:metrics", ("admin",)),
    ("Jurisdiction profile", "exchange:profile", ("admin",)),
]

# --- peers ---
# IT, administrators, the board and viewers read the peer comparison (aggregates only).
MENU += [("Peer comparison", "exchange:peers", ("admin", "it_manager", "staff", "board", "viewer"))]

# --- survey ---
MENU += [("Priorities survey", "exchange:survey", ("admin", "it_manager"))]


class ExchangeConfig(AppConfig):
    name = "townhall.exchange"
    label = "exchange"
    verbose_name = "Exchange"

    def ready(self) -> None:
        from townhall.core import plugins

        # The jobs register themselves: joining, submitting and fetching (member), the peer
        # report and the scorecard's readings (tasks), the survey's (survey_tasks).
        from townhall.exchange import member, survey_tasks, tasks  # noqa: F401

        plugins.register_menu(plugins.Section("exchange", "Exchange", order=100, pages=MENU))
