from django.apps import AppConfig

from townhall.core.plugins import EDITORS

# The module's section of the main menu (`core.plugins.Section`): its pages beyond its
# record lists, which the menu lists after them, and who may open each.
MENU: list[tuple] = [
    ("Shadow IT", "shadowit:home"),
    ("Triage queue", "shadowit:queue", EDITORS),  # IT staff's work list; anyone may read it
    ("Department questions", "shadowit:department_questions"),
]


class ShadowItConfig(AppConfig):
    name = "townhall.shadowit"
    label = "shadowit"
    verbose_name = "Shadow IT"

    def ready(self) -> None:
        from townhall.core import plugins, registry
        from townhall.shadowit import imports, merchants, sign_ins, tasks, views  # noqa: F401
        from townhall.shadowit.pages import answers
        from townhall.shadowit.spellings import SPELLINGS

        registry.register_spellings(self.label, SPELLINGS)  # "P-Card", "Azure AD"
        imports.register()  # purchases, sign-ins and domains, for the importer
        merchants.connect()  # the merchants are worked out again after purchases change
        sign_ins.connect()  # and after sign-ins or domains change, for their users
        plugins.register_menu(plugins.Section("shadowit", "Shadow IT", order=60, pages=MENU))
        plugins.register_home_link(plugins.HomeLink("Shadow IT", "shadowit:home", order=160))
        plugins.register_demo("townhall.shadowit.demo.load", order=60)
        # A liaison's unanswered questions about their department's purchases.
        plugins.register_home_notice(answers.home_notice)
