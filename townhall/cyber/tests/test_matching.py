"""Matching estate items to the feeds, on small hand-made cases whose answers are worked out
by hand: names, aliases, generic KEV entries, release cycles, and what matched nothing."""

import datetime

import pytest

from townhall.cyber import matching as mt
from townhall.cyber.eol import EolRelease
from townhall.cyber.kev import KevEntry

D = datetime.date
TODAY = D(2026, 1, 1)


def entry(cve: str, vendor: str, product: str, **values) -> KevEntry:
    return KevEntry(cve, vendor, product, **values)


KEV = [
    entry("CVE-1", "Microsoft", "Windows", ransomware=True, due_date=D(2024, 3, 1)),
    entry("CVE-2", "Microsoft", "Exchange Server", due_date=D(2023, 1, 1)),
    entry("CVE-3", "Fortinet", "FortiOS", due_date=D(2024, 2, 16)),
    entry("CVE-4", "Palo Alto Networks", "PAN-OS"),
    entry("CVE-5", "Apple", "iOS, iPadOS, and macOS"),
    entry("CVE-6", "Cisco", "Adaptive Security Appliance (ASA)"),
    entry(
        "CVE-7",
        "Ivanti",
        "Multiple Products",
        name="Ivanti Multiple Products Authentication Bypass",
        short_description="Ivanti Connect Secure and Policy Secure let an attacker in.",
    ),
    entry("CVE-8", "Hewlett Packard Enterprise (HPE)", "OneView"),
    entry("CVE-9", "Apache", "Tomcat"),
    entry("CVE-10", "Acme", "Widget Server"),
]
RELEASES = [
    EolRelease("windows-server", "2019", end_of_life=D(2029, 1, 9)),
    EolRelease("windows-server", "2012-r2", end_of_life=D(2023, 10, 10)),
    EolRelease("mssqlserver", "2014", end_of_life=D(2024, 7, 9)),
    EolRelease("fortios", "7.2", end_of_life=D(2026, 3, 31)),
    EolRelease("fortios", "7", end_of_life_flag=True),
    EolRelease("widget-os", "2019", end_of_life=D(2030, 1, 1)),
    EolRelease("widget-os", "2019.3", end_of_life=D(2025, 1, 1)),
    EolRelease("widget-os", "7", end_of_life=D(2020, 1, 1)),
    EolRelease("widget-os", "8", end_of_life_flag=False),
    EolRelease("widget-os", "9"),
]
LABELS = {"mssqlserver": "Microsoft SQL Server", "windows-server": "Windows Server"}


def matcher(*aliases: mt.Alias, **options) -> mt.Matcher:
    return mt.Matcher(KEV, RELEASES, aliases, labels=LABELS, today=TODAY, **options)


def kev_of(m: mt.Matcher, vendor: str, product: str, **values) -> list[str]:
    outcome = m.outcome(mt.Item(1, vendor, product, **values))
    return [e.cve_id for e, _ in outcome.kev]


def cycle_of(m: mt.Matcher, vendor: str, product: str, version: str = "") -> str | None:
    found = m.outcome(mt.Item(1, vendor, product, version)).eol
    return found[0].cycle if found else None


# --- names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, key",
    [
        ("Microsoft Corporation", "microsoft"),
        ("Fortinet, Inc.", "fortinet"),
        ("The Acme Company, L.L.C.", "acme"),
        ("Radio Co.", "radio"),
        ("  Palo Alto Networks  ", "palo alto networks"),
        ("Ironbark Hardware (fictional)", "ironbark hardware"),
        ("Société Générale S.A.", "societe generale"),
        ("AT&T", "at and t"),
        ("Inc.", "inc"),  # a name that is only a suffix stays itself
    ],
)
def test_vendor_keys(name, key):
    assert mt.vendor_key(name) == key


def test_bracketed_initials_are_a_second_name_other_brackets_are_dropped():
    assert mt.vendor_keys("Hewlett Packard Enterprise (HPE)") == (
        "hewlett packard enterprise",
        "hpe",
    )
    assert mt.names("Cisco Adaptive Security Appliance (ASA) Software") == (
        ("cisco", "adaptive", "security", "appliance", "software"),
        ("cisco", "asa", "software"),
    )
    assert mt.names("Beacon Permitting (Quillfeather)") == (("beacon", "permitting"),)


@pytest.mark.parametrize(
    "text, parts",
    [
        ("7.2.5", ("7", "2", "5")),
        ("v7.02", ("7", "2")),
        ("2012 R2", ("2012", "r", "2")),
        ("2012-r2", ("2012", "r", "2")),
        ("22.04 LTS", ("22", "4", "lts")),
    ],
)
def test_version_parts(text, parts):
    assert mt.version_parts(text) == parts


# --- KEV: vendors ------------------------------------------------------------------------


def test_vendor_and_product_after_normalising():
    m = matcher()
    assert kev_of(m, "Fortinet, Inc.", "FortiOS") == ["CVE-3"]
    assert kev_of(m, "FORTINET", "fortios 7.2.5") == ["CVE-3"]
    assert kev_of(m, "Microsoft Corporation", "Exchange Server 2019 CU14") == ["CVE-2"]
    # KEV names "Windows": it is in "Windows Server 2022".
    assert kev_of(m, "Microsoft", "Windows Server 2022") == ["CVE-1"]
    # Punctuation and spaces do not count: PANOS is PAN-OS.
    assert kev_of(m, "Palo Alto Networks", "PANOS") == ["CVE-4"]
    # A list of products is split: macOS alone matches.
    assert kev_of(m, "Apple Inc.", "macOS Sonoma") == ["CVE-5"]
    # The abbreviation in brackets: ASA.
    assert kev_of(m, "Cisco", "ASA 5516-X") == ["CVE-6"]


def test_no_match_across_vendors():
    m = matcher()
    assert kev_of(m, "Acme Corp", "Windows Server") == []  # Windows is Microsoft's
    assert kev_of(m, "Fortinet", "Exchange Server") == []
    assert kev_of(m, "", "FortiOS") == []  # no vendor, no alias: not guessed
    assert kev_of(m, "Microsoft", "Window") == []  # whole words only
    assert kev_of(m, "Acme", "Widget") == []  # "Widget Server" is not in "Widget"


def test_vendor_ways():
    m = matcher()
    # Trailing generic words dropped on both sides when the exact name fails.
    outcome = m.outcome(mt.Item(1, "Cisco Systems", "ASA"))
    assert [e.cve_id for e, _ in outcome.kev] == ["CVE-6"]
    assert outcome.kev[0][1].startswith("vendor “Cisco Systems” taken as “Cisco”")
    # The bracketed abbreviation of a KEV vendor.
    assert kev_of(m, "HPE", "OneView 8.1") == ["CVE-8"]
    # A vendor's other spellings (the estate's Vendor.aliases).
    assert kev_of(m, "Redmond Software House", "Exchange Server") == []
    assert kev_of(m, "Redmond Software House", "Exchange Server", vendor_aliases=("MSFT",)) == [
        "CVE-2"
    ]  # MSFT is a built-in alias of Microsoft
    assert kev_of(matcher(builtin_aliases=False), "MSFT", "Exchange Server") == []
    # A vendor named at the start of the product.
    assert kev_of(m, "", "Apache Tomcat 9") == ["CVE-9"]
    assert kev_of(m, "Dell", "Microsoft Exchange Server") == ["CVE-2"]


def test_alias_table():
    vendor = mt.Alias("vendor", "Redmond Software House", feed_vendor="Microsoft")
    product = mt.Alias("product", "Win Srv", feed_vendor="Microsoft", feed_product="Windows")
    m = matcher(vendor, product)
    outcome = m.outcome(mt.Item(1, "Redmond Software House, Inc.", "Exchange Server"))
    assert [e.cve_id for e, _ in outcome.kev] == ["CVE-2"]
    assert outcome.kev[0][1] == (
        "vendor “Redmond Software House, Inc.” via the alias table → “Microsoft” + product "
        "“Exchange Server” matches KEV “Microsoft Exchange Server”"
    )
    # A product alias names the vendor and the KEV product; a version after it still counts.
    outcome = m.outcome(mt.Item(1, "Dell", "Win Srv 2016", what="OS or firmware"))
    assert [e.cve_id for e, _ in outcome.kev] == ["CVE-1"]
    assert "via the alias table → “Windows”" in outcome.kev[0][1]
    assert kev_of(m, "Dell", "Win") == []


# --- KEV: generic entries ----------------------------------------------------------------


def test_multiple_products_match_only_what_they_name():
    m = matcher()
    # Named in the entry's description: matches, and says so.
    outcome = m.outcome(mt.Item(1, "Ivanti", "Connect Secure", "22.7"))
    assert [e.cve_id for e, _ in outcome.kev] == ["CVE-7"]
    assert "named in the entry's description" in outcome.kev[0][1]
    # Another product of the same vendor: no match.
    assert kev_of(m, "Ivanti", "Endpoint Manager Mobile") == []
    # A generic word alone is not enough, even where the description has it.
    assert kev_of(m, "Ivanti", "Secure") == []
    # Nor does the generic entry match a vendor's every product through an alias…
    assert kev_of(matcher(mt.Alias("product", "EPMM", feed_product="EPMM")), "Ivanti", "EPMM") == []
    # …only through one naming that generic product explicitly.
    explicit = matcher(mt.Alias("product", "EPMM", feed_product="Multiple Products"))
    outcome = explicit.outcome(mt.Item(1, "Ivanti", "EPMM"))
    assert [e.cve_id for e, _ in outcome.kev] == ["CVE-7"]
    assert "via the alias table → “Multiple Products”" in outcome.kev[0][1]


# --- end of life -------------------------------------------------------------------------


def test_longest_prefix_cycle():
    m = matcher()
    assert cycle_of(m, "Acme", "Widget OS", "2019.3.1") == "2019.3"
    assert cycle_of(m, "Acme", "Widget OS", "2019.30") == "2019"  # 30 is not 3
    assert cycle_of(m, "Acme", "Widget OS", "2019") == "2019"
    assert cycle_of(m, "Acme", "Widget OS", "7.4") == "7"
    assert cycle_of(m, "Acme", "Widget OS", "70.1") is None  # 70 is not 7
    assert cycle_of(m, "Acme", "Widget-OS", "v8.1") == "8"
    assert cycle_of(m, "Fortinet", "FortiOS", "7.2.5") == "7.2"
    assert cycle_of(m, "Fortinet", "FortiOS", "7.0.12") == "7"


def test_product_found_by_key_label_and_vendor():
    m = matcher()
    assert cycle_of(m, "Microsoft", "Windows Server", "2012 R2") == "2012-r2"
    assert cycle_of(m, "Microsoft", "SQL Server", "2014 SP3") == "2014"  # vendor + product
    assert cycle_of(m, "", "Microsoft SQL Server", "2014") == "2014"  # the label
    # The version in the product's name counts when the version field fits no cycle…
    assert cycle_of(m, "Microsoft", "Windows Server 2019", "10.0.17763") == "2019"
    # …but build numbers are not translated.
    assert cycle_of(m, "Microsoft", "Windows Server", "10.0.17763") is None


def test_eol_alias():
    m = matcher(mt.Alias("product", "WinSrv", eol_product="windows-server"))
    found = m.outcome(mt.Item(1, "Microsoft", "WinSrv", "2019")).eol
    assert found[0].cycle == "2019"
    assert found[1] == (
        "“WinSrv” via the alias table → “windows-server”, version “2019” → cycle “2019”"
    )


@pytest.mark.parametrize(
    "version, state",
    [
        ("2012 R2", mt.ENDED),  # 2023-10-10 passed
        ("2019", mt.SUPPORTED),  # 2029
    ],
)
def test_eol_states(version, state):
    found = matcher().outcome(mt.Item(1, "Microsoft", "Windows Server", version)).eol
    assert found[2] == state


def test_eol_state_rules():
    release = EolRelease("x", "1", end_of_life=D(2026, 3, 1))
    assert mt.eol_state(release, D(2026, 3, 1), 0) == mt.ENDED  # the day itself
    assert mt.eol_state(release, D(2026, 1, 1), 60) == mt.ENDING  # 59 days ahead
    assert mt.eol_state(release, D(2026, 1, 1), 58) == mt.SUPPORTED
    assert mt.eol_state(EolRelease("x", "1", end_of_life_flag=True), TODAY, 0) == mt.ENDED
    assert mt.eol_state(EolRelease("x", "1", end_of_life_flag=False), TODAY, 0) == mt.SUPPORTED
    assert mt.eol_state(EolRelease("x", "1"), TODAY, 0) == mt.UNKNOWN


# --- the whole estate --------------------------------------------------------------------


def test_run_lists_matches_in_priority_order_and_what_matched_nothing():
    items = [
        mt.Item(("system", 1), "Microsoft", "Windows Server 2012 R2"),
        mt.Item(("component", 2), "Fortinet", "FortiOS", "7.2.1", what="OS or firmware"),
        mt.Item(("component", 3), "Quillfeather", "Beacon Permitting", "4.1"),
        mt.Item(("component", 4), "Quillfeather", "Beacon Permitting", "4.1"),
        mt.Item(("component", 5), "Fortinet", "FortiGate 60F", what="model"),
        mt.Item(("system", 6), "Microsoft", "Windows Server", "10.0.17763"),
        mt.Item(("system", 7), "Microsoft", "Windows Server"),
    ]
    result = matcher().run(items)
    matches = sorted(result.matches(), key=mt.priority)
    found = [
        (x.ref, x.kind, x.record.cve_id if x.kind == "kev" else x.record.cycle) for x in matches
    ]
    assert found == [
        (("system", 1), "kev", "CVE-1"),  # ransomware first
        (("system", 6), "kev", "CVE-1"),
        (("system", 7), "kev", "CVE-1"),
        (("system", 1), "eol", "2012-r2"),  # then by due date: ended 2023-10-10
        (("component", 2), "kev", "CVE-3"),  # due 2024-02-16
        (("component", 2), "eol", "7.2"),  # ending 2026-03-31
    ]
    assert matches[3].state == mt.ENDED and matches[5].state == mt.ENDING
    unmatched = [(u.vendor, u.product, u.versions, u.count, u.reason) for u in result.unmatched]
    assert unmatched == [
        ("Quillfeather", "Beacon Permitting", ("4.1",), 2, "unknown"),
        ("Fortinet", "FortiGate", ("60F",), 1, "vendor_only"),  # the model's number apart
    ]
    assert result.unmatched[0].refs == (("component", 3), ("component", 4))
    # Items with a matched KEV product are matched even when no cycle was found: system 6
    # (Windows Server 10.0.17763) is not listed.


def test_unmatched_reasons_for_end_of_life():
    m = mt.Matcher([], RELEASES, labels=LABELS, today=TODAY)
    result = m.run(
        [
            mt.Item(1, "Microsoft", "Windows Server", "10.0.17763"),
            mt.Item(2, "Microsoft", "Windows Server"),
        ]
    )
    reasons = {u.refs[0]: u for u in result.unmatched}
    assert reasons[1].reason == "no_cycle"
    assert "version “10.0.17763” fits none of its release cycles" in reasons[1].explanation
    assert reasons[2].reason == "no_version"


def test_unmatched_models_are_grouped_with_their_versions():
    m = mt.Matcher(KEV, [], today=TODAY)
    items = [
        mt.Item(n, "Ironbark Hardware (fictional)", f"NET-{n}", what="model")
        for n in (300, 120, 120, 99)
    ]
    items.append(mt.Item(5, "Ironbark Hardware (fictional)", "Basalt OS", "2019"))
    result = m.run(items)
    assert [(u.product, u.versions, u.count) for u in result.unmatched] == [
        ("NET", ("99", "120", "300"), 4),
        ("Basalt OS", ("2019",), 1),
    ]
    # An alias for the grouped name covers every model in the group.
    alias = mt.Alias("product", "NET", feed_vendor="Acme", feed_product="Widget Server")
    aliased = mt.Matcher(KEV, [], [alias], today=TODAY)
    assert kev_of(aliased, "Ironbark", "NET-120") == ["CVE-10"]


@pytest.mark.parametrize(
    "text, parts",
    [
        ("Windows Server 2012 R2", ("Windows Server", "2012 R2")),
        ("NET-123", ("NET", "123")),
        ("FortiGate 60F", ("FortiGate", "60F")),
        ("Beacon Permitting (Quillfeather)", ("Beacon Permitting (Quillfeather)", "")),
        ("2019", ("2019", "")),
    ],
)
def test_split_product(text, parts):
    assert mt.split_product(text) == parts


@pytest.mark.parametrize(
    "words, expected",
    [
        (("dir", "859"), True),
        (("connect", "secure"), True),
        (("oneview",), True),
        (("secure",), False),
        (("router",), False),
        (("web", "server"), False),
        (("ab",), False),
    ],
)
def test_distinctive_names(words, expected):
    assert mt.distinctive(words) is expected


def test_each_combination_is_matched_once():
    m = matcher()
    first = m.outcome(mt.Item(1, "Fortinet", "FortiOS", "7.2"))
    again = m.outcome(mt.Item(2, "Fortinet", "FortiOS", "7.2"))
    assert first is again
    assert m.outcome(mt.Item(3, "Fortinet", "FortiOS", "7.4")) is not first
