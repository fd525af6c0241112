from django.urls import path

from townhall.accounts import views
from townhall.core.registry import urls

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("sign-in/code/", views.sign_in_code, name="sign_in_code"),
    path("sign-in/passkey/options/", views.sign_in_passkey_options, name="sign_in_passkey_options"),
    path("sign-in/passkey/", views.sign_in_passkey, name="sign_in_passkey"),
    path("me/", views.account, name="account"),
    path("me/two-step/", views.two_step, name="mfa"),
    path("me/two-step/new-codes/", views.regenerate_codes, name="mfa_codes"),
    path("me/two-step/off/", views.turn_off, name="mfa_off"),
    path("me/passkeys/options/", views.passkey_options, name="passkey_options"),
    path("me/passkeys/add/", views.passkey_add, name="passkey_add"),
    path("passkeys/<int:pk>/remove/", views.passkey_remove, name="passkey_remove"),
    path("users/<int:pk>/two-step/reset/", views.reset_two_step, name="mfa_reset"),
    path("session-policy/two-step/", views.mfa_roles, name="mfa_roles"),
    path("me/tokens/add/", views.create_token, name="token_create"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="token_revoke"),
    path("sessions/<int:pk>/end/", views.end_session, name="session_end"),
    path("me/sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere_own"),
    path(
        "users/<int:pk>/sign-out-everywhere/",
        views.sign_out_everywhere,
        name="sign_out_everywhere",
    ),
    path("session-policy/", views.session_policy, name="session_policy"),
    # Before the generic pages: the same address, keeping one's session after a new password.
    path(
        "users/<int:pk>/edit/", views.UserEditPage.as_view(resource=views.USERS), name="user_edit"
    ),
    *urls(views.USERS),
]
