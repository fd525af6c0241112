from townhall.continuity import models as m
from townhall.core.tables import Column, Table


class ImpactAnalysisTable(Table):
    model = m.ImpactAnalysis
    columns = [
        Column("service", link=True),
        Column("owner_department", label="Department"),
        Column("essential_function"),
        Column("mtd_hours", label="MTD (h)"),
        Column("rto_hours", label="RTO (h)"),
        Column("rpo_hours", label="RPO (h)"),
        Column("status"),
        Column("reviewed_on"),
    ]


class RecoveryCapabilityTable(Table):
    model = m.RecoveryCapability
    columns = [
        Column("system", link=True),
        Column("component", link=True),
        Column("owner_department", label="Department"),
        Column("backup_frequency_hours", label="Backup every (h)"),
        Column("restore_hours", label="Restore (h)"),
        Column("last_restore_test", label="Restore tested"),
        Column("recovery_site"),
    ]
