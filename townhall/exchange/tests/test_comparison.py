"""The peer comparison on its own: our position against a cohort in both directions, which
cohort is chosen, the words of the gap, and the chart's markup."""

from townhall.exchange import bands, comparison, peer_chart
from townhall.exchange.metrics import BY_KEY

US = bands.profile("county", 150_000, "south", 300_000_000)
KIND_POP = bands.cohort_key({"kind": "county", "population_band": "pop_100k_250k"})
KIND = bands.cohort_key({"kind": "county"})


def stat(metric, cohort=KIND_POP, q1=10.0, median=15.0, q3=20.0, members=14):
    return comparison.Statistic(metric, cohort, bands.cohort_label(cohort), members, q1, median, q3)


def placed(key, value, *stats):
    return comparison.compare([BY_KEY[key]], {key: value}, stats, US)[0]


def test_higher_is_better_places_a_high_value_ahead():
    key = "training_completion_pct"  # higher is better
    assert placed(key, 25, stat(key)).position == "ahead"
    assert placed(key, 15, stat(key)).position == "middle"
    assert placed(key, 20, stat(key)).position == "middle"  # on the quartile: middle half
    assert placed(key, 5, stat(key)).position == "behind"


def test_lower_is_better_places_a_high_value_behind():
    key = "it_vacancy_rate_pct"  # lower is better
    assert placed(key, 25, stat(key)).position == "behind"
    assert placed(key, 5, stat(key)).position == "ahead"


def test_the_gap_is_said_in_the_unit_against_whose_median():
    p = placed("cyber_protect", 3.4, stat("cyber_protect", q1=3.5, median=4.2, q3=4.8))
    assert p.position == "behind"
    assert p.gap == (
        "0.8 points below the median of 14 peers (counties, 100,000 to 249,999 residents)"
    )
    assert placed("it_vacancy_rate_pct", 15, stat("it_vacancy_rate_pct")).gap.startswith(
        "at the median"
    )


def test_the_most_specific_released_cohort_that_holds_us_is_chosen():
    key = "cyber_govern"
    other_kind = bands.cohort_key({"kind": "city"})
    everyone = stat(key, "all", members=90)
    by_kind = stat(key, KIND, members=40)
    budget = stat(key, bands.cohort_key({"budget_band": US["budget_band"]}), members=30)
    assert (
        placed(key, 4, everyone, by_kind, budget, stat(key, KIND_POP)).statistic.cohort == KIND_POP
    )
    # Kind alone comes before budget band, region and population band.
    assert placed(key, 4, everyone, budget, by_kind).statistic.cohort == KIND
    assert placed(key, 4, everyone, budget).statistic == budget
    assert placed(key, 4, stat(key, other_kind)).position == "no_statistics"


def test_the_council_summary_counts_and_names_what_is_behind():
    found = comparison.compare(
        [BY_KEY["cyber_detect"], BY_KEY["cyber_respond"]],
        {"cyber_detect": 1.5},
        [stat("cyber_detect", q1=3, median=4, q3=5)],
        US,
    )
    assert comparison.summary(found) == [
        "Of 1 metric compared with peers, we are ahead of most peers on 0, in the middle half "
        "on 0 and behind most peers on 1.",
        "Cyber maturity: Detect: behind most peers, 2.5 points below the median of 14 peers "
        "(counties, 100,000 to 249,999 residents).",
        "1 metric could not be compared: we have no value or no peer figures.",
    ]


def test_metrics_without_our_value_or_statistics_say_so():
    found = comparison.compare(
        [BY_KEY["cyber_detect"], BY_KEY["cyber_respond"]],
        {"cyber_respond": 4.0},
        [stat("cyber_detect")],
        US,
    )
    assert [p.position for p in found] == ["no_value", "no_statistics"]
    assert "not submitted" in found[0].sentence and "no peer statistics" in found[1].sentence
    assert comparison.summary(found) == ["No metric can be compared with peers yet for this year."]


def test_the_chart_carries_a_title_and_escapes_what_it_writes():
    hostile = comparison.Statistic("cyber_detect", KIND_POP, "<script>x</script>", 9, 3, 4, 5)
    p = placed("cyber_detect", 2.5, hostile)
    markup = peer_chart.svg(p, 'c"1')
    assert markup.startswith("<svg") and 'aria-labelledby="c&quot;1-title"' in markup
    assert "<title" in markup and "Cyber maturity: Detect: us 2.5" in markup
    assert (
        "(&lt;script&gt;x&lt;/script&gt;)" in markup
        and "<script>" not in markup
        and 'id="c"1' not in markup
    )
    assert "Us 2.5" in markup and "median 4.0" in markup
    assert peer_chart.svg(placed("cyber_detect", 2.5), "c") == ""
