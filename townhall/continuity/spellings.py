"""How continuity planners write impact analyses' choices in their own spreadsheets.

Read by the importer beside each choice's own value and label (see `estate/spellings.py`
for the rules: one word on one value only; case, spaces and punctuation do not count).
FEMA's and NIST SP 800-34's terms are here as counties abbreviate them: "PMEF", "Primary
MEF", "mission-essential", "non-essential".
"""

SPELLINGS: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "impactanalysis": {
        "essential_function": {
            "pmef": (
                "primary mef",
                "primary mission essential",
                "primary mission-essential function",
                "primary mission essential function",
                "primary",
            ),
            "mef": (
                "mission essential",
                "mission-essential function",
                "mission essential function",
                "essential",
                "essential function",
            ),
            "supporting": (
                "supporting activity",
                "supporting function",
                "support",
                "supports an mef",
            ),
            "not_essential": (
                "non-essential",
                "nonessential",
                "not mission essential",
                "deferrable",
                "none",
                "n/a",
            ),
        },
        "status": {
            "draft": ("in progress", "not started", "working", "started"),
            "submitted": (
                "for review",
                "under review",
                "in review",
                "pending approval",
                "awaiting approval",
                "sent",
            ),
            "approved": ("signed off", "signed", "final", "accepted", "complete", "completed"),
        },
    },
}
