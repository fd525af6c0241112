"""Recurring charges found in hand-made series."""

import datetime
from decimal import Decimal

from townhall.shadowit.subscriptions import Charge, add_months, detect

D = datetime.date
TODAY = D(2026, 3, 10)


def monthly(start, count, amount, department="IT", skip=()):
    return [
        Charge(add_months(start, i), Decimal(amount), department)
        for i in range(count)
        if i not in skip
    ]


def test_monthly_series():
    [sub] = detect(monthly(D(2025, 4, 3), 12, "49.00"), TODAY)
    assert sub.cadence == "monthly"
    assert sub.typical_amount == Decimal("49.00")
    assert sub.last_charge == D(2026, 3, 3)
    assert sub.next_expected == D(2026, 4, 3)
    assert sub.annual_cost == Decimal("588.00")
    assert not sub.lapsed
    assert len(sub.charges) == 12
    assert "Charged monthly 12 times" in sub.why
    assert "Next charge expected about 2026-04-03" in sub.why


def test_end_of_month_and_small_amount_changes():
    charges = [
        Charge(D(2025, 10, 31), Decimal("20.00")),
        Charge(D(2025, 11, 30), Decimal("20.40")),  # tax or currency rounding
        Charge(D(2025, 12, 31), Decimal("19.80")),
        Charge(D(2026, 1, 31), Decimal("20.00")),
        Charge(D(2026, 2, 28), Decimal("20.00")),
    ]
    [sub] = detect(charges, TODAY)
    assert sub.typical_amount == Decimal("20.00")
    assert sub.next_expected == D(2026, 3, 28)
    assert not sub.price_changes


def test_noise_stays_out():
    charges = monthly(D(2025, 6, 15), 9, "15.00") + [
        Charge(D(2025, 8, 2), Decimal("230.00"), "IT"),  # a one-off purchase
        Charge(D(2025, 9, 20), Decimal("15.00"), "IT"),  # same amount, off the rhythm
        Charge(D(2025, 11, 9), Decimal("7.99"), "IT"),
    ]
    [sub] = detect(charges, TODAY)
    assert len(sub.charges) == 9
    assert all(c.amount == Decimal("15.00") for c in sub.charges)
    assert D(2025, 9, 20) not in {c.date for c in sub.charges}


def test_a_price_increase_that_holds():
    charges = monthly(D(2025, 3, 1), 6, "100.00") + monthly(D(2025, 9, 1), 6, "125.00")
    [sub] = detect(charges, TODAY)
    assert len(sub.charges) == 12
    assert sub.typical_amount == Decimal("125.00")
    assert sub.annual_cost == Decimal("1500.00")
    assert sub.price_changes == ((D(2025, 9, 1), Decimal("100.00"), Decimal("125.00")),)
    assert "it was 100.00 until 2025-09-01, then 125.00" in sub.why


def test_a_lone_different_amount_does_not_continue_the_series():
    charges = monthly(D(2025, 9, 1), 4, "100.00") + [
        Charge(D(2026, 1, 1), Decimal("300.00"), "IT"),
        Charge(D(2026, 2, 1), Decimal("100.00"), "IT"),
    ]
    [sub] = detect(charges, TODAY)
    assert D(2026, 1, 1) not in {c.date for c in sub.charges}
    assert sub.last_charge == D(2026, 2, 1)  # reached over the missing month
    assert sub.missed == 1


def test_a_missed_month():
    [sub] = detect(monthly(D(2025, 5, 10), 10, "30.00", skip={4}), TODAY)
    assert len(sub.charges) == 9
    assert sub.missed == 1
    assert "1 expected charge was missing" in sub.why


def test_two_departments_are_two_subscriptions():
    charges = monthly(D(2025, 9, 5), 6, "16.00", "Parks") + monthly(
        D(2025, 10, 12), 5, "16.00", "Library"
    )
    subs = detect(charges, TODAY)
    assert [(s.department, len(s.charges)) for s in subs] == [("Library", 5), ("Parks", 6)]


def test_two_plans_in_one_department():
    charges = monthly(D(2025, 9, 5), 6, "16.00") + monthly(D(2025, 9, 20), 6, "240.00")
    subs = detect(charges, TODAY)
    assert sorted(s.typical_amount for s in subs) == [Decimal("16.00"), Decimal("240.00")]


def test_quarterly_and_yearly():
    quarterly = [Charge(add_months(D(2025, 1, 15), 3 * i), Decimal("450.00")) for i in range(4)]
    [sub] = detect(quarterly, TODAY)
    assert (sub.cadence, sub.annual_cost, sub.next_expected) == (
        "quarterly",
        Decimal("1800.00"),
        D(2026, 1, 15),
    )
    yearly = [Charge(D(2024, 7, 1), Decimal("1200.00")), Charge(D(2025, 6, 28), Decimal("1260"))]
    [sub] = detect(yearly, TODAY)
    assert sub.cadence == "yearly"
    assert sub.next_expected == D(2026, 6, 28)
    # Within the tolerance: one price, the median of the two.
    assert sub.annual_cost == Decimal("1230.00")


def test_lapsed():
    [sub] = detect(monthly(D(2025, 1, 3), 6, "49.00"), TODAY)
    assert sub.last_charge == D(2025, 6, 3)
    assert sub.lapsed
    assert "has probably been cancelled" in sub.why
    # Within the grace period it has not lapsed yet.
    [sub] = detect(monthly(D(2025, 9, 3), 6, "49.00"), D(2026, 3, 15))
    assert not sub.lapsed


def test_too_few_or_irregular_charges_are_not_a_subscription():
    assert detect(monthly(D(2025, 9, 1), 2, "10.00"), TODAY) == []
    irregular = [
        Charge(D(2025, 1, 1) + datetime.timedelta(days=d), Decimal("10"))
        for d in (0, 12, 50, 61, 140)
    ]
    assert detect(irregular, TODAY) == []
    assert detect([], TODAY) == []
    refunds = [Charge(c.date, -c.amount) for c in monthly(D(2025, 9, 1), 5, "10.00")]
    assert detect(refunds, TODAY) == []


def test_add_months_keeps_the_day_where_it_can():
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2025, 11, 15), 3) == D(2026, 2, 15)
    assert add_months(D(2025, 12, 1), 12) == D(2026, 12, 1)


def _busy_department(count: int, seed: int = 3) -> list[Charge]:
    """A merchant one department buys from every day or so (a marketplace, a cafe), at
    amounts of all sizes, with one real monthly plan among its charges."""
    import random

    rng = random.Random(seed)
    start = D(2025, 1, 1)
    charges = [
        Charge(
            start + datetime.timedelta(days=rng.randrange(365)),
            Decimal(f"{rng.uniform(5, 500):.2f}"),
            "PW",
        )
        for _ in range(count)
    ]
    return charges + monthly(D(2025, 1, 7), 12, "29.99", "PW")


def test_a_merchant_charged_thousands_of_times_in_one_department_is_searched_near_linearly():
    from townhall.shadowit.subscriptions import Effort

    work = {}
    for count in (2000, 4000):
        effort = Effort()
        found = detect(_busy_department(count), D(2026, 1, 20), effort=effort)
        work[count] = effort.compared
        # The real plan is found whole among the noise.
        plan = [s for s in found if s.typical_amount == Decimal("29.99")]
        assert plan and len(plan[0].charges) >= 12 and plan[0].cadence == "monthly"
    # Comparing every charge with every other would be 2,000,000 comparisons for 2,000
    # charges, and a search repeated after each series found many times that.
    assert work[2000] < 80 * 2000
    # Twice the charges, about twice the work (the windows fill up a little).
    assert work[4000] < 3 * work[2000]


def test_similar_amounts_at_a_busy_merchant_are_not_taken_for_subscriptions():
    """Charges of all sizes nearly every day: some fall a month apart at about the same amount
    by chance. Only the same amount to the cent continues a series there (it was 200 series
    among 2,000 charges when any amount within 10 % did)."""
    for count in (300, 2000):
        found = detect(_busy_department(count, seed=count), D(2026, 1, 20))
        plan = [s for s in found if s.typical_amount == Decimal("29.99")]
        assert plan and len(plan[0].charges) == 12
        assert len(found) <= max(2, count // 300), [str(s.typical_amount) for s in found]
    # A price change that holds still continues a series among the noise.
    noise = _busy_department(2000, seed=5)
    raised = monthly(D(2025, 1, 11), 6, "49.00", "PW") + monthly(D(2025, 7, 11), 6, "54.00", "PW")
    found = detect(noise + raised, D(2026, 1, 20))
    [series] = [s for s in found if s.typical_amount == Decimal("54.00")]
    assert len(series.charges) == 12 and series.price_changes
