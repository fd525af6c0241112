"""One table per register record: list columns, also the export's."""

from townhall.core.tables import Column, Table
from townhall.registers import models as m

# --- Innovation pilots and emerging technology ---


class PilotTable(Table):
    model = m.Pilot
    columns = [
        Column("title", link=True),
        Column("technology", label="Technology"),
        Column("stage"),
        Column("owner_department", label="Sponsor"),
        Column("vendor"),
        Column("personal_data", label="Personal data"),
        Column("next_review_on", label="Next review"),
    ]


class SurveillanceReviewTable(Table):
    model = m.SurveillanceReview
    columns = [
        Column("id", label="Review", link=True),
        Column("pilot"),
        Column("system"),
        Column("owner_department", label="Department"),
        Column("decision"),
        Column("decided_on", label="Decided"),
        Column("next_review_on", label="Next review"),
    ]


class ReadinessAssessmentTable(Table):
    model = m.ReadinessAssessment
    columns = [
        Column("title", link=True),
        Column("technology", label="Technology"),
        Column("assessed_on", label="Assessed"),
        Column("owner_department", label="Department"),
        Column("pilot"),
        Column("next_review_on", label="Next review"),
    ]
