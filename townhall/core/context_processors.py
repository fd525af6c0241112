"""What every page's header and navigation need."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from townhall.core import navigation


def townhall(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "jurisdiction_name": settings.JURISDICTION_NAME,
        "nav_sections": navigation.sections(user) if user and user.is_authenticated else [],
        "upload_max_mb": settings.UPLOAD_MAX_MB,
    }
