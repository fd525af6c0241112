"""Sign in (throttled), sign out, password change, and the administrators' user pages."""

import json
import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from rest_framework import serializers

from townhall.accounts import filters, forms, mfa, passkeys, sessions, tables, throttle, tokens
from townhall.accounts.models import (
    ApiToken,
    AuthenticatorApp,
    Passkey,
    SignedInSession,
    SignInEvent,
    User,
)
from townhall.core import permissions, services
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
        username = self.request.POST.get("username", "")
        if username:
            throttle.record_failure(self.attempt())
            mfa.record_event(
                self.request, SignInEvent.Kind.PASSWORD_FAILED, username=username, method="password"
            )
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if mfa.has_app(user):
            # The password was right; the session is not signed in until the code is.
            self.request.session[PENDING] = {
                "user": user.pk,
                "backend": user.backend,
                "at": time.time(),
                "next": self.get_success_url(),
            }
            return redirect("accounts:sign_in_code")
        attempt = throttle.Attempt.of(self.request, user.username)
        throttle.record_success(attempt)
        setattr(self.request, mfa.SIGN_IN_NOTE, (SignInEvent.Kind.SIGNED_IN, "password"))
        response = super().form_valid(form)
        if mfa.required_for(user):
            self.request.session[ENROL_FIRST] = True
            response = redirect("accounts:mfa")
        throttle.remember_browser(self.request, response, attempt.username)
        return response


PENDING = "townhall_mfa_pending"  # the session's note of a right password awaiting its code
PENDING_SECONDS = 300
ENROL_FIRST = "townhall_mfa_enrol_first"  # signed in, but must set up an app first
NEW_SECRET = "townhall_mfa_new_secret"  # noqa: S105 - the session key's name, not a secret


def _pending_user(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    return (user, pending) if user is not None else None


@login_not_required
def sign_in_code(request: HttpRequest) -> HttpResponse:
    """The second step of signing in with a password: a code from the authenticator app or
    a recovery code. Wrong codes count in the sign-in throttle like wrong passwords."""
    found = _pending_user(request)
    if found is None:
        request.session.pop(PENDING, None)
        messages.info(request, "Sign in again: the code must follow the password within 5 minutes.")
        return redirect(settings.LOGIN_URL)
    user, pending = found
    form = forms.CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        attempt = throttle.Attempt.of(request, user.username)
        reason = throttle.refusal(attempt)
        if reason:
            form.is_valid()
            form.errors.clear()
            form.add_error(None, reason)
            status = 429
        elif form.is_valid():
            how = mfa.check_second_step(user, form.cleaned_data["code"])
            if how is not None:
                return _finish_sign_in(request, user, pending, how, attempt)
            throttle.record_failure(attempt)
            mfa.record_event(request, SignInEvent.Kind.CODE_FAILED, user=user, method="code")
            if mfa.app_unreadable(user):
                form.add_error(
                    "code",
                    "Townhall can no longer check your authenticator app's codes (its server "
                    "key was changed). Use one of your recovery codes, or ask an administrator "
                    "to reset your two-step sign-in, then set up your app again.",
                )
            else:
                form.add_error(
                    "code", "That code is not right, or was used already. Try the newest code."
                )
            status = 400
        else:
            status = 400
    has_passkey = Passkey.objects.filter(owner=user).exists()
    response = render(
        request,
        "accounts/sign_in_code.html",
        {"form": form, "has_passkey": has_passkey},
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response


def _finish_sign_in(
    request: HttpRequest,
    user: User,
    pending: dict[str, Any],
    how: str,
    attempt: throttle.Attempt,
    answer: Any = redirect,
) -> HttpResponse:
    """Sign the person in once the second step passed; `answer(target)` makes the response
    (a redirect for the form, JSON for the passkey's script)."""
    request.session.pop(PENDING, None)
    notes = {
        "recovery code": (SignInEvent.Kind.RECOVERY_CODE, "password and recovery code"),
        "passkey": (SignInEvent.Kind.SIGNED_IN, "password and passkey"),
    }
    note = notes.get(how, (SignInEvent.Kind.SIGNED_IN, "password and code"))
    setattr(request, mfa.SIGN_IN_NOTE, note)
    login(request, user, backend=pending.get("backend"))
    throttle.record_success(attempt)
    if how == "recovery code":
        left = mfa.codes_left(user)
        messages.warning(
            request,
            f"You used a recovery code; {left} left. Make new ones on your account page "
            "if you are running out, and set up your authenticator app again if you lost it.",
        )
    target = pending.get("next") or resolve_url(settings.LOGIN_REDIRECT_URL)
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = resolve_url(settings.LOGIN_REDIRECT_URL)
    response: HttpResponse = answer(target)
    throttle.remember_browser(request, response, attempt.username)
    return response


def _json_body(request: HttpRequest) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


def _refused(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"detail": message}, status=status)


@login_not_required
@require_POST
def sign_in_passkey_options(request: HttpRequest) -> HttpResponse:
    """The challenge for a passkey at the second step (after a right password only)."""
    found = _pending_user(request)
    if found is None:
        return _refused("Sign in again: the second step must follow the password.", 403)
    user, _ = found
    if not Passkey.objects.filter(owner=user).exists():
        return _refused("You have no passkey here. Use your code instead.")
    return HttpResponse(
        passkeys.authentication_options(request, user), content_type="application/json"
    )


@login_not_required
@require_POST
def sign_in_passkey(request: HttpRequest) -> HttpResponse:
    """The second step with a passkey: counted in the throttle like a wrong code."""
    found = _pending_user(request)
    if found is None:
        return _refused("Sign in again: the second step must follow the password.", 403)
    user, pending = found
    attempt = throttle.Attempt.of(request, user.username)
    reason = throttle.refusal(attempt)
    if reason:
        return _refused(reason, 429)
    try:
        passkeys.check(request, user, _json_body(request).get("credential"))
    except passkeys.Refused as refused:
        throttle.record_failure(attempt)
        mfa.record_event(request, SignInEvent.Kind.CODE_FAILED, user=user, method="passkey")
        return _refused(str(refused))
    return _finish_sign_in(
        request,
        user,
        pending,
        "passkey",
        attempt,
        answer=lambda target: JsonResponse({"redirect": target}),
    )


@require_POST
def passkey_options(request: SignedInRequest) -> HttpResponse:
    """The challenge for adding a passkey (once the authenticator app is set up)."""
    if not mfa.has_app(request.user):
        return _refused("Set up your authenticator app first; passkeys come beside it.")
    return HttpResponse(
        passkeys.registration_options(request, request.user), content_type="application/json"
    )


@require_POST
def passkey_add(request: SignedInRequest) -> HttpResponse:
    if not mfa.has_app(request.user):
        return _refused("Set up your authenticator app first; passkeys come beside it.")
    body = _json_body(request)
    name = body.get("name") if isinstance(body.get("name"), str) else ""
    try:
        key = passkeys.add(request, request.user, body.get("credential"), name or "")
    except passkeys.Refused as refused:
        return _refused(str(refused))
    except ValidationError as exc:
        return _refused(" ".join(exc.messages))
    messages.success(request, f"The passkey “{key.name}” was added.")
    return JsonResponse({"redirect": reverse("accounts:mfa")})


@require_POST
def passkey_remove(request: SignedInRequest, pk: int) -> HttpResponse:
    """Remove a passkey: one's own, or (administrators) anyone's."""
    key = get_object_or_404(
        permissions.restrict(Passkey.objects.all(), request.user, "delete"), pk=pk
    )
    services.delete(request.user, key)
    messages.success(request, f"The passkey “{key.name}” was removed.")
    if key.owner_id == request.user.pk:
        return redirect("accounts:mfa")
    return redirect("accounts:user_detail", pk=key.owner_id)


def _mfa_page(request: SignedInRequest, status: int = 200, **extra: Any) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = {"person": user, "required": mfa.required_for(user), **extra}
    app = AuthenticatorApp.objects.filter(owner=user).first()
    context["app"] = app
    if app is None:
        secret = request.session.get(NEW_SECRET)
        if not isinstance(secret, str):
            secret = mfa.new_secret()
            request.session[NEW_SECRET] = secret
        context["secret"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        context["qr_svg"] = mark_safe(mfa.qr_svg(mfa.enrolment_uri(user, secret)))  # noqa: S308 - drawn by segno from our own text
        context.setdefault("enrol_form", forms.EnrolForm())
    else:
        context["codes_left"] = mfa.codes_left(user)
        context["passkeys"] = list(Passkey.objects.filter(owner=user))
        context.setdefault("codes_form", forms.PasswordAgainForm(prefix="codes"))
        context.setdefault("off_form", forms.PasswordAgainForm(prefix="off"))
    response = render(request, "accounts/mfa.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _show_codes(request: SignedInRequest, codes: list[str], heading: str) -> HttpResponse:
    response = render(request, "accounts/mfa_codes.html", {"codes": codes, "heading": heading})
    response["Cache-Control"] = "no-store"
    return response


def two_step(request: SignedInRequest) -> HttpResponse:
    """Two-step sign-in on one's own account: set up an authenticator app (a QR code and
    the secret as text, confirmed by a first code), see how many recovery codes are left."""
    if request.method != "POST":
        return _mfa_page(request)
    if AuthenticatorApp.objects.filter(owner=request.user).exists():
        return redirect("accounts:mfa")
    secret = request.session.get(NEW_SECRET)
    form = forms.EnrolForm(request.POST)
    if not isinstance(secret, str) or not form.is_valid():
        return _mfa_page(request, 400, enrol_form=form)
    codes = mfa.enrol(request.user, secret, form.cleaned_data["code"])
    if codes is None:
        form.add_error(
            "code",
            "That code does not match. Check that the app shows a code for Townhall and "
            "that your phone's clock is right, then enter the newest code.",
        )
        return _mfa_page(request, 400, enrol_form=form)
    request.session.pop(NEW_SECRET, None)
    request.session.pop(ENROL_FIRST, None)
    return _show_codes(request, codes, "Two-step sign-in is on")


def _password_again(request: SignedInRequest, prefix: str) -> tuple[Any, bool]:
    """The form, and whether the password in it is right; a wrong one counts in the
    throttle like a wrong password at sign-in."""
    form = forms.PasswordAgainForm(request.POST, prefix=prefix)
    attempt = throttle.Attempt.of(request, request.user.username)
    reason = throttle.refusal(attempt)
    if reason:
        form.is_valid()
        form.add_error(None, reason)
        return form, False
    if not form.is_valid():
        return form, False
    if not request.user.check_password(form.cleaned_data["password"]):
        throttle.record_failure(attempt)
        form.add_error("password", "That is not your password.")
        return form, False
    return form, True


@require_POST
def regenerate_codes(request: SignedInRequest) -> HttpResponse:
    """Ten new recovery codes, the old ones no longer working (password re-entered)."""
    if not AuthenticatorApp.objects.filter(owner=request.user).exists():
        return redirect("accounts:mfa")
    form, ok = _password_again(request, "codes")
    if not ok:
        return _mfa_page(request, 400, codes_form=form)
    return _show_codes(request, mfa.regenerate_codes(request.user), "Your new recovery codes")


@require_POST
def turn_off(request: SignedInRequest) -> HttpResponse:
    """Remove one's authenticator app and recovery codes (password re-entered)."""
    form, ok = _password_again(request, "off")
    if not ok:
        return _mfa_page(request, 400, off_form=form)
    if mfa.required_for(request.user):
        form.add_error(
            None,
            "Your role must use two-step sign-in, so it cannot be turned off. To move to a "
            "new phone, ask an administrator to reset it, then set it up again.",
        )
        return _mfa_page(request, 400, off_form=form)
    mfa.remove(request.user, request.user)
    messages.success(request, "Two-step sign-in is off; your recovery codes no longer work.")
    return redirect("accounts:mfa")


@require_POST
def reset_two_step(request: SignedInRequest, pk: int) -> HttpResponse:
    """An administrator removes a person's authenticator app (a lost phone): they sign in
    with their password alone, and set up a new app next time if their role requires it."""
    if not permissions.is_admin(request.user):
        raise PermissionDenied("Only administrators reset two-step sign-in.")
    person = get_object_or_404(User.objects.restrict(request.user, "view"), pk=pk)
    if mfa.remove(request.user, person):
        messages.success(request, f"{person.username}: two-step sign-in was reset.")
    else:
        messages.info(request, f"{person.username} had not set up two-step sign-in.")
    return redirect("accounts:user_detail", pk=person.pk)


def mfa_roles(request: SignedInRequest) -> HttpResponse:
    """Administrators choose the roles that must use two-step sign-in."""
    if not permissions.is_admin(request.user):
        raise PermissionDenied("Only administrators choose who must use two-step sign-in.")
    if request.method != "POST":
        return redirect("accounts:session_policy")
    form = forms.MfaRolesForm(request.POST)
    if form.is_valid():
        try:
            mfa.require_for_roles(request.user, form.cleaned_data["mfa_roles"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "The roles that must use two-step sign-in were saved.")
            return redirect("accounts:session_policy")
    return _policy_page(request, mfa_form=form, status=400)


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
        # Django's form has checked the old password; the write path sets the new one,
        # applies the policy again and records that it changed (never the hash).
        try:
            user = services.set_own_password(form.user, form.cleaned_data["new_password1"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("new_password2", message)
            return self.form_invalid(form)
        keep_signed_in(self.request, user)
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
    return {
        **_access_context(request, user),  # type: ignore[arg-type]
        "two_step": AuthenticatorApp.objects.filter(owner=user).first(),
    }


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
    return _policy_page(request, form=form, status=status)


def _policy_page(
    request: SignedInRequest,
    *,
    form: Any = None,
    mfa_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    current = sessions.policy()
    return render(
        request,
        "accounts/session_policy.html",
        {
            "form": form if form is not None else forms.SessionPolicyForm(instance=current),
            "mfa_form": mfa_form
            if mfa_form is not None
            else forms.MfaRolesForm(initial={"mfa_roles": current.mfa_roles}),
            "saved": current.pk is not None and not current._state.adding,
        },
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
