"""Installed version against a CVE record's affected versions: hand-worked cases."""

import pytest

from townhall.cyber import versions as v
from townhall.cyber.versions import AffectedEntry, VersionEntry


def entry(*ranges: VersionEntry, default: str = "unaffected", product: str = "FortiOS"):
    return AffectedEntry("Fortinet", product, default, tuple(ranges))


@pytest.mark.parametrize(
    ("a", "b", "order"),
    [
        ("10.2.1", "10.2.5", -1),
        ("10.2", "10.2.0", 0),
        ("v7.0.12", "7.0.9", 1),
        ("2.4.58-rc1", "2.4.58", -1),
        ("2.4.58-beta2", "2.4.58-rc1", -1),
        ("9.1 sp2", "9.1 sp1", 1),
        ("9.1-p3", "9.1", 1),
        ("7.0.3-build1234", "7.0.4", -1),  # a suffix never lifts past the next number
        ("7.0.3-mystery", "7.0.3", None),  # same numbers, unknown suffix: cannot tell
        ("10.2-foo", "10.2.1", None),  # the difference lies in a missing part
        ("9.1 sp2", "9.1 update 3", None),  # two kinds of later build
        ("1.0+build5", "1.0", 0),
    ],
)
def test_compare(a: str, b: str, order: int | None) -> None:
    pa, pb = v.parse(a), v.parse(b)
    assert pa is not None and pb is not None
    assert v.compare(pa, pb) == order


def test_parse_refuses_what_is_no_version() -> None:
    assert v.parse("latest") is None
    assert v.parse("") is None


def test_less_than() -> None:
    e = entry(VersionEntry("10.0", "affected", less_than="10.2.5"))
    verdict = v.classify("10.2.1", [e])
    assert verdict == v.Verdict(v.AFFECTED, "installed 10.2.1; affected from 10.0 below 10.2.5")
    assert v.classify("10.2.5", [e]).status == v.NOT_AFFECTED
    assert v.classify("9.9", [e]).status == v.NOT_AFFECTED


def test_less_than_or_equal() -> None:
    e = entry(VersionEntry("0", "affected", less_than_or_equal="7.0.12"))
    assert v.classify("7.0.12", [e]).status == v.AFFECTED
    assert v.classify("7.0.12", [e]).reason == "installed 7.0.12; affected up to 7.0.12"
    assert v.classify("7.0.13", [e]).status == v.NOT_AFFECTED


def test_exact_version() -> None:
    e = entry(VersionEntry("6.4.2", "affected"))
    assert v.classify("6.4.2", [e]).status == v.AFFECTED
    assert v.classify("6.4.3", [e]).status == v.NOT_AFFECTED


def test_wildcards() -> None:
    branch = entry(VersionEntry("5.0", "affected", less_than="5.*"))
    assert v.classify("5.9.30", [branch]).status == v.AFFECTED
    assert v.classify("6.0", [branch]).status == v.NOT_AFFECTED
    assert v.classify("6.0", [branch]).reason == (
        "installed 6.0; not among the affected versions (affected from 5.0 through 5.x)"
    )
    open_ended = entry(VersionEntry("2.0", "affected", less_than="*"))
    assert v.classify("31.4", [open_ended]).status == v.AFFECTED
    assert v.classify("1.9", [open_ended]).status == v.NOT_AFFECTED
    exact_branch = entry(VersionEntry("10.2.*", "affected"))
    assert v.classify("10.2.7", [exact_branch]).status == v.AFFECTED
    assert v.classify("10.3", [exact_branch]).status == v.NOT_AFFECTED


def test_unaffected_status_and_default_affected() -> None:
    # Every version affected, except from the fix on.
    e = entry(VersionEntry("8.1.4", "unaffected", less_than="*"), default="affected")
    assert v.classify("8.1.3", [e]).status == v.AFFECTED
    verdict = v.classify("8.1.4", [e])
    assert verdict.status == v.NOT_AFFECTED
    assert verdict.reason == "installed 8.1.4; not affected from 8.1.4 on"


def test_outside_ranges_with_unknown_default_is_unknown() -> None:
    e = entry(VersionEntry("1.0", "affected", less_than="1.5"), default="unknown")
    assert v.classify("2.0", [e]).status == v.UNKNOWN


def test_unknown_installed_version() -> None:
    e = entry(VersionEntry("1.0", "affected", less_than="1.5"))
    assert v.classify("", [e]) == v.Verdict(v.UNKNOWN, "no installed version recorded")
    assert v.classify("latest", [e]).status == v.UNKNOWN
    assert v.classify("1.2", []).status == v.UNKNOWN  # no affected data
    # Not comparable: an unknown suffix on the fix's own numbers.
    assert v.classify("1.5-custom", [e]).status == v.UNKNOWN
    git = entry(VersionEntry("abc123", "affected", less_than="def456", version_type="git"))
    assert v.classify("1.2", [git]).status == v.UNKNOWN


def test_product_entries_are_chosen_by_name() -> None:
    ios = entry(VersionEntry("0", "affected", less_than="17.9"), product="IOS XE")
    asa = entry(
        VersionEntry("0", "affected", less_than="9.20"), product="Adaptive Security Appliance"
    )
    assert v.classify("17.3", [asa, ios], ["IOS XE Software"]).status == v.AFFECTED
    assert v.classify("17.3", [asa, ios], ["Firepower"]).status == v.UNKNOWN


def test_cna_and_adp_together() -> None:
    cna = entry(VersionEntry("1.0", "affected", less_than="1.5"), default="unknown")
    adp = entry(VersionEntry("1.0", "affected", less_than="2.1"), default="unknown")
    assert v.classify("2.0", [cna, adp]).status == v.AFFECTED
    fixed = entry(VersionEntry("2.1", "unaffected"), default="unknown")
    assert v.classify("2.1", [cna, fixed]).status == v.NOT_AFFECTED
