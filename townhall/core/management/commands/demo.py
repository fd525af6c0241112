"""Load the fictional demo jurisdiction. Deterministic and safe to run again."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from townhall.core import context, dbstats, plugins


class Command(BaseCommand):
    help = "Load the demo jurisdiction (Juniper County, fictional)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--scale", choices=["small", "large"], default="small")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when any department already exists (used by `make run`).",
        )

    def handle(self, *args: Any, scale: str, seed: int, if_empty: bool, **options: Any) -> None:
        from townhall.org.models import Department

        if settings.PRODUCTION and not options.get("force"):
            raise CommandError("Refusing to load demo data with TOWNHALL_PRODUCTION on.")
        if if_empty and Department.objects.exists():
            self.stdout.write("Data already present; demo not loaded.")
            return
        with context.acting("cli"), transaction.atomic():
            # The platform's loaders and each module's (`plugins.register_demo`), in order.
            for path in plugins.demo_loaders():
                created = import_string(path)(scale=scale, seed=seed)
                self.stdout.write(f"{path.rsplit('.', 2)[0]}: {created} created")
        dbstats.refresh_statistics()  # the planner's picture of the tables just filled
        self.stdout.write(f"Demo jurisdiction loaded ({scale}, seed {seed}).")
