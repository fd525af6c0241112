"""The brief's asks follow from the figures, most pressing first, each with its reason."""

from decimal import Decimal

from townhall.cyber.asks import Figures, asks, headline


def test_nothing_to_ask_when_all_is_well():
    assert asks(Figures(training_percent=97.0)) == []


def test_exposure_comes_first_and_names_its_figures():
    found = asks(
        Figures(
            areas_below_target=["Govern", "Identify"],
            plan_cost=Decimal("125000"),
            ransomware_exposures=2,
            overdue_exposures=3,
            uncovered_functions=["Penetration testing"],
        )
    )
    assert "patching" in found[0].text
    assert "2 used in ransomware attacks; 3 past the federal due date" in found[0].why
    assert "Nobody performs Penetration testing." == found[1].why
    assert "2 of our areas are below 5: Govern, Identify." in found[2].why
    assert "$125,000" in found[2].why


def test_training_below_goal_names_the_lowest_departments():
    (ask,) = asks(Figures(training_percent=81.4, lowest_departments=["Parks", "Library"]))
    assert ask.why == "81% of staff are current; the goal is 95%. Lowest: Parks, Library."


def test_at_most_limit_asks():
    many = Figures(
        areas_below_target=["Govern"],
        ransomware_exposures=1,
        uncovered_functions=["a", "b", "c", "d"],
        training_percent=50,
        insurance_gaps=2,
        acceptances_ending=1,
        end_of_life_items=4,
    )
    assert len(asks(many)) == 4
    assert len(asks(many, limit=10)) == 7
    assert "and 1 more" in asks(many)[1].why


def test_headline_reads_the_trend():
    assert headline(None, 5, None).startswith("We have not yet scored")
    assert headline(4.26, 5, 3.9) == (
        "Our cyber defences score 4.3 on the national 1–7 scale, below the recommended "
        "minimum of 5, up 0.4 from last year."
    )
    assert headline(5.0, 5, 5.04).endswith(
        "meeting the recommended minimum of 5, the same as last year."
    )
    assert headline(4.0, 5, 4.5).endswith("down 0.5 from last year.")


def test_headline_says_when_the_assessment_is_unfinished():
    assert headline(4.4, 5, 3.7, answered=80, total=106).endswith(
        "up 0.7 from last year. This year's assessment is in progress: 80 of 106 items answered."
    )
    assert "in progress" not in headline(4.4, 5, 3.7, answered=106, total=106)
