from django.apps import AppConfig


class SigninConfig(AppConfig):
    name = "townhall.signin"
    label = "signin"
    verbose_name = "Single sign-on"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from townhall.signin.services import keep_break_glass_use

        user_logged_in.connect(keep_break_glass_use, dispatch_uid="townhall-break-glass")
