"""Run background tasks (exports, imports) from the database queue."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run queued background tasks. --batch runs what is waiting, then exits."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", action="store_true")
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args: Any, batch: bool, interval: float, **options: Any) -> None:
        call_command(
            "db_worker",
            batch=batch,
            interval=interval,
            reload=False,
            startup_delay=False,
            verbosity=options.get("verbosity", 1),
        )
