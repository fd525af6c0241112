from django.apps import AppConfig


class EstateConfig(AppConfig):
    name = "townhall.estate"
    label = "estate"
    verbose_name = "Estate"

    def ready(self) -> None:
        from townhall.estate import views  # noqa: F401 - registers this app's records
