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


class CampaignTable(Table):
    model = m.Campaign
    columns = [
        Column("name", link=True),
        Column("status"),
        Column("due_on", label="Due"),
        Column("opened_at", label="Opened"),
        Column("closed_at", label="Closed"),
    ]


class CampaignRequestTable(Table):
    model = m.CampaignRequest
    columns = [
        Column("campaign", link=True),
        Column("service"),
        Column("department"),
        Column("sent_at", label="Sent"),
        Column("final_status", label="Status at close"),
    ]


class RecoveryPlanTable(Table):
    model = m.RecoveryPlan
    columns = [
        Column("title", link=True),
        Column("number", label="Version"),
        Column("status"),
        Column("approver_name", label="Approved by"),
        Column("approved_on"),
    ]


class PlanRoleTable(Table):
    model = m.PlanRole
    columns = [
        Column("role", link=True),
        Column("plan"),
        Column("person"),
        Column("alternate"),
    ]


class ExerciseTable(Table):
    model = m.Exercise
    columns = [
        Column("name", link=True),
        Column("held_on", label="Date"),
        Column("kind"),
        Column("scenario"),
        Column("facilitator"),
    ]


class ExerciseResultTable(Table):
    model = m.ExerciseResult
    columns = [
        Column("service", link=True),
        Column("exercise"),
        Column("measured_hours", label="Measured (h)"),
        Column("rto_hours", label="RTO (h)"),
    ]


class FollowUpTable(Table):
    model = m.FollowUp
    columns = [
        Column("title", link=True),
        Column("exercise"),
        Column("owner_department", label="Department"),
        Column("owner"),
        Column("due_on", label="Due"),
        Column("status"),
    ]
