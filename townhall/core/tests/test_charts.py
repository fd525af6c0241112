"""Bar charts flag a bar over its ceiling, or short of its target."""

from townhall.core.charts import Item, bar_chart


def test_a_ceiling_flags_bars_above_it_and_a_target_flags_bars_below_it():
    chart = bar_chart(
        [
            Item("Spent", 120, "$120", limit=100),
            Item("Saved", 80, "$80", limit=100),
            Item("Govern", 3.5, "3.5", limit=5, target=True),
            Item("Protect", 5.5, "5.5", limit=5, target=True),
            Item("Detect", 5, "5.0", limit=5, target=True),
        ]
    )
    assert [b.over for b in chart.bars] == [True, False, True, False, False]
    assert [b.flag for b in chart.bars][:3] == ["over", "over", "below target"]


def test_bars_without_a_limit_are_never_flagged():
    assert not bar_chart([Item("a", 0, "0"), Item("b", 9, "9")]).bars[1].over
