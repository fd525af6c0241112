"""Social media accounts for tests, made through the one write path."""

from typing import Any

from townhall.core import context, services
from townhall.registers.models import SocialAccount


def social(handle: str, department: Any = None, **values: Any) -> SocialAccount:
    data = {"platform": "facebook", "handle": handle, "owner_department": department, **values}
    with context.acting("system"):
        return services.create(context.SYSTEM, SocialAccount, data)
