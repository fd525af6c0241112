"""Two-step sign-in from the command line, for when no administrator can sign in (the
last one lost their phone and their recovery codes):

townhall two_step status --username U
townhall two_step reset --username U
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from townhall.accounts import mfa
from townhall.accounts.models import Passkey, User
from townhall.core import context


class Command(BaseCommand):
    help = "Say whether a person uses two-step sign-in, or reset it (audited, by system)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["status", "reset"])
        parser.add_argument("--username", required=True)

    def handle(self, *args: Any, action: str, username: str, **options: Any) -> None:
        with context.acting("cli"):
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"No user named {username!r}.")
            if action == "status":
                if not mfa.has_app(user):
                    self.stdout.write(f"{username}: two-step sign-in is not set up.")
                    return
                keys = Passkey.objects.filter(owner=user).count()
                self.stdout.write(
                    f"{username}: two-step sign-in is on; {mfa.codes_left(user)} recovery "
                    f"codes left; {keys} passkey{'s' if keys != 1 else ''}."
                )
                return
            if mfa.remove(context.SYSTEM, user):
                self.stdout.write(f"{username}: two-step sign-in was reset.")
            else:
                self.stdout.write(f"{username} had not set up two-step sign-in.")
