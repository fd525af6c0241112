from townhall.core.forms import RecordForm
from townhall.people import models as m


class TeamForm(RecordForm):
    class Meta:
        model = m.Team
        fields = [
            "name",
            "parent",
            "placement",
            "owner_department",
            "purpose",
            "operations_share",
            "external_id",
            "notes",
        ]


class PositionForm(RecordForm):
    class Meta:
        model = m.Position
        fields = [
            "title",
            "grade",
            "team",
            "funded",
            "person",
            "vacant_since",
            "placement",
            "owner_department",
            "reports_to",
            "fte",
            "skill_pool",
            "available_hours",
            "fill_planned",
            "external_id",
            "notes",
        ]


class OperatingModelForm(RecordForm):
    class Meta:
        model = m.OperatingModel
        fields = ["owner_department", "model", "as_of", "rationale", "notes"]


class SkillForm(RecordForm):
    class Meta:
        model = m.Skill
        fields = [
            "code",
            "name",
            "kind",
            "description",
            "source",
            "systems",
            "components",
            "external_id",
            "notes",
        ]


class ProficiencyForm(RecordForm):
    class Meta:
        model = m.Proficiency
        fields = ["person", "skill", "level", "assessed_on", "notes"]


class CertificationForm(RecordForm):
    class Meta:
        model = m.Certification
        fields = ["person", "name", "issuer", "earned", "expires", "external_id", "notes"]


class CapacitySettingsForm(RecordForm):
    class Meta:
        model = m.CapacitySettings
        fields = ["hours_per_fte", "operations_share", "notes"]


class StaffRecordForm(RecordForm):
    class Meta:
        model = m.StaffRecord
        fields = [
            "person",
            "retirement_eligible_on",
            "annual_pay",
            "performance_rating",
            "reviewed_on",
            "external_id",
            "notes",
        ]


class TrainingPlanForm(RecordForm):
    class Meta:
        model = m.TrainingPlan
        fields = [
            "person",
            "skill",
            "system",
            "component",
            "starting_level",
            "target_level",
            "due",
            "how",
            "status",
            "met_on",
            "external_id",
            "notes",
        ]
