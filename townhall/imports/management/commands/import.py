"""`townhall import KIND FILE`: load a CSV or XLSX file of records, as the importer page does."""

import contextlib
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from townhall.accounts.models import User
from townhall.core import context
from townhall.imports import engine, kinds, mapping, parsing, services, snapshot


class Command(BaseCommand):
    help = (
        "Import records from a CSV or XLSX file. Rows are matched to existing records by "
        "external ID or name, so importing the same file twice changes nothing."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=[key for key, _ in kinds.choices()])
        parser.add_argument("file", help="A .csv, .txt, .tsv or .xlsx file.")
        parser.add_argument(
            "--mapping",
            help='A JSON file {"Heading in file": "field_name", ...}, or {"columns": {...}, '
            '"values": {"field_name": {"Value in file": "choice", ...}}} to also say which '
            "choice a value of the file means.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, but save nothing."
        )
        parser.add_argument(
            "--valid-only",
            action="store_true",
            help="Import the valid rows even when some are rejected.",
        )
        parser.add_argument("--username", help="Import as this person (default: system).")

    def handle(self, *args: Any, **o: Any) -> None:
        kind = kinds.get(o["kind"])
        path = Path(o["file"])
        try:
            sheet = services.read(path.read_bytes(), path.name)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        except parsing.FileProblem as exc:
            raise CommandError(str(exc)) from exc
        columns, value_map = self.columns(o["mapping"], sheet, kind)
        user = self.user(o["username"])
        # A dry run on SQLite checks a snapshot, holding no lock other writers wait on.
        around = snapshot.isolated() if o["dry_run"] else contextlib.nullcontext()
        with around:
            outcome = engine.run(
                user,
                kind,
                sheet,
                columns,
                commit=not o["dry_run"],
                valid_only=o["valid_only"],
                source=f"Import of {path.name}",
                value_map=value_map,
            )
        self.report(outcome, sheet, dry_run=o["dry_run"])
        if outcome.rejected and not outcome.committed:
            raise CommandError(
                f"{outcome.rejected} row(s) rejected; nothing was imported"
                + (" (dry run)." if o["dry_run"] else ". Fix them, or use --valid-only.")
            )

    def columns(
        self, path: str | None, sheet: parsing.Sheet, kind: kinds.Kind
    ) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
        value_map: dict[str, dict[str, str]] = {}
        if path:
            try:
                proposed = json.loads(Path(path).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(f"Cannot read the mapping {path}: {exc}") from exc
            if not isinstance(proposed, dict):
                raise CommandError('The mapping must be a JSON object {"Heading": "field"}.')
            if isinstance(proposed.get("columns"), dict):
                value_map = self.values(proposed.get("values") or {}, kind)
                proposed = proposed["columns"]
            result, problems = mapping.clean(proposed, sheet.header, kind.headings())
            if problems:
                raise CommandError(" ".join(problems))
        else:
            result = kind.guess(sheet.header)
        missing = engine.identity_problem(kind, result)
        if missing:
            raise CommandError(missing)
        for heading, field in result.items():
            if heading and not field:
                self.stderr.write(f"Column {heading!r} is not imported.")
        return result, value_map

    def values(self, given: Any, kind: kinds.Kind) -> dict[str, dict[str, str]]:
        """The mapping's "values": each a choice field of the kind, each choice one of it."""
        if not isinstance(given, dict):
            raise CommandError('"values" must be a JSON object {"field": {"value": "choice"}}.')
        for name, words in given.items():
            field = kind.field(name) if name in kind.headings() else None
            if field is None or not field.choices:
                raise CommandError(f"{name!r} is not a choice field of {kind.label.lower()}.")
            allowed = {str(k) for k, _ in field.flatchoices}
            if not isinstance(words, dict) or not all(
                isinstance(w, str) and c in allowed for w, c in words.items()
            ):
                raise CommandError(
                    f"The values of {name!r} must map text to one of: {', '.join(sorted(allowed))}."
                )
        return given

    def user(self, username: str | None) -> Any:
        if not username:
            return context.SYSTEM
        try:
            return User.objects.get(username=username, is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"No active user {username!r}.") from None

    def report(self, outcome: engine.Outcome, sheet: parsing.Sheet, dry_run: bool) -> None:
        counts = ", ".join(f"{v} {k}" for k, v in outcome.counts().items())
        rows = f"{len(sheet.rows)} row(s)"
        if outcome.committed:
            self.stdout.write(f"Imported {rows}: {counts}.")
        elif dry_run:
            self.stdout.write(f"Dry run of {rows}, nothing saved: {counts}.")
        else:
            self.stdout.write(f"Nothing imported. Checked {rows}: {counts}.")
        if outcome.notes():
            self.stdout.write(outcome.notes())
        for p in outcome.problems:
            self.stdout.write(f"row {p.row}\t{p.column or '-'}\t{p.value or '-'}\t{p.reason}")
