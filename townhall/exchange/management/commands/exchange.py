"""`townhall exchange serve`: run this Townhall as an exchange hub.
`townhall exchange join-code [--days N]`: print a new one-use join code for a government,
as the hub's page does, for a hub run from a script or a terminal."""

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from townhall.core import context
from townhall.exchange import hub

MAX_DAYS = 365
MAX_COUNT = 100


class Command(BaseCommand):
    help = (
        "Exchange commands. `serve`: run Townhall as an exchange hub (as `townhall serve`). "
        "`join-code`: print a new one-use join code (--days until it expires, --count codes)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["serve", "join-code"])
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--production", action="store_true")
        parser.add_argument(
            "--days", type=int, default=hub.CODE_DAYS, help="join-code: days until it expires"
        )
        parser.add_argument("--count", type=int, default=1, help="join-code: how many codes")
        parser.add_argument("--note", default="", help="join-code: who the code is for")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "join-code":
            self._join_codes(options["days"], options["count"], options["note"])
            return
        # Both the server started here and gunicorn's workers (a new process) see it.
        os.environ["TOWNHALL_EXCHANGE_HUB"] = "true"
        settings.EXCHANGE_HUB = True
        call_command(
            "serve", host=options["host"], port=options["port"], production=options["production"]
        )

    def _join_codes(self, days: int, count: int, note: str) -> None:
        """One code a line; each is shown only here (the hub keeps its hash)."""
        if not 1 <= days <= MAX_DAYS:
            raise CommandError(f"--days must be a whole number from 1 to {MAX_DAYS}.")
        if not 1 <= count <= MAX_COUNT:
            raise CommandError(f"--count must be a whole number from 1 to {MAX_COUNT}.")
        with context.acting("cli"):
            codes = [hub.make_join_code(context.SYSTEM, note, days) for _ in range(count)]
        self.stdout.write("\n".join(codes))
