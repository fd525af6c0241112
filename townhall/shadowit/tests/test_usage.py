"""Matching sign-in applications and domains to merchants, in plain Python: applications as
Entra ID and Okta name them, the reference vendors' aliases and domains, and people counted
once however many days and applications they signed in on."""

import datetime

from townhall.shadowit import usage

D = datetime.date
MERCHANTS = [
    usage.Candidate("zoom", "Zoom", "zoom.us"),
    usage.Candidate("adobe", "Adobe", ""),
    usage.Candidate("docusign", "DocuSign", ""),
    usage.Candidate("dropbox", "Dropbox", ""),
    usage.Candidate("govforms", "Govforms", "govforms.example"),
    usage.Candidate("slack", "Slack", ""),
]


def test_applications_as_sign_in_systems_name_them():
    m = usage.Matcher(MERCHANTS)
    assert m.application("Zoom").key == "zoom"
    assert m.application("ZOOM").key == "zoom"
    assert m.application("DocuSign").key == "docusign"
    assert m.application("Docu Sign").key == "docusign"  # spaces ignored
    found = m.application("Adobe Acrobat Sign")
    # Acrobat Sign is a vendor of its own in the reference list; no merchant is it here, so
    # the application is found by the name it starts with.
    assert found.key == "adobe" and "adobe" in found.how.lower()
    assert m.application("Dropbox Business").key == "dropbox"
    assert m.application("Govforms Portal").key == "govforms"  # starts with its name
    assert m.application("Microsoft Teams") is None  # no merchant is Microsoft
    assert m.application("") is None
    # A strict one-word vendor matches only exactly: "Slack Off Timesheets" is not Slack.
    assert m.application("Slack Off Timesheets") is None


def test_an_application_named_on_a_merchant_wins():
    merchants = [*MERCHANTS, usage.Candidate("acme sign", "Acme Sign", "", "Adobe Acrobat Sign")]
    m = usage.Matcher(merchants)
    assert m.application("Adobe Acrobat Sign").key == "acme sign"
    assert m.application("adobe acrobat sign ").key == "acme sign"


def test_domains_by_the_merchants_own_then_the_vendors():
    m = usage.Matcher(MERCHANTS)
    assert m.domain("zoom.us").key == "zoom"
    assert m.domain("us02web.zoom.us").key == "zoom"
    assert m.domain("docusign.net").key == "docusign"  # the reference vendor's domain
    assert m.domain("app.govforms.example").key == "govforms"
    assert m.domain("notion.so") is None
    assert m.domain("") is None


def test_people_are_counted_once_with_the_last_sign_in():
    m = usage.Matcher(MERCHANTS)
    sign_ins = [
        usage.SignIn("Zoom", "ana@county.gov", D(2026, 3, 1)),
        usage.SignIn("Zoom", "ANA@county.gov", D(2026, 3, 4)),
        usage.SignIn("Zoom", "ben@county.gov", D(2026, 2, 1)),
        usage.SignIn("Adobe Acrobat Sign", "ana@county.gov", D(2026, 1, 9)),
        usage.SignIn("Adobe Identity Management", "ben@county.gov", D(2026, 3, 9)),
        usage.SignIn("Adobe Identity Management", "cy@county.gov", D(2026, 3, 2)),
        usage.SignIn("Microsoft Teams", "ana@county.gov", D(2026, 3, 9)),
    ]
    found = usage.summarise(
        m, sign_ins, [("dropbox.com", 44), ("dropbox.com", 12), ("zoom.us", 900)]
    )
    assert found["zoom"] == usage.Usage("Zoom", 2, D(2026, 3, 4))
    # Three people over two applications; the one most of them use names it.
    assert found["adobe"] == usage.Usage("Adobe Identity Management", 3, D(2026, 3, 9))
    # Known from the domains alone: the largest count, and no application.
    assert found["dropbox"] == usage.Usage("", 44, None, from_domains=True)
    assert "docusign" not in found
