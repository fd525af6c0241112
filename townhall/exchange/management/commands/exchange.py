"""`townhall exchange serve`: run this Townhall as an exchange hub."""

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Exchange commands. `serve`: run Townhall as an exchange hub (as `townhall serve`)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["serve"])
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--production", action="store_true")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        # Both the server started here and gunicorn's workers (a new process) see it.
        os.environ["TOWNHALL_EXCHANGE_HUB"] = "true"
        settings.EXCHANGE_HUB = True
        call_command(
            "serve", host=options["host"], port=options["port"], production=options["production"]
        )
