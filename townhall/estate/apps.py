from django.apps import AppConfig


class EstateConfig(AppConfig):
    name = "townhall.estate"
    label = "estate"
    verbose_name = "Estate"

    def ready(self) -> None:
        from townhall.core import registry
        from townhall.estate import (
            imports,
            views,  # noqa: F401 - registers this app's records
        )
        from townhall.estate.spellings import SPELLINGS

        registry.register_spellings(self.label, SPELLINGS)
        imports.register()  # the estate's kinds of record for the spreadsheet importer
