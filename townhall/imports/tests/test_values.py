"""Cell values as cities type them: each parses, or fails with a reason."""

import datetime
import subprocess
import sys
from decimal import Decimal

import pytest

from townhall.imports import values
from townhall.imports.values import ValueProblem


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("3/14/2025", datetime.date(2025, 3, 14)),
        ("03/04/25", datetime.date(2025, 3, 4)),
        ("2025-03-14", datetime.date(2025, 3, 14)),
        ("2025-03-14 00:00:00", datetime.date(2025, 3, 14)),
        ("3/14/2025 10:22 AM", datetime.date(2025, 3, 14)),
        ("03/14/2025 17:05:59", datetime.date(2025, 3, 14)),
        ("2025-03-14T10:22:05Z", datetime.date(2025, 3, 14)),
        ("2025-03-14 10:22:05+02:00", datetime.date(2025, 3, 14)),
        ("45000", datetime.date(2023, 3, 15)),
        (45000, datetime.date(2023, 3, 15)),
        (45000.0, datetime.date(2023, 3, 15)),
        (datetime.datetime(2024, 2, 29, 0, 0), datetime.date(2024, 2, 29)),
        (datetime.date(2024, 2, 29), datetime.date(2024, 2, 29)),
        (" 12/31/2026 ", datetime.date(2026, 12, 31)),
        ("", None),
        (None, None),
    ],
)
def test_dates(raw, expected):
    assert values.date(raw) == expected


@pytest.mark.parametrize(
    "raw, reason",
    [
        ("14/3/2025", "not a real date"),
        ("2025-02-30", "not a real date"),
        ("2/30/2025 9:00 AM", "not a real date"),
        ("3/14/2025 at noon", "not a date"),
        ("next March", "not a date: write it as 3/14/2025 or 2025-03-14"),
        (-5, "outside the range of Excel dates"),
    ],
)
def test_bad_dates_say_why(raw, reason):
    with pytest.raises(ValueProblem, match=reason):
        values.date(raw)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("$1,200.50", Decimal("1200.50")),
        ("(1,200.00)", Decimal("-1200.00")),
        ("-5", Decimal("-5")),
        (" 12000 ", Decimal("12000")),
        ("$ 3", Decimal("3")),
        (99.5, Decimal("99.5")),
        ("", None),
    ],
)
def test_money(raw, expected):
    assert values.money(raw) == expected


def test_bad_money_says_why():
    with pytest.raises(ValueProblem, match="not an amount of money"):
        values.money("about 100")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("yes", True), ("Y", True), ("TRUE", True), ("1", True), (1, True), ("x", True),
        ("no", False), ("n", False), ("FALSE", False), ("0", False), (False, False),
        (" ", None),
    ],
)  # fmt: skip
def test_booleans(raw, expected):
    assert values.boolean(raw) is expected


def test_bad_boolean_says_why():
    with pytest.raises(ValueProblem, match="not yes or no"):
        values.boolean("maybe")


def test_text_trims_and_undoes_formula_guard():
    assert values.text("Payroll   ") == "Payroll"
    assert values.text("'=SUM(A1)") == "=SUM(A1)"
    assert values.text("'quoted") == "'quoted"
    assert values.text(1234.0) == "1234"


def test_whole_numbers():
    assert values.whole_number("1,200") == 1200
    assert values.whole_number(12.0) == 12
    with pytest.raises(ValueProblem, match="not a whole number"):
        values.whole_number("12.5")


def test_choices_by_value_or_label():
    choices = [("on_premises", "On premises"), ("saas", "SaaS")]
    assert values.choice("SaaS", choices) == "saas"
    assert values.choice("on-premises", choices) == "on_premises"
    assert values.choice("ON_PREMISES", choices) == "on_premises"
    with pytest.raises(ValueProblem, match="not one of: On premises, SaaS"):
        values.choice("mainframe", choices)


def test_pure_modules_import_no_django():
    code = (
        "import sys; import townhall.imports.parsing, townhall.imports.values, "
        "townhall.imports.mapping; print(any(m.startswith('django') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
