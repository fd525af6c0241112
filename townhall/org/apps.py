from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "townhall.org"
    label = "org"

    def ready(self) -> None:
        from townhall.org import views  # noqa: F401 - registers this app's records
