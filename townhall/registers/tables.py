"""One table per register record: list columns, also the export's."""

from townhall.core.tables import Column, Table
from townhall.registers import models as m

# --- Emergency communications ---


class ContinuumAssessmentTable(Table):
    model = m.ContinuumAssessment
    columns = [
        Column("assessed_on", link=True),
        Column("owner_department", label="Department"),
        Column("review_owner"),
        Column("next_review_on", label="Next review"),
    ]


class LaneRatingTable(Table):
    model = m.LaneRating
    columns = [
        Column("lane", link=True),
        Column("assessment"),
        Column("level"),
        Column("evidence"),
    ]


class TalkgroupTable(Table):
    model = m.Talkgroup
    columns = [
        Column("name", link=True),
        Column("radio_system"),
        Column("purpose"),
        Column("encrypted"),
        Column("identifier", label="ID"),
        Column("owner_department", label="Department"),
        Column("next_review_on", label="Next review"),
    ]


class PartnerAgencyTable(Table):
    model = m.PartnerAgency
    columns = [
        Column("name", link=True),
        Column("kind"),
        Column("owner_department", label="Department"),
        Column("next_review_on", label="Next review"),
    ]


class InteropLinkTable(Table):
    model = m.InteropLink
    columns = [
        Column("partner", link=True),
        Column("talkgroup"),
        Column("how"),
        Column("tested_on", label="Last tested"),
        Column("works"),
    ]
