from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "townhall.accounts"
    label = "accounts"

    def ready(self) -> None:
        from townhall.accounts import views  # noqa: F401 - registers this app's records
