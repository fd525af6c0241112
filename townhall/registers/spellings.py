"""How the registers' choices are written in the files cities start from, read by the
importer beside each choice's own value and label (see `estate/spellings.py` for the rules).
Each register adds its model's words to `SPELLINGS` under its own header."""

from townhall.registers import readiness

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

# --- Social media accounts ---
SPELLINGS["socialaccount"] = {
    "platform": {
        "x": ("twitter", "x (twitter)", "x twitter", "x.com"),
        "facebook": ("fb", "facebook page", "meta"),
        "youtube": ("youtube channel", "yt"),
        "linkedin": ("linked in",),
        "bluesky": ("bsky", "blue sky"),
    },
    "credentials_kept_in": {
        "vault": ("password manager", "vault", "lastpass", "1password", "keeper", "bitwarden"),
        "business_manager": ("business manager", "meta business suite", "brand account"),
        "shared_document": ("spreadsheet", "shared drive", "document", "shared file"),
        "personal": ("personal account", "employee's own account", "staff member"),
    },
}

# --- Data inventory ---
SPELLINGS["dataset"] = {
    "access_level": {
        "public": ("open", "open data"),
        "restricted public": ("restricted", "on request"),
        "non-public": ("non public", "nonpublic", "private", "internal only", "not public"),
    },
    "accrual_periodicity": {
        "R/PT1S": ("continuous", "real time", "realtime", "live"),
        "R/P2W": ("biweekly", "fortnightly"),
        "R/P6M": ("semiannual", "semi-annual", "biannual"),
        "R/P1Y": ("annual", "annually"),
        "R/P2Y": ("biennial", "biennially"),
        "irregular": ("as needed", "ad hoc", "irregular"),
    },
}

# --- Innovation pilots and emerging technology ---
SPELLINGS["pilot"] = {
    "stage": {
        "idea": ("proposed", "proposal", "concept"),
        "pilot": ("piloting", "in pilot", "active", "running"),
        "evaluation": ("evaluating", "under evaluation", "assessment"),
        "scaled": ("adopted", "scaled up", "in production", "rolled out"),
        "stopped": ("cancelled", "canceled", "ended", "discontinued"),
    },
    "technology": {
        "ai": ("ai", "machine learning"),
        "iot": ("iot", "sensors", "internet of things"),
        "vehicle": ("autonomous vehicles", "connected vehicles", "av", "cav"),
        "body_camera": ("body cameras", "bodycam", "body-worn camera", "bwc"),
        "drone": ("drones", "uas", "uav", "unmanned aircraft"),
        "plate_reader": ("alpr", "lpr", "license plate reader", "license plate readers"),
    },
}
SPELLINGS["surveillancereview"] = {
    "decision": {
        "pending": ("under review", "in review", "open", "awaiting decision"),
        "approved_with_conditions": ("conditionally approved", "approved with conditions"),
        "rejected": ("denied", "not approved", "declined"),
    },
}
# The same words for the technologies a readiness questionnaire is written for.
SPELLINGS["readinessassessment"] = {
    "technology": {
        key: words
        for key, words in SPELLINGS["pilot"]["technology"].items()
        if key in dict(readiness.technologies())
    }
}

# --- Emergency communications ---
# The continuum's lanes as SAFECOM's chart heads them, and the ways partners are reached.
SPELLINGS["lanerating"] = {
    "lane": {
        "procedures": ("sops", "sop", "standard operating procedures", "procedures"),
        "training": ("training and exercises", "training & exercises", "exercises"),
        "usage": ("usage", "use"),
    },
}
SPELLINGS["interoplink"] = {
    "how": {
        "shared_system": ("shared system", "same system", "shared trunked system"),
        "gateway": ("gateway", "patch", "console patch", "isi gateway"),
        "cache_radios": ("cache", "cache radios", "radio cache", "loaner radios"),
        "shared_channel": ("shared channel", "mutual aid channel", "interop channel"),
    },
    "works": {
        "yes": ("worked", "working", "pass", "passed", "ok"),
        "partly": ("partial", "partially", "some issues"),
        "no": ("failed", "fail", "not working"),
    },
}
