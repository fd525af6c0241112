"""Create a person who can sign in, with a role and (for liaisons) a department."""

import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from townhall.accounts import services
from townhall.accounts.models import Role
from townhall.core import context


class Command(BaseCommand):
    help = "Create a user. The password is read from standard input."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--department", help="Department code (required for liaisons).")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            required=True,
            help="Read the password from the first line of standard input.",
        )

    def handle(self, *args: Any, **o: Any) -> None:
        password = sys.stdin.readline().rstrip("\n")
        if not password:
            raise CommandError("No password on standard input.")
        try:
            with context.acting("cli"):
                user = services.create_user(
                    context.SYSTEM,
                    username=o["username"],
                    role=o["role"],
                    password=password,
                    department_code=o["department"],
                    email=o["email"],
                )
        except (ValueError, ValidationError) as exc:
            msgs = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError(" ".join(msgs)) from exc
        self.stdout.write(f"Created {user.username} ({user.get_role_display()}).")
