"""Run background jobs (exports, imports, PDFs, solves) from the database queue.

`townhall worker` supervises: it runs the worker in a child process and starts it again
whenever it exits. `--batch` runs what is queued, then exits; `--no-supervise` runs the
worker itself in this process (what the supervisor starts)."""

import logging
import sys
from typing import Any

from django.core.management.base import BaseCommand

from townhall.jobs import worker


class Command(BaseCommand):
    help = (
        "Run queued background jobs, restarting the worker if it stops. "
        "--batch runs what is waiting, then exits."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="Run the jobs waiting now, then exit."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between two looks at the queue when it is empty (default 1).",
        )
        parser.add_argument(
            "--no-supervise",
            action="store_true",
            help="Run the worker in this process, without restarting it when it stops.",
        )

    def handle(
        self, *args: Any, batch: bool, interval: float, no_supervise: bool, **options: Any
    ) -> None:
        if options.get("verbosity", 1) >= 1:
            logging.getLogger("townhall.worker").setLevel(logging.INFO)
        if batch or no_supervise:
            runner = worker.Worker(interval=interval, batch=batch)
            if not batch:
                runner.configure_signals()
            runner.run()
            return
        sys.exit(worker.Supervisor(worker.child_command(interval)).run())
