"""Talkgroups and partner agencies are kinds of the spreadsheet importer: their columns
are guessed from the headings people use, and talkgroups load after the estate's
components they name."""

from townhall.core import plugins
from townhall.imports import kinds


def test_the_kinds_guess_their_columns():
    talkgroup = kinds.get("radio_talkgroup")
    guessed = talkgroup.guess(["Talkgroup", "Radio system", "TGID", "Encrypted", "Department"])
    assert guessed["Talkgroup"] == "name"
    assert guessed["Radio system"] == "radio_system"
    assert guessed["TGID"] == "identifier"
    partner = kinds.get("radio_partner_agency")
    assert partner.guess(["Agency", "Agency type"]) == {"Agency": "name", "Agency type": "kind"}


def test_talkgroups_load_after_the_estate_components():
    order = {k.key: k.order for k in plugins.import_kinds()}
    assert order["radio_talkgroup"] > order["component"]
