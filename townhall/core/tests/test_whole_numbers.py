"""Numbers typed in addresses and forms: a superscript digit or a number too long for the
database is not a number, and never a server error."""

import pytest

from townhall.core.http import whole_number


def test_only_ascii_digits_of_a_bounded_length_are_whole_numbers():
    assert whole_number("42") == 42
    assert whole_number(7) == 7
    for raw in ("²", "4²", "١٢", "", None, "-1", " 4", "4.0", "9" * 19):
        assert whole_number(raw) is None, raw
    assert whole_number("2026", 4) == 2026 and whole_number("20260", 4) is None


@pytest.mark.parametrize(
    "address",
    [
        "/foundation/forecast/propose/?year=²",  # answered 500 before
        "/foundation/forecast/propose/?year=" + "9" * 30,
        "/people/capacity/?cycle=²",
    ],
)
def test_pages_read_a_superscript_digit_as_no_number(client_for, address):
    answer = client_for("admin").get(address)
    assert answer.status_code < 500, address
