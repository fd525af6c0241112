"""Classification: the order of the sources, and that every answer says why."""

import pytest

from townhall.shadowit.classify import Rule, as_rules, classify
from townhall.shadowit.descriptors import normalize
from townhall.shadowit.vendors import mcc_codes, reference


def test_a_rule_comes_first():
    zoom = normalize("ZOOM.US 888-799-9666 CA")
    rule = Rule(name="Zoom webinars are training", category="not_technology", key="zoom")
    result = classify(zoom, "4816", [rule])
    assert result.category == "not_technology"
    assert result.source == "rule"
    assert result.confidence == 1.0
    assert "Zoom webinars are training" in result.why
    assert "the merchant is 'zoom'" in result.why


def test_rules_are_plain_data():
    rules = [
        {"name": "Permit software", "category": "software", "contains": "PERMITFLOW"},
        {"name": "Radio shop", "category": "telecom", "regex": r"radio\s+shop", "mcc": 5999},
    ]
    assert classify(normalize("STRIPE *PERMITFLOW"), None, rules).category == "software"
    radio = normalize("BOB'S RADIO SHOP")
    assert classify(radio, "5999", rules).category == "telecom"
    # Every condition must hold: the code differs, so the rule does not apply.
    assert classify(radio, "5812", rules).source != "rule"
    assert as_rules(rules)[1].mcc == "5999"


def test_a_rule_may_name_the_reference_vendor_key():
    rule = Rule(name="Verizon lines", category="telecom", key="verizon")
    result = classify(normalize("VZWRLSS*APOCC VISN"), None, [rule])
    assert result.source == "rule"


@pytest.mark.parametrize(
    "data",
    [
        {"name": "x", "category": "gadgets", "key": "zoom"},
        {"name": "matches nothing", "category": "software"},
        {"name": "bad pattern", "category": "software", "regex": "(unclosed"},
    ],
)
def test_bad_rules_are_refused_with_a_reason(data):
    with pytest.raises(ValueError, match=data["name"]):
        Rule.from_mapping(data)


def test_the_reference_vendor_before_the_code():
    result = classify(normalize("GITHUB.COM DL0OU"), "5812")
    assert result.category == "software"
    assert result.source == "vendor"
    assert result.vendor == "github"
    assert "GitHub is on the reference list" in result.why
    assert "domain github.com" in result.why
    assert "5812 (restaurants) suggests otherwise" in result.why


def test_the_code_when_the_vendor_is_unknown():
    result = classify(normalize("SQ *GOVFORMS"), "7372")
    assert (result.category, result.source) == ("software", "mcc")
    assert result.why == (
        "Merchant category code 7372 (programming and data processing services) indicates "
        "a software or cloud service."
    )
    assert classify(normalize("RIVERSIDE TIRE"), 5541).category == "not_technology"


def test_keywords_last_and_less_sure():
    result = classify(normalize("PP*RIVERBEND CLOUD HOSTING"), None)
    assert (result.category, result.source) == ("software", "keyword")
    assert result.confidence < 0.6
    assert "guess" in result.why
    assert classify(normalize("CASCADE WIRELESS LLC")).category == "telecom"
    assert classify(normalize("CLOUD 9 CAFE")).category == "not_technology"
    assert classify(normalize("ACE HARDWARE #1234 SEATTLE WA")).category == "not_technology"
    assert classify(normalize("FS *SUBLIMEHQ.IO")).category == "software"


def test_unknown_says_what_to_do():
    result = classify(normalize("SQ *GOVFORMS"))
    assert result.category == "unknown"
    assert "A rule can classify it" in result.why


def test_a_marketplace_is_not_technology_by_itself():
    amazon = normalize("AMZN Mktp US*2K3")
    assert classify(amazon).category == "unknown"
    assert "sells everything" in classify(amazon).why
    assert classify(amazon, "5045").category == "hardware"
    assert classify(normalize("AMAZON WEB SERVICES")).category == "software"
    assert classify(normalize("AWS EMEA aws.amazon.co")).category == "software"


def test_odd_codes_are_ignored():
    merchant = normalize("SQ *GOVFORMS")
    for code in ["", "abcd", "12345", None, "-1", " 742 "]:
        assert classify(merchant, code).category in {"unknown", "not_technology"}
    assert classify(normalize("PP*X"), "5734.0").category == "software"


def test_every_answer_has_a_sentence():
    for descriptor in ["ZOOM.US", "SQ *GOVFORMS", "PP*RIVERBEND CLOUD", "CLOUD 9 CAFE", "SQ *X"]:
        for code in [None, "7372", "5812"]:
            why = classify(normalize(descriptor), code).why
            assert why.endswith(".") and why[0].isupper() and len(why) > 30


def test_reference_data_is_well_formed():
    ref = reference()
    assert 150 <= len(ref.vendors) <= 300
    for vendor in ref.vendors.values():
        assert vendor.category in {"software", "hardware", "telecom", "not_technology"}
        assert vendor.aliases, vendor.key
        for domain in vendor.domains:
            assert domain == domain.lower() and "." in domain and " " not in domain
    codes = mcc_codes()
    for code in ["4816", "4814", "4899", "5045", "5732", "5734", "5817", "5818", "7372", "7379"]:
        assert codes[code].category in {"software", "hardware", "telecom"}
    assert codes["5251"].category == "not_technology"
    # An alias naming two vendors would make the list's answer depend on its order.
    seen: dict[str, str] = {}
    for vendor in ref.vendors.values():
        for alias in vendor.aliases:
            key = normalize(alias).key
            assert seen.setdefault(key, vendor.key) == vendor.key, alias


def test_the_classifier_gives_the_same_answers_as_classify():
    from townhall.shadowit.classify import Classifier

    rules = [{"name": "Amazon cables", "category": "hardware", "regex": r"AMZN.*\*CBL"}]
    classifier = Classifier(rules)
    for descriptor, code in [
        ("AMZN Mktp US*CBL123", "5999"),
        ("AMZN Mktp US*2K3", "5999"),
        ("AMZN Mktp US*2K3", None),
        ("GITHUB.COM DL0OU", "5812"),
        ("SQ *GOVFORMS", " 7372"),
        ("CLOUD 9 CAFE", None),
    ]:
        merchant, result = classifier(descriptor, code)
        assert merchant == normalize(descriptor)
        assert merchant.raw == descriptor
        assert result == classify(merchant, code, rules)
        assert classifier(descriptor, code)[1] is result  # remembered
    assert classifier("AMZN Mktp US*CBL123", "5999")[1].source == "rule"
    # 5999 (miscellaneous shops) says nothing; 5045 (computers) does.
    assert classifier("AMZN Mktp US*2K3", "5999")[1].source == "marketplace"
    assert classifier("AMZN Mktp US*9Z", "5045")[1].category == "hardware"


def test_each_reference_vendor_says_what_its_tool_does():
    from townhall.shadowit.vendors import lookup_key

    expected = {
        "zoom": "video meetings",
        "webex": "video meetings",
        "gotomeeting": "video meetings",
        "docusign": "e-signature",
        "jotform": "online forms",
        "formstack": "online forms",
        "dropbox": "file sharing",
        "box": "file sharing",
        "smartsheet": "project management",
        "asana": "project management",
        "trello": "project management",
        "monday com": "project management",
        "canva": "design",
        "surveymonkey": "surveys",
        "survey123": "maps and GIS",
        "mailchimp": "email newsletters",
        "constant contact": "email newsletters",
        "squarespace": "web hosting",
        "wix": "web hosting",
        "godaddy": "domain names",
        "namecheap": "domain names",
        "lastpass": "password manager",
        "1password": "password manager",
        "quickbooks": "accounting",
        "calendly": "scheduling",
        "slack": "team chat",
        "aws": "cloud computing",
        "google workspace": "office suite",
        # Vendors whose products span many kinds say nothing.
        "microsoft": "",
        "adobe": "",
        "cdw": "",
    }
    assert {key: lookup_key(key).kind for key in expected} == expected
    kinds = {v.kind for v in reference().vendors.values()}
    assert all(k == k.strip() and len(k) <= 60 for k in kinds)  # fits Merchant.tool_kind
