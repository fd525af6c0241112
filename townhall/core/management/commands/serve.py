"""Serve Townhall: the development server, or gunicorn with --production."""

import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Townhall on HOST:PORT (gunicorn with --production, else Django's server)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--production",
            action="store_true",
            help="Run gunicorn with production settings (TOWNHALL_PRODUCTION=1).",
        )
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3"))
        )

    def handle(
        self, *args: Any, host: str, port: int, production: bool, workers: int, **options: Any
    ) -> None:
        if production:
            os.environ["TOWNHALL_PRODUCTION"] = "1"
            call_command("collectstatic", interactive=False, verbosity=0)
            os.execvp(  # noqa: S606 - replaces this process with gunicorn
                sys.executable,
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "townhall.wsgi:application",
                    "--bind",
                    f"{host}:{port}",
                    "--workers",
                    str(workers),
                    "--access-logfile",
                    "-",
                    "--forwarded-allow-ips",
                    os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
                ],
            )
        call_command("runserver", f"{host}:{port}", use_reloader=False)
