from django.apps import AppConfig

from townhall.core.plugins import EDITORS

# The module's section of the main menu (`core.plugins.Section`): its pages beyond its
# record lists, and who may open each.
MENU = [
    ("Cyber health", "cyber:dashboard"),
    ("Start an assessment", "cyber:assessment_start", EDITORS),
    ("Risk register", "cyber:risk_register"),
    ("Exposure", "cyber:exposure", "cyber.Exposure"),
    ("Plan of action", "cyber:plan", "cyber.Action"),
    ("Boots on the ground", "cyber:coverage_matrix", "cyber.Coverage"),
    ("Insurance readiness", "cyber:insurance", "cyber.InsuranceAnswer"),
    ("Training coverage", "cyber:training_coverage"),
    ("Incident metrics", "cyber:incident_metrics"),
    ("Import a framework catalog", "cyber:framework_import", EDITORS),
]


class CyberConfig(AppConfig):
    name = "townhall.cyber"
    label = "cyber"
    verbose_name = "Cyber"

    def ready(self) -> None:
        from townhall.core import plugins
        from townhall.cyber import exposure, imports, tasks, views  # noqa: F401 - records, jobs
        from townhall.cyber.services import evidence_events

        plugins.register_calendar_events(evidence_events)  # in the estate's calendar feed
        plugins.register_menu(plugins.Section("cyber", "Cyber", order=30, pages=MENU))
        plugins.register_demo("townhall.cyber.demo.load", order=30)
        imports.register()  # training courses and completions in the spreadsheet importer
        exposure.connect()  # an upgrade's exposures classified again
