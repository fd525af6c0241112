"""`townhall portfolio solve FILE.json`: choose what to fund, and when, from a JSON file.

The file format and the printed plan are documented in docs/portfolio-format.md. A file
that cannot be read or is not a valid problem stops with the reason (and a non-zero exit
code); a valid problem that no plan can satisfy prints the plan with its conflicts.
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from townhall.governance import optimizer


class Command(BaseCommand):
    help = "Portfolio optimizer: `solve FILE.json` prints the best plan as JSON."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["solve", "frontier"])
        parser.add_argument("file", help="The problem as JSON (see docs/portfolio-format.md).")
        parser.add_argument(
            "--time-limit",
            type=float,
            default=30.0,
            help="Seconds the solver may use (per budget level for frontier; default 30).",
        )
        parser.add_argument(
            "--gap",
            type=float,
            default=1e-4,
            help="Stop once the plan is proven within this relative gap (default 0.0001).",
        )

    def handle(self, *args: Any, action: str, file: str, **options: Any) -> None:
        time_limit, gap = options["time_limit"], options["gap"]
        if time_limit <= 0 or not 0 <= gap < 1:
            raise CommandError("--time-limit must be positive and --gap between 0 and 1.")
        problem = self.read(Path(file))
        if action == "solve":
            result: Any = optimizer.solve(problem, time_limit=time_limit, mip_rel_gap=gap).to_dict()
        else:
            result = [
                point._asdict()
                for point in optimizer.frontier(problem, time_limit=time_limit, mip_rel_gap=gap)
            ]
        self.stdout.write(json.dumps(result, indent=2))

    def read(self, path: Path) -> optimizer.Problem:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path} is not UTF-8 text: {exc.reason}") from exc
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"{path} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
            ) from exc
        try:
            return optimizer.problem_from_dict(data)
        except optimizer.ProblemError as exc:
            raise CommandError(f"{path}: {exc}") from exc
