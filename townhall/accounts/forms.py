import datetime
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone

from townhall.accounts import tokens
from townhall.accounts.models import ApiToken, Role, SessionPolicy, User
from townhall.core.forms import RecordForm, style_fields
from townhall.signin import policy


class SignInForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        # No autofocus: the skip link must stay the first thing Tab reaches.
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].widget.attrs.update(
            {"class": "usa-input", "autocomplete": "username"}
        )
        self.fields["password"].widget.attrs.update(
            {"class": "usa-input", "autocomplete": "current-password"}
        )

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if not policy.password_allowed(user):
            raise forms.ValidationError(policy.PASSWORD_OFF, code="password_off")


class UserForm(RecordForm):
    password = forms.CharField(
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        required=False,
        help_text="Required for a new account. Leave blank to keep the current password.",
    )

    class Meta:
        model = User
        fields = [
            "username",
            "first_name",
            "last_name",
            "email",
            "role",
            "department",
            "is_active",
            "password",
        ]

    def clean_password(self) -> str:
        """The password policy itself is checked on the write path, for every door."""
        password = self.cleaned_data.get("password", "")
        if not password and self.instance.pk is None:
            raise forms.ValidationError("Set a password for the new account.")
        return password


def _default_expiry() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=tokens.DEFAULT_DAYS)


class TokenForm(forms.Form):
    """A new API token: what it is for, what it may do, and until when."""

    name = forms.CharField(
        max_length=100,
        help_text="What the token is for, so you recognise it later "
        "(for example “Nightly inventory sync”).",
    )
    scope = forms.ChoiceField(
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        label="What it may do",
        help_text="A read-only token cannot change anything, whatever your role.",
    )
    expires_at = forms.DateField(
        label="Expires on",
        initial=_default_expiry,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=f"At the end of that day. At most {tokens.MAX_DAYS} days from today.",
    )

    def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        style_fields(self.fields.values())

    def clean_expires_at(self) -> datetime.datetime:
        day = self.cleaned_data["expires_at"]
        end = datetime.datetime.combine(day, datetime.time(23, 59, 59))
        moment = timezone.make_aware(end)
        try:
            tokens.check_expiry(moment)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["expires_at"]) from None
        return moment


class SignOutEverywhereForm(forms.Form):
    keep_tokens = forms.BooleanField(
        required=False,
        label="Keep the API tokens working",
        help_text="Left unticked, every API token is revoked too.",
    )


class SessionPolicyForm(forms.ModelForm):
    class Meta:
        model = SessionPolicy
        fields = ["idle_minutes", "absolute_hours"]

    def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        style_fields(self.fields.values())


class CodeForm(forms.Form):
    """The second step of signing in, or the first code that proves an app is set up."""

    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6 digits your authenticator app shows now, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        style_fields(self.fields.values())


class EnrolForm(CodeForm):
    def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = "The 6 digits your authenticator app shows for Townhall."
        self.fields["code"].widget.attrs["inputmode"] = "numeric"


class PasswordAgainForm(forms.Form):
    """Turning two-step sign-in off or making new recovery codes asks for the password
    again, so a browser left signed in is not enough."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        style_fields(self.fields.values())


class MfaRolesForm(forms.Form):
    mfa_roles = forms.MultipleChoiceField(
        label="Roles that must use two-step sign-in",
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="People of these roles who sign in with a password also enter a code from "
        "an authenticator app; anyone of them without one sets it up right after the "
        "password, before anything else. Single sign-on is not asked: the provider does it.",
    )

    def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        style_fields(self.fields.values())
