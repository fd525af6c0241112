"""The registers' kinds of record for the spreadsheet importer, registered by the app
config (`apps.py` ready())."""

from townhall.core import plugins
from townhall.registers import ai_inventory

# --- AI use cases ---
# The federal inventory's headings are the kind's spellings of our fields, so the federal
# file maps without editing (its values' words are in spellings.py).
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
    plugins.register_import_kind(AI_USE_CASE)
