"""The 5×5 heat map: ratings, bands, counts and the drawing, worked out by hand."""

import pytest

from townhall.cyber import heatmap


def test_rating_is_likelihood_times_impact():
    assert heatmap.rating(1, 1) == 1
    assert heatmap.rating(4, 3) == 12
    assert heatmap.rating(5, 5) == 25
    with pytest.raises(ValueError):
        heatmap.rating(0, 3)
    with pytest.raises(ValueError):
        heatmap.rating(3, 6)


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (1, "low"),
        (4, "low"),
        (5, "moderate"),
        (9, "moderate"),
        (10, "high"),
        (16, "high"),
        (20, "very_high"),
        (25, "very_high"),
    ],
)
def test_band_edges(score, band):
    assert heatmap.band(score).key == band


def test_every_cell_of_the_grid_has_a_band():
    # The 25 cells give 14 distinct products; each falls in exactly one band.
    seen = {heatmap.cell_band(lk, im).key for lk in range(1, 6) for im in range(1, 6)}
    assert seen == {"low", "moderate", "high", "very_high"}
    # By hand: low 1,2,3,4 (8 cells: 1×1, 1×2, 2×1, 1×3, 3×1, 1×4, 4×1, 2×2).
    low = [(lk, im) for lk in range(1, 6) for im in range(1, 6) if lk * im <= 4]
    assert len(low) == 8
    assert all(heatmap.cell_band(lk, im).key == "low" for lk, im in low)
    # very high: 4×5, 5×4, 5×5.
    very = [
        (lk, im)
        for lk in range(1, 6)
        for im in range(1, 6)
        if heatmap.cell_band(lk, im).key == "very_high"
    ]
    assert very == [(4, 5), (5, 4), (5, 5)]


def test_a_rating_outside_the_scale_has_no_band():
    with pytest.raises(ValueError):
        heatmap.band(0)
    with pytest.raises(ValueError):
        heatmap.band(26)


def test_text_is_readable_on_every_band():
    for b in heatmap.BANDS:
        assert heatmap.contrast(b.fill, b.ink) >= 4.5, b.label
    assert round(heatmap.contrast("#000000", "#ffffff"), 1) == 21.0


def test_grid_counts_pairs_and_unrated():
    g = heatmap.grid([(4, 3), (4, 3), (1, 1), (5, 5), (None, 2), (3, None), (None, None)])
    assert g.count(4, 3) == 2
    assert g.count(1, 1) == 1
    assert g.count(5, 5) == 1
    assert g.count(2, 2) == 0
    assert g.total == 4
    assert g.unrated == 3
    # 4×3 = 12 high (twice), 1 low, 25 very high.
    assert g.by_band() == {"low": 1, "moderate": 0, "high": 2, "very_high": 1}


def test_grid_refuses_values_off_the_scale():
    with pytest.raises(ValueError):
        heatmap.grid([(6, 1)])


def test_layout_puts_likelihood_five_at_the_top_and_impact_five_at_the_right():
    g = heatmap.grid([(5, 1), (1, 5), (3, 3)])
    m = heatmap.layout(g, cell_width=80, cell_height=50, label_width=100, top=10)
    assert len(m.cells) == 25
    assert [c.likelihood for c in m.rows[0]] == [5] * 5
    assert [c.impact for c in m.rows[0]] == [1, 2, 3, 4, 5]
    top_left = m.rows[0][0]
    assert (top_left.likelihood, top_left.impact, top_left.count) == (5, 1, 1)
    assert (top_left.x, top_left.y) == (100, 10)
    bottom_right = m.rows[4][4]
    assert (bottom_right.likelihood, bottom_right.impact, bottom_right.count) == (1, 5, 1)
    assert (bottom_right.x, bottom_right.y) == (100 + 4 * 80, 10 + 4 * 50)
    middle = m.rows[2][2]
    assert (middle.likelihood, middle.impact, middle.count) == (3, 3, 1)
    assert middle.centre_x == 100 + 2 * 80 + 40
    assert m.grid_width == 400 and m.grid_height == 250
    assert m.width == 100 + 400 + 8


def test_layout_links_only_cells_with_risks_and_names_them():
    g = heatmap.grid([(4, 3), (4, 3)])
    m = heatmap.layout(g, link=lambda lk, im: f"/risks/?l={lk}&i={im}")
    linked = [c for c in m.cells if c.url]
    assert len(linked) == 1
    cell = linked[0]
    assert cell.url == "/risks/?l=4&i=3"
    assert cell.label == "2 risks with likelihood 4 (Likely) and impact 3 (Moderate): high"
    one = heatmap.layout(heatmap.grid([(1, 1)]), link=lambda lk, im: "x")
    assert one.rows[4][0].label.startswith("1 risk with likelihood 1 (Rare)")


def test_layout_table_rows_follow_the_drawing():
    m = heatmap.layout(heatmap.grid([]))
    labels = [label for label, _ in m.table]
    assert labels == ["5 Almost certain", "4 Likely", "3 Possible", "2 Unlikely", "1 Rare"]
    assert [t.text for t in m.impact_ticks] == [
        "1 Minimal",
        "2 Minor",
        "3 Moderate",
        "4 Major",
        "5 Severe",
    ]
    assert [s.text for s in m.legend] == [
        "Low (1–4)",
        "Moderate (5–9)",
        "High (10–16)",
        "Very high (20–25)",
    ]
    # The legend sits below the impact labels, inside the drawing.
    assert all(s.y > m.impact_ticks[0].y for s in m.legend)
    assert all(s.y + s.size <= m.height for s in m.legend)
