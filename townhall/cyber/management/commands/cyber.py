"""`townhall cyber remind [--days N]`: print the evidence that has expired or expires within
N days (default 60), grouped by owner, so a scheduled job can mail each owner their list.

Owners are listed by name with their e-mail address when known; evidence without an owner
comes last under “No owner”. Each line gives the expiry date, how far off it is, the title,
the requirements it supports and the address of its page.
"""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from townhall.core import context
from townhall.cyber import services


class Command(BaseCommand):
    help = "Cyber module: `remind` lists expiring evidence per owner."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        remind = sub.add_parser("remind", help="List expired and expiring evidence per owner.")
        remind.add_argument(
            "--days",
            type=int,
            default=services.EXPIRY_WINDOW_DAYS,
            help=f"Look this many days ahead (default {services.EXPIRY_WINDOW_DAYS}).",
        )
        remind.add_argument("--today", help="Count from this date (YYYY-MM-DD) instead of today.")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "remind":
            self.remind(options["days"], options.get("today"))

    def remind(self, days: int, today_text: str | None) -> None:
        if not 1 <= days <= services.EXPIRY_WINDOW_MAX:
            raise CommandError(f"--days must be between 1 and {services.EXPIRY_WINDOW_MAX}.")
        today = None
        if today_text:
            try:
                today = datetime.date.fromisoformat(today_text)
            except ValueError as exc:
                raise CommandError(f"--today must be a date such as 2026-03-01: {exc}") from exc
        with context.acting("cli"):
            due = services.expiring_evidence(context.SYSTEM, within_days=days, today=today)
        today = due["today"]
        items = due["expired"] + due["expiring"]
        if not items:
            self.stdout.write(
                f"No evidence has expired or expires within {days} days (as of {today})."
            )
            return
        by_owner: dict[Any, list] = {}
        for e in items:
            by_owner.setdefault(e.owner, []).append(e)
        owners = sorted(
            by_owner, key=lambda p: (p is None, (p.name.casefold(), p.pk) if p else ("", 0))
        )
        self.stdout.write(
            f"Evidence expired or expiring within {days} days, as of {today}: "
            f"{len(due['expired'])} expired, {len(due['expiring'])} expiring."
        )
        for owner in owners:
            rows = by_owner[owner]
            name = "No owner" if owner is None else owner.name
            if owner is not None and owner.email:
                name += f" <{owner.email}>"
            self.stdout.write("")
            self.stdout.write(f"{name} ({len(rows)})")
            for e in rows:
                supports = ", ".join(r.identifier for r in e.requirements.all()) or "no requirement"
                self.stdout.write(
                    f"  {e.expires} ({services.expiry_text(e.expires, today)})  {e.title}  "
                    f"[{supports}]  {e.get_absolute_url()}"
                )
