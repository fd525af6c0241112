"""`townhall backup FILE`: every record and uploaded file in one .zip (see townhall.core.backup)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from townhall.core import backup


class Command(BaseCommand):
    help = "Write every record and uploaded file to one .zip file that `townhall restore` reads."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="The .zip file to write (replaced if it exists).")

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        try:
            summary = backup.backup(file)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backed up {summary.counts()} to {file}.")
