"""How the registers' choices are written in the files cities start from, read by the
importer beside each choice's own value and label (see `estate/spellings.py` for the rules).
Each register adds its model's words to `SPELLINGS` under its own header."""

SPELLINGS: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {}

# --- AI use cases ---
# The federal inventory's values: the 2024 file's five stages and its rights- and
# safety-impacting answers, and the 2025 file's four stages and high-impact answers.
AI_USE_CASE: dict[str, dict[str, tuple[str, ...]]] = {
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
    AI_USE_CASE[_practice] = PRACTICE_SPELLINGS


SPELLINGS["aiusecase"] = AI_USE_CASE
