from django.apps import AppConfig

# The module's section of the main menu (`core.plugins.Section`): its pages beyond its
# record lists, which the menu lists after them.
MENU: list[tuple] = [("Shadow IT", "shadowit:home")]


class ShadowItConfig(AppConfig):
    name = "townhall.shadowit"
    label = "shadowit"
    verbose_name = "Shadow IT"

    def ready(self) -> None:
        from townhall.core import plugins, registry
        from townhall.shadowit import imports, merchants, tasks, views  # noqa: F401
        from townhall.shadowit.spellings import SPELLINGS

        registry.register_spellings(self.label, SPELLINGS)  # "P-Card", "Azure AD"
        imports.register()  # purchases, sign-ins and domains, for the importer
        merchants.connect()  # the merchants are worked out again after purchases change
        plugins.register_menu(plugins.Section("shadowit", "Shadow IT", order=60, pages=MENU))
        plugins.register_home_link(plugins.HomeLink("Shadow IT", "shadowit:home", order=160))
        plugins.register_demo("townhall.shadowit.demo.load", order=60)
