from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "townhall.core"
    label = "core"
    verbose_name = "Platform"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from townhall.core.middleware import mark_seen

        # A session is written when someone signs in; it need not be again for a while.
        user_logged_in.connect(mark_seen, dispatch_uid="townhall-session-seen")
