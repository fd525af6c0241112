from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from townhall.accounts.models import User
from townhall.core.forms import RecordForm
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
