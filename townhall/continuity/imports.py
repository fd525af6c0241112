"""Continuity's kinds of record for the spreadsheet importer, registered by the app config.

Impact analyses and recovery capabilities describe estate records, so they load after the
estate, each found by the item it describes (a service; a system or a component) rather
than by a name. An impact analysis's impacts are read from one column per cell of its grid.
"""

from townhall.core import plugins, registry
from townhall.imports.grid import Grid


def impacts_grid() -> Grid:
    from townhall.continuity.models import CATEGORIES, LEVELS, POINTS

    return Grid("impacts", CATEGORIES, POINTS, LEVELS)


# How people head the columns of continuity's own fields (the items a capability describes,
# the impact analysis's and the capability's figures), in either kind; the importer tries
# them after the platform's spellings of the fields every kind has.
COLUMN_SPELLINGS: dict[str, tuple[str, ...]] = {
    "system": ("system", "system name", "application", "application name", "app", "app name"),
    "component": (
        "component",
        "component name",
        "server",
        "server name",
        "hostname",
        "host name",
        "host",
        "asset name",
        "device",
    ),
    "mission_essential": ("mission essential", "mission critical", "essential", "mef"),
    "essential_function": (
        "essential function",
        "essential function type",
        "function type",
        "mef type",
        "fema category",
        "continuity category",
    ),
    "mtd_hours": (
        "mtd",
        "mtd hours",
        "mtd hrs",
        "mtd h",
        "maximum tolerable downtime",
        "max tolerable downtime",
        "max downtime",
    ),
    "rto_hours": (
        "rto",
        "rto hours",
        "rto hrs",
        "rto h",
        "recovery time objective",
        "own rto",
        "target recovery time",
    ),
    "rpo_hours": ("rpo", "rpo hours", "rpo hrs", "rpo h", "recovery point objective"),
    "peak_periods": ("peak periods", "peak period", "peak times", "busy periods", "peak"),
    "minimum_staff": (
        "minimum staff",
        "min staff",
        "minimum staffing",
        "staff needed",
        "staff required",
    ),
    "alternate_locations": (
        "alternate locations",
        "alternate location",
        "alternate sites",
        "alternate site",
        "relocation site",
    ),
    "manual_workarounds": (
        "manual workarounds",
        "manual workaround",
        "workarounds",
        "workaround",
        "manual procedures",
    ),
    "vital_records": ("vital records", "essential records", "critical records"),
    "reviewed_on": ("reviewed on", "reviewed", "last reviewed", "review date", "date reviewed"),
    "backup_frequency_hours": (
        "backup frequency",
        "backup frequency hours",
        "backup every",
        "backup every hours",
        "backup interval",
        "backup interval hours",
        "hours between backups",
        "backups every",
    ),
    "restore_hours": (
        "restore time",
        "restore hours",
        "restore time hours",
        "time to restore",
        "restore duration",
    ),
    "last_restore_test": (
        "last restore test",
        "last restore test date",
        "last successful restore test",
        "restore tested",
        "restore test date",
        "last tested",
    ),
    "recovery_site": ("recovery site", "dr site", "failover site", "backup site", "alternate site"),
    "procedure_link": (
        "procedure",
        "procedure link",
        "procedure url",
        "recovery procedure",
        "runbook",
        "runbook link",
        "runbook url",
        "dr procedure",
    ),
}

KINDS = (
    plugins.ImportKind(
        key="impact_analysis",
        label="Impact analyses",
        model="continuity.ImpactAnalysis",
        order=100,
        name_spellings=("service", "service name", "business service", "program"),
        items=("service",),
        grid=impacts_grid,
        indexed=True,
    ),
    plugins.ImportKind(
        key="recovery_capability",
        label="Recovery capabilities",
        model="continuity.RecoveryCapability",
        order=110,
        items=("system", "component"),
        indexed=True,
    ),
)


def register() -> None:
    registry.register_column_spellings("continuity", COLUMN_SPELLINGS)
    for kind in KINDS:
        plugins.register_import_kind(kind)
