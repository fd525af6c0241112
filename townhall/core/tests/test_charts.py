"""Bar charts flag a bar over its ceiling, or short of its target, and are written out as
SVG in Python with the same markup the chart template used to draw."""

import pytest
from django.template import engines
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from townhall.core.charts import Item, bar_chart
from townhall.core.templatetags.townhall import bar_chart_svg

# ruff: noqa: E501 - the template's lines below are kept as they were written
# The chart's markup as the template drew it before `bar_chart_svg` wrote it in Python.
TEMPLATE = (
    "\n"
    '<svg role="img" aria-labelledby="{{ id }}-title" viewBox="0 0 {{ chart.width }} {{ chart.height }}" width="100%" preserveAspectRatio="xMinYMin meet" focusable="false">\n'
    '  <title id="{{ id }}-title">{{ title }}: {% for bar in chart.bars %}{{ bar.label }} {{ bar.text }}{% if bar.limit_text %} of {{ bar.limit_text }}{% endif %}{% if bar.over %} ({{ bar.flag }}){% endif %}{% if not forloop.last %}; {% endif %}{% endfor %}</title>\n'
    "  {% for bar in chart.bars %}\n"
    '  <text x="{{ chart.label_width|add:\'-8\' }}" y="{{ bar.text_y }}" text-anchor="end" font-size="13" fill="#1b1b1b">{{ bar.label|truncatechars:34 }}</text>\n'
    '  <rect x="{{ chart.label_width }}" y="{{ bar.y }}" width="{{ bar.width }}" height="{{ chart.bar_height }}" fill="{% if bar.over %}#b50909{% else %}#005ea2{% endif %}"></rect>\n'
    '  {% if bar.limit_x is not None %}<rect x="{{ bar.limit_x|add:\'-2\' }}" y="{{ bar.y|add:\'-4\' }}" width="4" height="{{ chart.bar_height|add:\'8\' }}" fill="#1b1b1b"></rect>{% endif %}\n'
    '  <text x="{{ bar.value_x }}" y="{{ bar.text_y }}" font-size="13" font-weight="bold" fill="#1b1b1b">{{ bar.text }}</text>\n'
    "  {% endfor %}\n"
    "</svg>\n"
)
CHARTS = {
    "empty": [],
    "one bar": [Item("One", 3, "3")],
    "limits, long and unsafe labels": [
        Item(
            "A very long department name that goes on and on <&>",
            50.5,
            "50.5% (1 of 2)",
            limit=40,
            limit_text="ceiling",
        ),
        Item("B", 0, "none", limit=5, limit_text="target 5", target=True),
        Item(mark_safe("<b>Safe</b> label, long enough to be cut short"), 7, "7"),
    ],
    "two hundred departments": [Item(f"Dept {i}", i, f"{i}%") for i in range(200)],
}


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


@pytest.mark.parametrize("items", CHARTS.values(), ids=CHARTS.keys())
def test_the_svg_is_the_markup_the_template_drew(items):
    chart = bar_chart(items, label_width=190, value_room=130)
    context = {"chart": chart, "id": "chart-x", "title": "Share <of> people"}
    drawn = engines["django"].from_string(TEMPLATE).render(context)
    assert bar_chart_svg(chart, "chart-x", "Share <of> people") == drawn
    assert render_to_string("core/_bar_chart.html", context) == drawn
