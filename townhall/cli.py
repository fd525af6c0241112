"""The `townhall` command: Townhall's own commands plus every Django management command."""

import os
import sys

# `townhall check` runs Townhall's configuration checks (which include Django's).
ALIASES = {"check": "townhall_check"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townhall.settings")
    args = list(sys.argv if argv is None else ["townhall", *argv])
    if len(args) > 1 and args[1] in ALIASES:
        args[1] = ALIASES[args[1]]
    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:  # pragma: no cover - only without the virtualenv
        raise SystemExit("Django is not installed; run `make run` once to set up.") from exc
    try:
        execute_from_command_line(args)
    except RuntimeError as exc:  # configuration errors from settings
        raise SystemExit(f"townhall: {exc}") from exc


if __name__ == "__main__":
    main()
