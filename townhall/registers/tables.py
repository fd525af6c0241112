"""One table per register record: list columns, also the export's."""

from townhall.core.tables import Column, Table
from townhall.registers import models as m

# --- Social media accounts ---


class SocialAccountTable(Table):
    model = m.SocialAccount
    columns = [
        Column("handle", link=True),
        Column("platform"),
        Column("owner_department", label="Department"),
        Column("owner", label="Account owner"),
        Column("multi_factor", label="Multi-factor"),
        Column("credentials_kept_in", label="Credentials kept in"),
        Column("last_reviewed_on", label="Last reviewed"),
        Column("next_review_on", label="Next review due"),
    ]


# --- AI use cases ---


class AIUseCaseTable(Table):
    model = m.AIUseCase
    columns = [
        Column("name", link=True),
        Column("owner_department", label="Department"),
        Column("topic_area"),
        Column("stage"),
        Column("high_impact"),
        Column("vendor"),
        Column("system"),
        Column("next_review_on", label="Next review"),
    ]


# --- Data inventory ---------------------------------------------------------------------


class DatasetTable(Table):
    model = m.Dataset
    columns = [
        Column("title", link=True),
        Column("owner_department", label="Publishing department"),
        Column("steward"),
        Column("system", label="System of record"),
        Column("classification"),
        Column("access_level", label="Access level"),
        Column("accrual_periodicity", label="Updated"),
        Column("personal_data", label="Personal data"),
        Column("next_review_on", label="Next review"),
    ]


class DistributionTable(Table):
    model = m.Distribution
    columns = [
        Column("title", link=True),
        Column("dataset"),
        Column("format"),
        Column("media_type", label="Media type"),
        Column("download_url", label="Download address"),
    ]


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
        # What is reviewed names the review (its number meant nothing to a reader).
        Column("subject", label="Review of", sortable=False, link=True),
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
