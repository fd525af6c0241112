"""API tokens: `townhall token create --username U` prints a new one (replacing the old);
`townhall token revoke --username U` stops U's token working."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from townhall.accounts import services
from townhall.accounts.models import User


class Command(BaseCommand):
    help = "Create (or replace) a user's API token and print it, or revoke it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["create", "revoke"])
        parser.add_argument("--username", required=True)

    def handle(self, *args: Any, action: str, username: str, **options: Any) -> None:
        if action == "revoke":
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"No user named {username!r}.")
            if services.revoke_token(user):
                self.stdout.write(f"Revoked {username}'s API token.")
            else:
                self.stdout.write(f"{username} had no API token.")
            return
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        self.stdout.write(services.token_for(user))
