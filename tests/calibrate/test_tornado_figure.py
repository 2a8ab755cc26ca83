"""The tornado chart builder (workbook.ui.figures.tornado_chart): pure plotly, no Streamlit."""

from __future__ import annotations

from calibrate_builders import REPO

from workbook.calibrate import TornadoRow, sensitivity
from workbook.files import load_model_file
from workbook.ui.figures import tornado_chart


def test_tornado_of_the_example_workshop():
    m = load_model_file(REPO / "scenarios" / "sales_automation.yaml").model
    s = sensitivity(m, points=5)
    fig = tornado_chart(s.tornado, 5, top=6)
    minus, plus = fig.data
    assert len(minus.y) == 6 and list(minus.y) == list(plus.y)
    assert list(minus.x) == [-r.minus for r in s.tornado[:6]]
    assert list(plus.x) == [r.plus for r in s.tornado[:6]]
    assert minus.name == "−5 points" and plus.name == "+5 points"
    assert fig.layout.yaxis.autorange == "reversed"  # the most sensitive on top
    assert all(t >= 0 for t in (int(x) for x in fig.layout.xaxis.ticktext))


def test_most_sensitive_first_and_text_is_escaped():
    rows = [
        TornadoRow("profile", "Size <b>", 1, 0, ["a"], []),
        TornadoRow("engagement", "Demo", 3, 4, ["a", "b", "c"], ["a", "b", "c", "d"]),
    ]
    fig = tornado_chart(rows, 2.5)
    assert list(fig.data[0].y) == ["Demo · activity", "Size &lt;b&gt; · ICP"]
    assert "+2.5 points: 4 scenarios change cell" in fig.data[1].hovertext[0]


def test_no_rows():
    fig = tornado_chart([], 5)
    assert not fig.data and fig.layout.annotations[0].text == "No weights to vary"
