"""API tokens: `townhall token create --username U` prints a new one (replacing the old)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from townhall.accounts import services
from townhall.accounts.models import User


class Command(BaseCommand):
    help = "Create (or replace) a user's API token and print it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["create"])
        parser.add_argument("--username", required=True)

    def handle(self, *args: Any, action: str, username: str, **options: Any) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        self.stdout.write(services.token_for(user))
