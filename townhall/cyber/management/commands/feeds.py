"""`townhall feeds …`: the public feeds behind the exposure pages.

    townhall feeds import-kev FILE                 # CISA Known Exploited Vulnerabilities JSON
    townhall feeds import-eol FILE [--product KEY] # endoflife.date release data
    townhall feeds import-cve FILE                 # CVE JSON 5 records: .json, bundle or .zip
    townhall feeds update                          # download both, when the network allows
    townhall feeds match                           # match the estate again

Each import prints its counts and what in the file could not be used, then matches the
estate again. A file that cannot be read stops with the reason and a non-zero exit code, and
changes nothing.
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from townhall.core import context
from townhall.cyber import exposure
from townhall.cyber.kev import FeedError


class Command(BaseCommand):
    help = "Import the KEV catalog or endoflife.date data, download both, or match again."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        kev = sub.add_parser("import-kev", help="Import a Known Exploited Vulnerabilities file.")
        kev.add_argument("file", help="The catalog as JSON, as CISA publishes it.")
        eol = sub.add_parser("import-eol", help="Import endoflife.date release data.")
        eol.add_argument("file", help="The product's release cycles as JSON.")
        eol.add_argument(
            "--product",
            help="The endoflife.date product key (such as windows-server) for a file that "
            "does not name it.",
        )
        records = sub.add_parser(
            "import-cve", help="Import CVE JSON 5 records (affected versions)."
        )
        records.add_argument("file", help="A record, a JSON array of records, or a .zip of them.")
        sub.add_parser("update", help="Download both feeds from their official addresses.")
        sub.add_parser("match", help="Match the estate against the imported feeds again.")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        with context.acting("cli"):
            try:
                if action == "import-kev":
                    path = Path(options["file"])
                    report = exposure.import_kev(context.SYSTEM, self.read(path), path.name)
                    self.print_import(report)
                elif action == "import-eol":
                    path = Path(options["file"])
                    report = exposure.import_eol(
                        context.SYSTEM, self.read(path), options.get("product"), path.name
                    )
                    self.print_import(report)
                elif action == "import-cve":
                    path = Path(options["file"])
                    report = exposure.import_cve(context.SYSTEM, self.read(path), path.name)
                    self.print_import(report)
                elif action == "update":
                    self.update()
                    return
                self.print_lines(exposure.refresh_exposures(context.SYSTEM).lines())
            except FeedError as exc:
                raise CommandError(f"{options.get('file', '')}: {exc}".lstrip(": ")) from None
            except PermissionDenied as exc:  # pragma: no cover - the system actor may
                raise CommandError(str(exc)) from None

    def read(self, path: Path) -> bytes:
        try:
            return path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None

    def print_import(self, report: exposure.ImportReport) -> None:
        self.print_lines(report.lines())

    def print_lines(self, lines: list[str]) -> None:
        for line in lines:
            self.stdout.write(line)

    def update(self) -> None:
        report = exposure.update_feeds(context.SYSTEM)
        for imported in report.imports:
            self.print_import(imported)
        if report.refresh:
            self.print_lines(report.refresh.lines())
        for failure in report.failures:
            self.stderr.write(failure)
        if not report.imports:
            raise CommandError("Nothing was downloaded; the feeds are as they were.")
