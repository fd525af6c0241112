from townhall.core.tables import Column, Table
from townhall.cyber import models as m


class FrameworkTable(Table):
    model = m.Framework
    columns = [Column("name", link=True), Column("release"), Column("key"), Column("publisher")]


class RequirementTable(Table):
    model = m.Requirement
    columns = [
        Column("identifier", link=True),
        Column("title"),
        Column("level"),
        Column("framework"),
        Column("assessable", label="Scored"),
    ]


class RequirementMappingTable(Table):
    model = m.RequirementMapping
    columns = [Column("source", link=True), Column("target"), Column("relation")]


class AssessmentTable(Table):
    model = m.Assessment
    columns = [
        Column("name", link=True),
        Column("year"),
        Column("framework"),
        Column("status"),
        Column("target"),
        Column("completed_on"),
    ]


class ScoreTable(Table):
    model = m.Score
    columns = [
        Column("requirement", link=True),
        Column("assessment"),
        Column("level"),
        Column("not_applicable"),
        Column("responsible"),
    ]


class EvidenceTable(Table):
    model = m.Evidence
    columns = [
        Column("title", link=True),
        Column("owner"),
        Column("effective_date"),
        Column("expires"),
    ]


class RiskTable(Table):
    model = m.Risk
    columns = [
        Column("title", link=True),
        Column("owner_department", label="Department"),
        Column("inherent_rating", label="Inherent", sortable=False),
        Column("residual_rating", label="Residual", sortable=False),
        Column("treatment"),
        Column("status"),
        Column("owner"),
        Column("due_date"),
    ]


class IncidentTable(Table):
    model = m.Incident
    columns = [
        Column("title", link=True),
        Column("detected"),
        Column("severity"),
        Column("kind"),
        Column("owner_department", label="Department"),
        Column("recovered"),
    ]


class CourseTable(Table):
    model = m.Course
    columns = [
        Column("name", link=True),
        Column("provider"),
        Column("required"),
        Column("renewal_months"),
    ]


class TrainingCompletionTable(Table):
    model = m.TrainingCompletion
    columns = [Column("person", link=True), Column("course"), Column("completed_on")]


class FeedImportTable(Table):
    model = m.FeedImport
    columns = [
        Column("kind", link=True),
        Column("feed_version"),
        Column("released"),
        Column("entries"),
        Column("created_at", label="Imported"),
    ]


class KnownVulnerabilityTable(Table):
    model = m.KnownVulnerability
    columns = [
        Column("cve_id", link=True),
        Column("vendor_project"),
        Column("product"),
        Column("date_added"),
        Column("due_date"),
        Column("ransomware"),
    ]


class CveRecordTable(Table):
    model = m.CveRecord
    columns = [Column("cve_id", link=True), Column("date_updated"), Column("updated_at")]


class ProductReleaseTable(Table):
    model = m.ProductRelease
    columns = [
        Column("product", link=True),
        Column("cycle"),
        Column("release_date"),
        Column("support_ends"),
        Column("end_of_life"),
        Column("latest"),
    ]


class ProductAliasTable(Table):
    model = m.ProductAlias
    columns = [
        Column("estate_name", link=True),
        Column("kind"),
        Column("feed_vendor"),
        Column("feed_product"),
        Column("eol_product"),
    ]


class ExposureTable(Table):
    model = m.Exposure
    columns = [
        Column("id", label="Exposure", link=True),
        Column("kind"),
        Column("system"),
        Column("component"),
        Column("vulnerability"),
        Column("release"),
        Column("ransomware"),
        Column("due_date"),
        Column("version_status"),
        Column("status"),
    ]


class ActionTable(Table):
    model = m.Action
    columns = [
        Column("title", link=True),
        Column("source"),
        Column("owner"),
        Column("due_date"),
        Column("cost"),
        Column("status"),
    ]


class CoverageTable(Table):
    model = m.Coverage
    columns = [
        Column("function", link=True),
        Column("performer"),
        Column("provider"),
        Column("hours"),
    ]


class InsuranceAnswerTable(Table):
    model = m.InsuranceAnswer
    columns = [Column("question", link=True), Column("answer"), Column("evidence")]
