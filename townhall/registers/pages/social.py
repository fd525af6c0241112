"""Social media accounts at risk: each account the reader may see with its flags, how many
carry each flag, and the accounts one person's leaving would lose or lock. A fixed number of
queries, whatever the number of accounts."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from townhall.registers import social, social_input
from townhall.registers.models import SocialAccount


@require_safe
def social_media(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    found = social.overview(
        social_input.accounts(request.user), social_input.government_domains(), today
    )
    return render(request, "registers/social.html", {"overview": found, "today": today})


def social_account_context(request: Any, obj: SocialAccount) -> dict[str, Any]:
    """An account's page: its flags and who would take it with them."""
    row = social_input.rows(request.user).filter(pk=obj.pk).first() or obj
    account = social_input.account(row)
    domains = social_input.government_domains()
    keys = social.flags(account, domains, timezone.localdate())
    leaving = social.if_one_left([account], domains)
    return {"social_flags": [social.LABELS[k] for k in keys], "social_leaving": leaving}
