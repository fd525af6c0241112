"""Continuity's kinds of record for the spreadsheet importer, registered by the app config.

Impact analyses and recovery capabilities describe estate records, so they load after the
estate, each found by the item it describes (a service; a system or a component) rather
than by a name. An impact analysis's impacts are read from one column per cell of its grid.
"""

from townhall.core import plugins
from townhall.imports.grid import Grid


def impacts_grid() -> Grid:
    from townhall.continuity.models import CATEGORIES, LEVELS, POINTS

    return Grid("impacts", CATEGORIES, POINTS, LEVELS)


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
    for kind in KINDS:
        plugins.register_import_kind(kind)
