"""The registers' kinds of record for the spreadsheet importer, registered by the app
config (`register()`); each register adds its own kinds under its own header."""

from townhall.core import plugins

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
    for kind in RADIO_KINDS:
        plugins.register_import_kind(kind)
