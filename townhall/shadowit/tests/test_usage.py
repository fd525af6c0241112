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


# --- what no merchant matches is discovered ---------------------------------------------


DAY = D(2026, 3, 1)


def _in(app, who, department=None, day=DAY):
    return usage.SignIn(app, who, day, department)


def test_an_application_no_purchase_names_is_discovered():
    m = usage.Matcher(MERCHANTS)
    sign_ins = [
        _in("Zoom", "ana", 1),  # bought: matched, not discovered
        _in("Notion", "ana", 1),
        _in("Notion", "Ben", 2),
        _in("notion", "ben", 2),  # keyed alike: the same merchant
        _in("Riverbend Portal", "cy", 3),
    ]
    found = {d.key: d for d in usage.discover(m, sign_ins)}
    assert sorted(found) == ["notion", "riverbend portal"]
    notion = found["notion"]
    # The reference list knows it: its name, category and kind; keyed as a purchase would be.
    assert (notion.name, notion.category, notion.kind) == ("Notion", "software", "notes and wiki")
    assert notion.application == "Notion" and notion.found_in == "sign_ins"
    assert notion.departments == frozenset({1, 2})
    assert "sign-in exports" in notion.why and "“Notion”" in notion.why
    riverbend = found["riverbend portal"]
    # Unknown to the reference list: software, since people sign in to it.
    assert (riverbend.name, riverbend.category, riverbend.confidence) == (
        "Riverbend Portal",
        "software",
        0.6,
    )
    assert "sign in to is software" in riverbend.why


def test_a_discovered_key_is_the_one_a_purchase_of_it_reads_as():
    from townhall.shadowit.descriptors import group, normalize

    m = usage.Matcher(MERCHANTS)
    (chatgpt,) = usage.discover(m, [_in("ChatGPT", "ana")])
    purchase = normalize("OPENAI *CHATGPT SUBSCR").key
    assert chatgpt.key == "openai" == group([purchase]).get(purchase)


def test_the_sign_in_systems_own_applications_are_left_out():
    m = usage.Matcher([*MERCHANTS, usage.Candidate("microsoft", "Microsoft", "")])
    portal = [_in("Microsoft Office 365 Portal", "ana"), _in("My Apps", "ben")]
    assert usage.discover(usage.Matcher(MERCHANTS), portal) == []
    # Nor counted as people of the merchant they would match.
    assert usage.summarise(m, portal) == {}
    assert usage.ignored(" my apps ") and not usage.ignored("Microsoft Teams")


def test_a_persons_rule_decides_what_a_discovered_application_is():
    from townhall.shadowit import classify

    rule = classify.Rule(name="Riverbend is not ours", category="not_technology", key="riverbend")
    (found,) = usage.discover(usage.Matcher(MERCHANTS), [_in("Riverbend", "ana")], rules=[rule])
    assert found.category == "not_technology" and "Riverbend is not ours" in found.why


def test_a_tools_domain_no_merchant_has_is_discovered_a_platforms_is_not():
    m = usage.Matcher(MERCHANTS)
    domains = [
        usage.Reached("www.notion.so", 19, 4),
        usage.Reached("trello.com", 15),
        usage.Reached("zoom.us", 140),  # a merchant's
        usage.Reached("www.google.com", 900),  # a platform everyone reaches
        usage.Reached("office.com", 1400),
        usage.Reached("weather.gov", 380),  # nobody's
    ]
    found = {d.key: d for d in usage.discover(m, [], domains)}
    assert sorted(found) == ["notion", "trello"]
    assert (found["notion"].domain, found["notion"].found_in) == ("notion.so", "domains")
    assert found["notion"].departments == frozenset({4})
    # Found in the sign-ins too: one merchant, named by its sign-in application.
    both = usage.discover(m, [_in("Notion", "ana")], domains)
    assert [(d.key, d.found_in) for d in both] == [("notion", "sign_ins"), ("trello", "domains")]


def test_people_are_counted_by_department():
    m = usage.Matcher(MERCHANTS)
    sign_ins = [_in("Zoom", "ana", 1), _in("Zoom", "ben", 1), _in("Zoom", "cy", 2)]
    assert usage.summarise(m, sign_ins)["zoom"].departments == {1: 2, 2: 1}
