from townhall.core.tables import Column, Table
from townhall.governance import models as m


class SkillPoolTable(Table):
    model = m.SkillPool
    columns = [Column("name", link=True), Column("code"), Column("description")]


class CriteriaSetTable(Table):
    model = m.CriteriaSet
    columns = [
        Column("name", link=True),
        Column("edition"),
        Column("scale_min"),
        Column("scale_max"),
    ]


class CriterionTable(Table):
    model = m.Criterion
    columns = [
        Column("name", link=True),
        Column("criteria_set"),
        Column("weight"),
        Column("order"),
    ]


class BudgetCycleTable(Table):
    model = m.BudgetCycle
    columns = [
        Column("name", link=True),
        Column("first_year"),
        Column("years"),
        Column("status"),
        Column("criteria_set", label="Criteria"),
        Column("intake_deadline"),
    ]


class ProposalTable(Table):
    model = m.Proposal
    columns = [
        Column("title", link=True),
        Column("cycle"),
        Column("owner_department", label="Department"),
        Column("kind"),
        Column("status"),
        Column("mandated"),
        Column("earliest_start", label="Earliest start"),
        Column("duration"),
        Column("recurring_operating", label="Recurring per year"),
    ]


class ScenarioTable(Table):
    model = m.Scenario
    columns = [
        Column("name", link=True),
        Column("cycle"),
        Column("objective"),
        Column("budget_level"),
        Column("selected"),
        Column("solved_at", label="Solved"),
    ]


# --- Project updates for residents ---


class ProjectUpdateTable(Table):
    model = m.ProjectUpdate
    columns = [
        Column("day", label="Date", link=True),
        Column("proposal"),
        Column("text", label="Update for residents"),
    ]
