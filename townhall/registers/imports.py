"""The registers' kinds of record for the spreadsheet importer, registered by the app
config (`apps.py` ready())."""

from townhall.core import plugins, registry
from townhall.registers import ai_inventory

# --- AI use cases ---
# The federal inventory's headings are the kind's spellings of our fields, so the federal
# file maps without editing; its values (stages and impact answers of 2024 and 2025) are
# the choices' other words.
AI_CHOICE_SPELLINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "stage": {
        "pre_deployment": (
            "initiated",
            "acquisition and/or development",
            "acquisition and development",
            "development",
            "planned",
            "planning",
        ),
        "pilot": ("implementation and assessment", "piloting", "pilot project"),
        "deployed": (
            "operation and maintenance",
            "in production",
            "production",
            "operational",
            "in use",
        ),
        "retired": ("decommissioned", "discontinued"),
    },
    "high_impact": {
        "yes": (
            "yes",
            "high impact",
            "rights-impacting",
            "safety-impacting",
            "both",
            "rights and safety impacting",
        ),
        "presumed": ("presumed", "presumed high impact"),
        "no": (
            "no",
            "neither",
            "not high impact",
            "presumed high-impact but determined not high-impact",
        ),
    },
    "topic_area": {
        "government_services": (
            "Government Services (includes Benefits and Service Delivery)",
            "benefits",
            "service delivery",
        ),
        "mission_enabling": ("Mission-Enabling (internal agency support)", "internal support"),
        "law_justice": ("law enforcement", "justice", "public safety"),
        "health": ("health", "medical"),
        "energy_environment": ("energy", "environment"),
        "education_workforce": ("education", "workforce"),
        "science": ("science and space",),
    },
    "development": {
        "in_house": ("in-house", "in house", "internal"),
        "contracted": ("contract", "contracted", "contractor", "vendor"),
        "both": ("both", "contract and in-house"),
    },
}
PRACTICE_SPELLINGS: dict[str, tuple[str, ...]] = {
    "done": ("completed", "complete", "done", "yes completed"),
    "in_progress": ("in-progress", "ongoing", "underway", "partially"),
    "not_done": ("not started", "not done", "none"),
    "waived": ("waiver", "waiver granted", "exempt"),
}
for _practice in (
    "testing",
    "impact_assessment",
    "monitoring",
    "training",
    "oversight",
    "remedy",
    "feedback",
):
    AI_CHOICE_SPELLINGS[_practice] = PRACTICE_SPELLINGS

AI_USE_CASE = plugins.ImportKind(
    key="ai_use_case",
    label="AI use cases",
    model="registers.AIUseCase",
    order=800,
    fields=(
        *ai_inventory.fields(),
        "review_owner",
        "last_reviewed_on",
        "next_review_on",
        "notes",
    ),
    column_spellings=ai_inventory.spellings(),
)


def register() -> None:
    registry.register_spellings("registers", {"aiusecase": AI_CHOICE_SPELLINGS})
    plugins.register_import_kind(AI_USE_CASE)
