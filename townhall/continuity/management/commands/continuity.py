"""`townhall continuity analyze [--format text|json] [--top N]`: the continuity analysis of
the whole estate in the database (read as the system, so nothing is hidden), the same
answers the analysis page shows, for scripting and checking.

JSON (format 1; fields are only ever added). Hours are numbers rounded to 2 decimals or
null; an item reference is {"kind": "service"|"system"|"component", "id": int, "name": str};
a chain is a list of item references, from the item that needs to the item needed.

    format                 1
    counts                 {services, items, dependencies, hidden_dependencies}
    services               [ref + recovery_hours, at_least, rto_hours, rpo_hours,
                            mission_essential, chain], slowest first; at_least: true when
                            some restore time below it is unknown (a lower bound)
    rto_gaps               [ref + rto_hours, recovery_hours, gap_hours, at_least, chain],
                            largest gap first
    rto_unconfirmed        [ref]: RTO met only if the unknown restore times are short
    rto_inversions         [{dependant: ref, dependant_rto_hours, dependency: ref,
                            dependency_rto_hours, excess_hours, chain}], largest first
    rpo_gaps               [ref + rpo_target_hours, rpo_achievable_hours, gap_hours,
                            data_store: ref, chain], largest first
    tiers                  [{tier, count, items: [ref]}]: restore tier 0 first
    cycles                 [{members: [ref], restore_hours, at_least}], largest first
    single_points          [ref + count, stops: [ref]], most mission-essential items first
"""

import argparse
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from townhall.continuity import graph_input, report


class Command(BaseCommand):
    help = (
        "Continuity module: `analyze` prints effective recovery times, RTO and RPO gaps, "
        "RTO inversions, recovery tiers, cycles and single points of failure "
        "(--format json for scripts; the JSON fields are described in this command's source "
        "docstring)."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        analyze = sub.add_parser(
            "analyze",
            help="Analyse recovery of the whole estate.",
            description=__doc__,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        analyze.add_argument("--format", choices=["text", "json"], default="text")
        analyze.add_argument(
            "--top",
            type=int,
            default=20,
            help="How many single points of failure to list (default 20; 0 for all).",
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "analyze":
            self.analyze(options["format"], options["top"])

    def analyze(self, fmt: str, top: int) -> None:
        if top < 0:
            raise CommandError("--top must be 0 (all) or more.")
        estate = graph_input.analyze(None, single_points=top or None)
        data = report.as_data(estate)
        if fmt == "json":
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(report.as_text(data), ending="")
