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


# --- Emergency communications ---
# Talkgroups name the radio system (an estate component) they live on, so they load after
# the estate; partner agencies stand alone.
RADIO_KINDS = (
    plugins.ImportKind(
        key="radio_talkgroup",
        label="Talkgroups and channels",
        model="registers.Talkgroup",
        order=400,
        name_spellings=("talkgroup", "talkgroup name", "channel", "channel name", "alias"),
        column_spellings={
            "radio_system": ("radio system", "system", "trunked system", "radio network"),
            "purpose": ("purpose", "use", "usage type"),
            "encrypted": ("encrypted", "encryption", "secure"),
            "identifier": ("talkgroup id", "tgid", "channel id", "decimal id", "frequency"),
        },
    ),
    plugins.ImportKind(
        key="radio_partner_agency",
        label="Partner agencies (radio)",
        model="registers.PartnerAgency",
        order=405,
        name_spellings=("agency", "agency name", "partner", "partner agency"),
        column_spellings={"kind": ("agency type", "partner type", "type", "kind")},
    ),
)


def register() -> None:
    plugins.register_import_kind(AI_USE_CASE)
    for kind in RADIO_KINDS:
        plugins.register_import_kind(kind)
