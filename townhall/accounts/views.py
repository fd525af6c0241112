"""Sign in (throttled), sign out, password change, and the administrators' user pages."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from rest_framework import serializers

from townhall.accounts import filters, forms, services, tables, throttle
from townhall.accounts.models import User
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
        messages.success(self.request, "Your password was changed.")
        return super().form_valid(form)


class UserSerializer(ModelSerializer):
    password = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        style={"input_type": "password"},
        help_text="Required for a new account; on a change, blank or left out keeps the "
        "current one. Checked against the password policy; setting it revokes the API token.",
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


class UserEditPage(core_views.EditPage):
    """Editing one's own password keeps one signed in (Django ends every other session)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        response = super().post(request, pk)
        if response.status_code == 302 and request.user.pk == pk:
            request.user.refresh_from_db()
            update_session_auth_hash(request, request.user)
        return response


def user_context(request: HttpRequest, user: User) -> dict[str, Any]:
    return {"token": services.token_of(user)}


def account(request: SignedInRequest) -> HttpResponse:
    """The signed-in person's own account: role, password, API token."""
    return render(
        request,
        "accounts/account.html",
        {"person": request.user, "token": services.token_of(request.user)},
    )


@require_POST
def revoke_token(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    """Stop an API token working: one's own, or (administrators) anyone's."""
    if pk is None or pk == request.user.pk:
        person = request.user
        back = redirect("accounts:account")
    else:
        if not permissions.is_admin(request.user):
            raise PermissionDenied("Only administrators revoke other people's tokens.")
        person = get_object_or_404(User.objects.restrict(request.user, "view"), pk=pk)
        back = redirect(person.get_absolute_url())
    if services.revoke_token(person):
        whose = "Your" if person == request.user else f"{person.username}’s"
        messages.success(request, f"{whose} API token was revoked; it no longer works.")
    else:
        messages.info(request, "There was no API token to revoke.")
    return back


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
