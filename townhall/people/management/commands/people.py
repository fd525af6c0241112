"""`townhall people core-skills`: add the built-in NICE core set (work roles and
competency areas). `townhall people nice FILE`: import NIST's NICE Framework components
JSON release. `townhall people technology`: work out the technology skills from the estate.
Each as the system, through the write path (door `cli`), and says what it did."""

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from townhall.core import context
from townhall.people import nice, services


class Command(BaseCommand):
    help = (
        "People module: `core-skills` adds the built-in NICE core set, `nice FILE` imports "
        "NIST's NICE Framework JSON, `technology` works out technology skills from the estate."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("action", choices=["core-skills", "nice", "technology"])
        parser.add_argument("file", nargs="?", help="The NICE Framework JSON file (for `nice`).")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        with context.acting("cli"):
            if action == "core-skills":
                loaded = services.load_core_skills(context.SYSTEM)
                what = "NICE work roles and competency areas"
            elif action == "nice":
                if not options.get("file"):
                    raise CommandError("Name the NICE Framework JSON file.")
                path = Path(options["file"])
                if not path.is_file():
                    raise CommandError(f"No such file: {path}")
                try:
                    loaded = services.import_nice(context.SYSTEM, path.read_bytes())
                except nice.NiceError as e:
                    raise CommandError(f"Nothing was imported: {e}") from None
                what = "NICE work roles and competency areas"
            else:
                loaded = services.derive_technology(context.SYSTEM)
                what = "technology skills"
        self.stdout.write(loaded.text(what))
