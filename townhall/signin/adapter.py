"""Where allauth hands over: a verified sign-in becomes a Townhall session (or a refusal),
without allauth creating accounts or keeping rows of its own."""

from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.base.constants import AuthError
from django.http import HttpRequest
from requests import RequestException

from townhall.signin import providers
from townhall.signin.config import ROLES_FROM_TOWNHALL
from townhall.signin.graph import GroupsUnavailable
from townhall.signin.models import SignInRefusal
from townhall.signin.oidc import TokenRefused
from townhall.signin.pages.flow import complete, refused

Reason = SignInRefusal.Reason


class SignInAdapter(DefaultSocialAccountAdapter):
    def list_apps(
        self, request: HttpRequest, provider: Any = None, client_id: Any = None
    ) -> list[SocialApp]:
        """The settings' apps and, unsaved, those of OpenID Connect providers switched on
        on the Single sign-on page (never kept as allauth's own rows)."""
        apps = list(super().list_apps(request, provider=provider, client_id=client_id))
        for found in providers.page_oidc_apps(request):
            app = SocialApp(provider="openid_connect")
            for field in ("name", "provider_id", "client_id", "secret", "settings"):
                setattr(app, field, found[field])
            if client_id and app.client_id != client_id:
                continue
            if provider and provider not in (app.provider_id, app.provider):
                continue
            apps.append(app)
        return apps

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        """Always answers itself: signed in and sent on, or the refusal page."""
        app = sociallogin.account.get_provider().app
        claims = sociallogin.account.extra_data.get("id_token") or {}
        groups_claim = app.settings.get("groups_claim", "groups")
        next_url = str((sociallogin.state or {}).get("next") or "")
        raise ImmediateHttpResponse(
            complete(
                request,
                app.provider_id,
                app.name,
                claims,
                groups_claim,
                next_url,
                roles_from_groups=app.settings.get("roles") != ROLES_FROM_TOWNHALL,
            )
        )

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: Any = None,
        extra_context: Any = None,
    ) -> None:
        name = provider.app.name
        if isinstance(exception, GroupsUnavailable):
            raise ImmediateHttpResponse(
                refused(
                    request,
                    provider.app.provider_id,
                    exception.reason,
                    exception.message,
                    claims=exception.claims,
                )
            )
        if isinstance(exception, TokenRefused):
            reason = exception.reason
            message = (
                f"{name} answered, but its answer could not be trusted: {exception.detail}. "
                "Nothing was signed in. Try again; if this keeps happening, tell your "
                "Townhall administrator."
            )
        elif exception is None and error == AuthError.CANCELLED:
            reason = Reason.CANCELLED
            message = f"The sign-in was cancelled at {name}. Nothing was signed in."
        elif exception is None and not (extra_context or {}).get("state"):
            reason = Reason.STATE
            message = (
                "This sign-in was not started in this browser, was already used, or took too "
                "long. Start again from the sign-in page."
            )
        else:
            reason = Reason.PROVIDER
            what = (
                "could not be reached"
                if isinstance(exception, RequestException)
                else ("answered with an error")
            )
            message = (
                f"{name} {what}, so nobody was signed in. Try again in a moment; if this "
                "keeps happening, tell your Townhall administrator."
            )
        raise ImmediateHttpResponse(refused(request, provider.app.provider_id, reason, message))
