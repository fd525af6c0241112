from django.apps import AppConfig


class SigninConfig(AppConfig):
    name = "townhall.signin"
    label = "signin"
    verbose_name = "Single sign-on"
