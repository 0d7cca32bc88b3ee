"""Report bar charts: each bar's length is its share of the largest, within the drawing."""

import re

from django.template.loader import render_to_string

from workshops.evaluation.selectors import Chart


def drawn(chart: Chart) -> list[tuple[float, float]]:
    """Each bar's (x, width) as drawn in the SVG, and the viewBox's width."""
    html = render_to_string("evaluation/_chart.html", {"chart": chart, "id": "c"})
    view_width = float(re.search(r'viewBox="0 0 (\S+) ', html).group(1))  # type: ignore[union-attr]
    bars = re.findall(r'<rect x="([^"]+)" y="[^"]+" width="([^"]+)"', html)
    assert all(not w.endswith("%") for _, w in bars), "a width in percent is of the whole SVG"
    for x, w in bars:
        assert float(x) + float(w) <= view_width
    return [(float(x), float(w)) for x, w in bars]


def test_bars_are_drawn_in_proportion_to_the_largest() -> None:
    # Labels take the first 150 of 400 units; the largest bar fills the other 250.
    chart = Chart(title="Votes", bars=[("A", 10), ("B", 8), ("C", 7), ("D", 5), ("E", 0)])
    assert [w for _, w in drawn(chart)] == [250.0, 200.0, 175.0, 125.0, 0.0]
    assert {x for x, _ in drawn(chart)} == {150.0}


def test_a_chart_of_nothing_draws_no_lengths() -> None:
    assert [w for _, w in drawn(Chart(title="None", bars=[("A", 0), ("B", 0)]))] == [0.0, 0.0]
