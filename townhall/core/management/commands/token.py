"""API tokens from the command line:

townhall token create --username U --name "Nightly sync" [--scope read|write] [--days N]
townhall token list --username U
townhall token revoke --username U [--name NAME | --prefix PREFIX | --all]
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from townhall.accounts import tokens
from townhall.accounts.models import ApiToken, User
from townhall.core import context


class Command(BaseCommand):
    help = "Make a user's API token and print it (once), list their tokens, or revoke them."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument("--username", required=True)
        parser.add_argument("--name", help="What the token is for (create), or which to revoke.")
        parser.add_argument(
            "--scope",
            choices=ApiToken.Scope.values,
            default=ApiToken.Scope.READ,
            help="read: read only (the default); write: read and write.",
        )
        parser.add_argument(
            "--days",
            type=int,
            default=tokens.DEFAULT_DAYS,
            help=f"Days until it expires ({tokens.DEFAULT_DAYS} by default, "
            f"at most {tokens.MAX_DAYS}).",
        )
        parser.add_argument("--prefix", help="Revoke the token whose secret starts with this.")
        parser.add_argument("--all", action="store_true", help="Revoke all the user's tokens.")

    def handle(self, *args: Any, action: str, username: str, **options: Any) -> None:
        with context.acting("cli"):
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"No user named {username!r}.")
            if action == "create":
                self.create(user, options)
            elif action == "list":
                self.list(user)
            else:
                self.revoke(user, options)

    def create(self, user: User, options: dict[str, Any]) -> None:
        name = (options.get("name") or "").strip()
        if not name:
            raise CommandError("Give the token a name saying what it is for: --name NAME.")
        days = options["days"]
        if not 1 <= days <= tokens.MAX_DAYS:
            raise CommandError(f"--days must be between 1 and {tokens.MAX_DAYS}.")
        try:
            _, secret = tokens.create(
                context.SYSTEM,
                user,
                name=name,
                scope=options["scope"],
                expires_at=timezone.now() + datetime.timedelta(days=days),
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(secret)

    def list(self, user: User) -> None:
        rows = ApiToken.objects.filter(owner=user).order_by("-created_at")
        if not rows:
            self.stdout.write(f"{user.username} has no API tokens.")
        now = timezone.now()
        for t in rows:
            used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
            self.stdout.write(
                f"{t.prefix}…  {t.name}  {t.get_scope_display()}  expires {t.expires_at:%Y-%m-%d}"
                f"  last used {used}  {t.state(now)}"
            )

    def revoke(self, user: User, options: dict[str, Any]) -> None:
        standing = ApiToken.objects.filter(owner=user, revoked_at__isnull=True)
        if options.get("all"):
            count = tokens.revoke_all(context.SYSTEM, user, "revoked from the command line")
            self.stdout.write(f"Revoked {count} of {user.username}'s API tokens.")
            return
        if options.get("prefix"):
            chosen = list(standing.filter(prefix__startswith=options["prefix"]))
        elif options.get("name"):
            chosen = list(standing.filter(name=options["name"]))
        else:
            raise CommandError("Say which token to revoke: --name, --prefix or --all.")
        if not chosen:
            self.stdout.write(f"{user.username} has no such API token in use.")
            return
        if len(chosen) > 1:
            raise CommandError(
                f"{len(chosen)} tokens match; use --prefix with one of "
                + ", ".join(t.prefix for t in chosen)
            )
        tokens.revoke(context.SYSTEM, chosen[0], "revoked from the command line")
        self.stdout.write(f"Revoked {user.username}'s API token {chosen[0]}.")
