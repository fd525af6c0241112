from typing import Any

from django import template
from django.conf import settings

from townhall.signin.pages.flow import providers

register = template.Library()


@register.inclusion_tag("signin/_buttons.html", takes_context=True)
def sign_in_buttons(context: Any, next_url: str = "", where: str = "after") -> dict[str, Any]:
    """One "Sign in with <name>" button per provider on the sign-in page (none configured:
    nothing, and the page is as it always was). They follow the password form, or come
    first when password sign-in is off and the form is left to the break-glass account."""
    password = settings.TOWNHALL_PASSWORD_SIGN_IN
    shown = (where == "after") == password
    return {
        "providers": providers(context.get("request")) if shown else [],
        "next": next_url,
        "password_sign_in": password,
    }
