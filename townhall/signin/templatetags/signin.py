from typing import Any

from django import template
from django.conf import settings

from townhall.signin.pages.flow import providers

register = template.Library()


@register.inclusion_tag("signin/_buttons.html")
def sign_in_buttons(next_url: str = "") -> dict[str, Any]:
    """One "Sign in with <name>" button per provider on the sign-in page (none configured:
    nothing, and the page is as it always was)."""
    return {
        "providers": providers(),
        "next": next_url,
        "password_sign_in": settings.TOWNHALL_PASSWORD_SIGN_IN,
    }
