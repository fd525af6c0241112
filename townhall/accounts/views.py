"""Sign in (throttled), sign out, password change, and the administrators' user pages."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from rest_framework import serializers

from townhall.accounts import filters, forms, sessions, tables, throttle, tokens
from townhall.accounts.models import ApiToken, SignedInSession, User
from townhall.core import permissions
from townhall.core import views as core_views
from townhall.core.api import ModelSerializer
from townhall.core.http import SignedInRequest
from townhall.core.registry import Resource, register


class SignInView(auth_views.LoginView):
    """Sign in, throttled by account and address together, by address and by a growing wait
    per account, never by locking the account itself (see throttle.py)."""

    template_name = "accounts/login.html"
    form_class = forms.SignInForm
    redirect_authenticated_user = True

    def attempt(self) -> throttle.Attempt:
        return throttle.Attempt.of(self.request, self.request.POST.get("username", ""))

    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        attempt = self.attempt()
        reason = throttle.refusal(attempt)
        if reason:
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, reason)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        if self.request.POST.get("username", ""):
            throttle.record_failure(self.attempt())
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def form_valid(self, form: Any) -> HttpResponse:
        attempt = throttle.Attempt.of(self.request, form.get_user().username)
        throttle.record_success(attempt)
        response = super().form_valid(form)
        throttle.remember_browser(self.request, response, attempt.username)
        return response


class SignOutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = "/"

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        for field in form.fields.values():
            field.widget.attrs["class"] = "usa-input"
            field.widget.attrs.pop("autofocus", None)  # keep the skip link first
        return form

    def form_valid(self, form: Any) -> HttpResponse:
        form.save()
        keep_signed_in(self.request, form.user)
        messages.success(self.request, "Your password was changed; your other sessions ended.")
        return redirect(self.get_success_url())


class UserSerializer(ModelSerializer):
    password = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        style={"input_type": "password"},
        help_text="Required for a new account; on a change, blank or left out keeps the "
        "current one. Checked against the password policy; setting it revokes the person's "
        "API tokens and ends their sessions.",
    )

    class Meta:
        model = User
        fields = ["id", *forms.UserForm.Meta.fields, "last_login"]
        read_only_fields = ["id", "last_login"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # The policy is applied again by the write path, with every other value in place.
        if self.instance is None and not attrs.get("password"):
            raise serializers.ValidationError({"password": ["Set a password for the new account."]})
        return attrs


def keep_signed_in(request: HttpRequest, user: User) -> None:
    """After one's own new password: every session ended (User.save) but this one."""
    update_session_auth_hash(request, user)
    sessions.start(request, user)


class UserEditPage(core_views.EditPage):
    """Editing one's own password keeps one signed in (every other session ends)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        response = super().post(request, pk)
        if response.status_code == 302 and request.user.pk == pk:
            assert isinstance(request.user, User)  # every page asks for sign-in
            password = request.user.password
            request.user.refresh_from_db()
            if request.user.password != password:
                keep_signed_in(request, request.user)
        return response


def _tokens_of(person: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(owner=person).order_by("revoked_at", "-created_at")[:100])


def _access_context(request: SignedInRequest, person: User) -> dict[str, Any]:
    """What the account page and an administrator's view of a person show: their tokens,
    their open sessions, and which of those is the one asking."""
    return {
        "tokens": _tokens_of(person),
        "sessions": list(sessions.active(person).order_by("-last_seen_at", "-id")[:100]),
        "current_session": sessions.current_record_id(request),
        "everywhere_form": forms.SignOutEverywhereForm(),
    }


def user_context(request: HttpRequest, user: User) -> dict[str, Any]:
    assert isinstance(request.user, User)  # every page asks for sign-in
    return _access_context(request, user)  # type: ignore[arg-type]


def account(request: SignedInRequest) -> HttpResponse:
    """The signed-in person's own account: role, password, API tokens, sessions."""
    return render(
        request,
        "accounts/account.html",
        {
            "person": request.user,
            "token_form": forms.TokenForm(),
            **_access_context(request, request.user),
        },
    )


@require_POST
def create_token(request: SignedInRequest) -> HttpResponse:
    """Make an API token for oneself and show its secret, once."""
    form = forms.TokenForm(request.POST)
    if form.is_valid():
        try:
            token, secret = tokens.create(
                request.user,
                request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_at=form.cleaned_data["expires_at"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            response = render(
                request, "accounts/token_created.html", {"token": token, "secret": secret}
            )
            response["Cache-Control"] = "no-store"
            return response
    response = render(
        request,
        "accounts/account.html",
        {
            "person": request.user,
            "token_form": form,
            **_access_context(request, request.user),
        },
    )
    response.status_code = 400
    return response


def _back_to(request: SignedInRequest, owner_id: int) -> HttpResponse:
    if owner_id == request.user.pk:
        return redirect("accounts:account")
    return redirect("accounts:user_detail", pk=owner_id)


@require_POST
def revoke_token(request: SignedInRequest, pk: int) -> HttpResponse:
    """Stop an API token working: one's own, or (administrators) anyone's."""
    token = get_object_or_404(
        permissions.restrict(ApiToken.objects.all(), request.user, "change"), pk=pk
    )
    if token.revoked_at:
        messages.info(request, f"The token “{token.name}” was already revoked.")
    else:
        tokens.revoke(request.user, token)
        messages.success(request, f"The token “{token.name}” was revoked; it no longer works.")
    return _back_to(request, token.owner_id)


@require_POST
def end_session(request: SignedInRequest, pk: int) -> HttpResponse:
    """End one signed-in session: one's own, or (administrators) anyone's."""
    record = get_object_or_404(
        permissions.restrict(SignedInSession.objects.all(), request.user, "change"), pk=pk
    )
    mine = record.pk == sessions.current_record_id(request)
    sessions.end(request.user, record, "ended by " + request.user.username)
    if mine:
        logout(request)
        messages.info(request, "You ended this session and are signed out.")
        return redirect(settings.LOGIN_URL)
    messages.success(request, "That session was ended; its browser is signed out.")
    return _back_to(request, record.owner_id)


@require_POST
def sign_out_everywhere(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    """End every session of a person, this one too when they are the one asking, and
    revoke their API tokens unless asked to keep them: what to do when an account may be
    in someone else's hands."""
    if pk is None or pk == request.user.pk:
        person = request.user
    else:
        if not permissions.is_admin(request.user):
            raise PermissionDenied("Only administrators end other people's sessions.")
        person = get_object_or_404(User.objects.restrict(request.user, "view"), pk=pk)
    form = forms.SignOutEverywhereForm(request.POST)
    keep_tokens = form.is_valid() and form.cleaned_data["keep_tokens"]
    reason = "signed out everywhere"
    ended = sessions.end_all(request.user, person, reason)
    revoked = 0 if keep_tokens else tokens.revoke_all(request.user, person, reason)
    parts = [f"{ended} session{'s' if ended != 1 else ''} ended"]
    parts.append(
        "API tokens kept"
        if keep_tokens
        else f"{revoked} API token{'s' if revoked != 1 else ''} revoked"
    )
    summary = "; ".join(parts) + "."
    if person == request.user:
        logout(request)
        messages.info(request, f"You signed out everywhere: {summary}")
        return redirect(settings.LOGIN_URL)
    messages.success(request, f"{person.username}: {summary}")
    return _back_to(request, person.pk)


def session_policy(request: SignedInRequest) -> HttpResponse:
    """How long sessions last: administrators set the idle and absolute limits."""
    if not permissions.is_admin(request.user):
        raise PermissionDenied("Only administrators set the session limits.")
    current = sessions.policy()
    form = forms.SessionPolicyForm(request.POST or None, instance=current)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                sessions.set_policy(
                    request.user,
                    idle_minutes=form.cleaned_data["idle_minutes"],
                    absolute_hours=form.cleaned_data["absolute_hours"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "The session limits were saved; they apply now.")
                return redirect("accounts:session_policy")
        status = 400
    return render(
        request,
        "accounts/session_policy.html",
        {"form": form, "saved": current.pk is not None and not current._state.adding},
        status=status,
    )


USERS = register(
    Resource(
        model=User,
        form=forms.UserForm,
        table=tables.UserTable,
        filterset=filters.UserFilterSet,
        search_fields=["username", "first_name", "last_name", "email"],
        bulk_fields=["role", "department"],
        serializer=UserSerializer,
        detail_template="accounts/user_detail.html",
        detail_context=user_context,
    )
)
