"""The server-drawn horizontal bar chart every app shares (core/charts.py, components/bar_chart.html)."""

from __future__ import annotations

import re

from django.template import engines

from casefile.core.charts import CHARACTER_WIDTH, LINE_HEIGHT, bar_chart, counts_chart, percent_chart, wrap_label


def test_counts_are_scaled_to_the_largest_and_written_after_their_bars():
    chart = counts_chart("outcomes", "Where they led", [("Assessment", 40), ("No further action", 10), ("None", 0)],
                         width=600, label_width=250)
    room = 600 - 250 - 110
    assert [bar.width for bar in chart.bars] == [room, room / 4, 0.0]
    assert [bar.text for bar in chart.bars] == ["40", "10", "0"]
    assert [bar.text_x for bar in chart.bars] == [250 + room + 6, 250 + room / 4 + 6, 256]
    assert chart.description == "Bar chart. Assessment: 40; No further action: 10; None: 0."


def test_percentages_are_bars_out_of_a_hundred_and_none_is_an_empty_bar():
    chart = percent_chart("cover", "Coverage", [("A", 50.0, "50%"), ("B", None, "No open cases"), ("C", 130.0, "x")],
                          width=640, label_width=260)
    room = 640 - 260 - 110
    assert [bar.width for bar in chart.bars] == [room / 2, 0.0, room]  # over 100% is drawn at 100%
    assert percent_chart("e", "Empty", [], empty="No open cases").description == "Bar chart. No open cases."


def test_a_label_too_long_for_its_column_wraps_onto_a_second_line_and_no_further():
    label = "A child-centred approach including identity, equality and diversity and much more besides"
    lines = wrap_label(label, 260)
    assert len(lines) == 2 and lines[1].endswith("…")
    assert all(len(line) * CHARACTER_WIDTH <= 260 for line in lines)
    assert wrap_label("Recording", 260) == ("Recording",)
    chart = bar_chart("areas", "Areas", [(label, 0.5, "50%"), ("Recording", 1.0, "100%")], label_width=260)
    one_line = bar_chart("short", "Short", [("Recording", 1.0, "100%")], label_width=260)
    assert chart.row_height >= 2 * LINE_HEIGHT + 8 > one_line.row_height  # rows grow to hold two lines
    assert [bar.y for bar in chart.bars] == [4, 4 + chart.row_height]
    assert label in chart.description  # the description gives the label in full


def test_the_macro_draws_every_line_of_every_label_with_its_bar_and_figure():
    chart = bar_chart("areas", "Grades & areas", [("Management oversight and supervision of the work", 0.5, "50%"),
                                                   ("Recording", 1.0, "100% (3 of 3)")], label_width=200)
    template = engines["jinja2"].from_string('{% from "components/bar_chart.html" import bar_chart %}'
                                             "{{ bar_chart(chart) }}")
    svg = template.render({"chart": chart})
    assert 'aria-labelledby="areas-title areas-desc"' in svg and "Grades &amp; areas" in svg
    assert re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg) == [*chart.bars[0].lines, "Recording"]
    assert len(chart.bars[0].lines) == 2
    assert svg.count("<rect") == 2 and "100% (3 of 3)" in svg
