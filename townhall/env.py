"""Typed reading of environment variables.

Any variable can instead be given as NAME_FILE, the path of a file holding the value, so
secrets can come from Docker/systemd credential files rather than the process environment.
"""

import os
from pathlib import Path

TRUE = {"1", "true", "yes", "on", "y", "t"}
FALSE = {"0", "false", "no", "off", "n", "f", ""}


def envstr(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is not None:
        return value
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise RuntimeError(
                f"{name}_FILE points to {path!r}, which cannot be read: {exc}"
            ) from exc
    return default


def envbool(name: str, default: bool = False) -> bool:
    value = envstr(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise RuntimeError(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = envstr(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise RuntimeError(f"{name} must be a whole number, not {value!r}") from exc


def envlist(name: str, default: list[str]) -> list[str]:
    value = envstr(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]
