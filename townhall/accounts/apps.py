from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "townhall.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from townhall.accounts import (
            mfa,
            sessions,
            views,  # noqa: F401 - registers this app's records
        )

        user_logged_in.connect(sessions.on_sign_in, dispatch_uid="townhall-session-record")
        user_logged_in.connect(mfa.on_sign_in, dispatch_uid="townhall-sign-in-event")
        user_logged_out.connect(sessions.on_sign_out, dispatch_uid="townhall-session-ended")
