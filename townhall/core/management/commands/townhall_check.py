"""`townhall check`: is this installation configured and ready to serve?"""

from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


class Command(BaseCommand):
    help = "Check configuration, database, migrations, front-end assets and deploy settings."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--deploy", action="store_true", help="Also run Django's deploy checks."
        )

    def handle(self, *args: Any, deploy: bool, **options: Any) -> None:
        problems: list[str] = []
        try:
            connection.ensure_connection()
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
            if pending:
                problems.append(
                    f"{len(pending)} database migration(s) not applied: run `townhall migrate`."
                )
        except Exception as exc:  # noqa: BLE001 - report any connection failure plainly
            problems.append(
                f"The database cannot be reached ({settings.DATABASES['default']['ENGINE']}): {exc}"
            )
        for asset in ("vendor/uswds/css/uswds.min.css", "vendor/htmx/htmx.min.js"):
            if not finders.find(asset):
                problems.append(f"Front-end asset {asset} is missing: run `make assets`.")
        if settings.PRODUCTION and not settings.ALLOWED_HOSTS:
            problems.append("ALLOWED_HOSTS is empty; set it to the host name people use.")
        try:
            call_command("check", deploy=deploy or settings.PRODUCTION, fail_level="WARNING")
        except Exception as exc:  # noqa: BLE001 - SystemCheckError and friends
            problems.append(str(exc).strip())
        for problem in problems:
            self.stderr.write(f"problem: {problem}")
        if problems:
            raise CommandError(f"{len(problems)} problem(s) found.")
        self.stdout.write("Townhall is configured and ready.")
