"""`townhall restore FILE`: replace all data with a backup's (see townhall.core.backup).

It asks nothing, so it runs unattended; a file it refuses changes nothing.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from townhall.core import backup


class Command(BaseCommand):
    help = (
        "Replace every record and restore every uploaded file from a `townhall backup` file. "
        "Everyone is signed out."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="A .zip file written by `townhall backup`.")

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        try:
            summary = backup.restore(file)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        made = summary.manifest.get("created_at", "an unknown time")
        version = summary.manifest.get("townhall_version", "?")
        self.stdout.write(
            f"Restored {summary.counts()} from {file} (backup of {made}, Townhall {version})."
        )
