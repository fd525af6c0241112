"""`townhall frameworks …`: control frameworks from the command line.

    townhall frameworks import FILE [--key K --name N --version V]
    townhall frameworks builtin
    townhall frameworks list

`import` reads an OSCAL catalog (JSON), such as NIST's CSF 2.0 or SP 800-53, and creates
that framework version or brings it up to date: requirements are matched by identifier, so
scores stay; requirements the file no longer has are marked withdrawn. `builtin` loads NIST
CSF 2.0, CISA's performance goals and the mapping between them (safe to run again). A file
that cannot be imported stops with the reason and a non-zero exit code; nothing is saved.
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q

from townhall.core import context
from townhall.cyber import frameworks, oscal
from townhall.cyber.models import Framework


class Command(BaseCommand):
    help = "Import OSCAL catalogs, load the built-in frameworks, or list frameworks."

    def add_arguments(self, parser: Any) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = actions.add_parser("import", help="Import an OSCAL catalog (JSON).")
        load.add_argument("file", help="The catalog, such as NIST_CSF_v2.0_catalog.json.")
        load.add_argument("--key", help="Short key of the framework, such as “csf”.")
        load.add_argument("--name", help="Name to show, such as “NIST Cybersecurity Framework”.")
        load.add_argument(
            "--version", dest="release", help="Version of the framework, such as “2.0”."
        )
        actions.add_parser("builtin", help="Load NIST CSF 2.0, CISA's CPGs and their mapping.")
        actions.add_parser("list", help="List the frameworks and their requirements.")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            with context.acting("cli"):
                getattr(self, f"do_{action}")(**options)
        except PermissionDenied as exc:  # pragma: no cover - the system actor may do all
            raise CommandError(str(exc)) from exc

    def do_import(
        self, file: str, key: str | None, name: str | None, release: str | None, **_: Any
    ) -> None:
        path = Path(file)
        try:
            report = frameworks.import_catalog(
                context.SYSTEM, path, key=key, name=name, release=release
            )
        except oscal.OscalError as exc:
            raise CommandError(f"{path.name}: {exc} Nothing was imported.") from exc
        self.stdout.write(report.summary())
        if report.missing:
            shown = ", ".join(report.missing[:20])
            more = f" and {len(report.missing) - 20} more" if len(report.missing) > 20 else ""
            self.stdout.write(f"No longer in the file, kept as withdrawn: {shown}{more}.")

    def do_builtin(self, **_: Any) -> None:
        try:
            catalogs, mappings = frameworks.load_builtin_reports(context.SYSTEM)
        except oscal.OscalError as exc:  # pragma: no cover - the shipped files are tested
            raise CommandError(f"The built-in frameworks could not be loaded: {exc}") from exc
        reports: list[frameworks.ImportReport | frameworks.MappingReport] = [*catalogs, *mappings]
        for report in reports:
            self.stdout.write(report.summary())

    def do_list(self, **_: Any) -> None:
        rows = Framework.objects.annotate(
            scored=Count(
                "requirements",
                filter=Q(requirements__assessable=True, requirements__withdrawn=False),
            ),
            gone=Count("requirements", filter=Q(requirements__withdrawn=True)),
        ).order_by("name", "release")
        if not rows:
            self.stdout.write("No frameworks yet. Run `townhall frameworks builtin` to load some.")
            return
        for fw in rows:
            text = "official text" if fw.official_text else "summaries in our own words"
            self.stdout.write(
                f"{fw.key}\t{fw.release}\t{fw.name}\t{fw.scored} scored requirements"
                f"\t{fw.gone} withdrawn\t{text}"
            )
