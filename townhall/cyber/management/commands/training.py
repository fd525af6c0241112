"""`townhall training import FILE`: record training completions from a learning system's
CSV or XLSX export, as the import page does.

Rows are matched to people by e-mail, else by name; unknown people are reported, never
added. A file with a rejected row imports nothing unless --valid-only is given; --dry-run
checks and reports without saving. Importing the same file twice changes nothing.
"""

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from townhall.accounts.models import User
from townhall.core import context
from townhall.cyber import training
from townhall.cyber import training_rules as rules


class Command(BaseCommand):
    help = "Training records: `import FILE` reads completions (person, course, date)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["import"])
        parser.add_argument("file", help="A .csv, .txt, .tsv or .xlsx file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, but save nothing."
        )
        parser.add_argument(
            "--valid-only",
            action="store_true",
            help="Import the valid rows even when some are rejected.",
        )
        parser.add_argument("--username", help="Import as this person (default: system).")
        parser.add_argument(
            "--mapping",
            help='A JSON file {"Heading in file": "email|name|course|code|date", ...}; '
            "without it the columns are guessed from the headings.",
        )

    def handle(self, *args: Any, **o: Any) -> None:
        path = Path(o["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        user = self.user(o["username"])
        mapping = self.mapping(o["mapping"])
        try:
            with context.acting("cli"):
                outcome = training.run_import(
                    user,
                    data,
                    path.name,
                    commit=not o["dry_run"],
                    valid_only=o["valid_only"],
                    mapping=mapping,
                )
        except training.ImportProblem as exc:
            raise CommandError(f"{path}: {exc}") from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        self.report(outcome)
        if outcome.rejected and not outcome.committed:
            raise CommandError(
                f"{outcome.rejected} row(s) rejected; nothing was imported"
                + (" (dry run)." if o["dry_run"] else ". Fix them, or use --valid-only.")
            )

    def mapping(self, path: str | None) -> dict[str, str] | None:
        if not path:
            return None
        try:
            given = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read the mapping {path}: {exc}") from exc
        if not isinstance(given, dict) or not all(
            isinstance(h, str) and f in ("", *rules.FIELDS) for h, f in given.items()
        ):
            fields = ", ".join(rules.FIELDS)
            raise CommandError(
                f'The mapping must be a JSON object {{"Heading": "field"}}; fields: {fields}.'
            )
        return given

    def user(self, username: str | None) -> Any:
        if not username:
            return context.SYSTEM
        try:
            return User.objects.get(username=username, is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"No active user {username!r}.") from None

    def report(self, outcome: training.Outcome) -> None:
        c = outcome.counts
        counts = (
            f"{c['created']} new completion(s), {c['unchanged']} unchanged, "
            f"{c['rejected']} rejected, {c['new_courses']} new course(s)"
        )
        rows = f"{outcome.rows} row(s)"
        if outcome.committed:
            self.stdout.write(f"Imported {rows}: {counts}.")
        elif outcome.dry_run:
            self.stdout.write(f"Dry run of {rows}, nothing saved: {counts}.")
        else:
            self.stdout.write(f"Nothing imported. Checked {rows}: {counts}.")
        for name in outcome.new_courses:
            self.stdout.write(f"New course (not yet required): {name}")
        for p in outcome.report:
            kind = "rejected" if p.error else "note"
            self.stdout.write(
                f"row {p.row}\t{kind}\t{p.column or '-'}\t{p.value or '-'}\t{p.reason}"
            )
