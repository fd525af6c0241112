from townhall.core.tables import Column, Table
from townhall.people import models as m


class TeamTable(Table):
    model = m.Team
    columns = [
        Column("name", link=True),
        Column("parent", label="Part of"),
        Column("placement"),
        Column("owner_department", label="Department"),
    ]


class PositionTable(Table):
    model = m.Position
    columns = [
        Column("title", link=True),
        Column("team"),
        Column("person", label="Filled by"),
        Column("vacant_since", label="Vacant since"),
        Column("funded"),
        Column("placement"),
        Column("owner_department", label="Department"),
        Column("fte", label="FTE"),
    ]


class OperatingModelTable(Table):
    model = m.OperatingModel
    columns = [
        Column("owner_department", link=True, label="Department"),
        Column("model", label="Operating model"),
        Column("as_of", label="In place from"),
    ]


class SkillTable(Table):
    model = m.Skill
    columns = [
        Column("code", link=True),
        Column("name"),
        Column("kind"),
        Column("source"),
    ]


class ProficiencyTable(Table):
    model = m.Proficiency
    columns = [
        Column("person", link=True),
        Column("skill"),
        Column("level"),
        Column("assessed_on", label="Assessed on"),
    ]


class CertificationTable(Table):
    model = m.Certification
    columns = [
        Column("name", link=True),
        Column("person"),
        Column("issuer"),
        Column("earned"),
        Column("expires"),
    ]


class StaffRecordTable(Table):
    model = m.StaffRecord
    columns = [
        Column("person", link=True),
        Column("retirement_eligible_on", label="Eligible to retire on"),
        Column("annual_pay", label="Annual pay"),
        Column("performance_rating", label="Last rating"),
        Column("reviewed_on", label="Reviewed on"),
    ]


class RequisitionTable(Table):
    model = m.Requisition
    columns = [
        Column("title", link=True),
        Column("kind"),
        Column("stage"),
        Column("team"),
        Column("position"),
        Column("openings"),
        Column("opened_on", label="Opened on"),
        Column("filled_on", label="Filled on"),
    ]


class DeclinedOfferTable(Table):
    model = m.DeclinedOffer
    columns = [
        Column("requisition", link=True),
        Column("declined_on", label="Declined on"),
        Column("reason"),
    ]


class MarketRateTable(Table):
    model = m.MarketRate
    columns = [
        Column("name", link=True),
        Column("market_pay", label="Market annual pay"),
        Column("source"),
        Column("as_of", label="As of"),
    ]


class TrainingPlanTable(Table):
    model = m.TrainingPlan
    columns = [
        Column("person", link=True, label="Who is trained"),
        Column("skill"),
        Column("target_level", label="To level"),
        Column("due", label="Trained by"),
        Column("system"),
        Column("component"),
        Column("status"),
        Column("met_on", label="Met on"),
    ]
