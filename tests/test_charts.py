"""The application's one chart component (ethics.core.charts): shapes to scale, and every number
also said as text for screen readers."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from ethics.core import charts

SVG = "{http://www.w3.org/2000/svg}"


def parsed(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def widths(svg: ET.Element) -> list[int]:
    return [int(rect.get("width")) for rect in svg.iter(f"{SVG}rect")]


def heights(svg: ET.Element) -> list[int]:
    return [int(rect.get("height")) for rect in svg.iter(f"{SVG}rect")]


def test_shares_that_do_not_divide_evenly_still_fill_the_width_exactly():
    assert charts.shares([1, 1, 1, 1, 3], 240) == [34, 35, 34, 34, 103]  # rounded edges, not widths
    assert sum(charts.shares([7, 0, 2], 100)) == 100


def test_grouped_bars_draw_every_series_to_scale_and_say_them():
    series = (charts.Series("FY 2570", "#000"), charts.Series("FY 2569", "#999"))
    groups = [charts.Group("Pay", (5.0, 2.5)), charts.Group("New", (4.0, None))]
    svg = parsed(charts.grouped_bars("chart-years", "Means", groups, series, 5))
    full = 560 - 50
    assert widths(svg)[2:] == [full, full // 2, round(full * 4 / 5), 0]  # after the legend's two swatches
    assert svg.find(f"{SVG}desc").text == "Pay: FY 2570 5.00, FY 2569 2.50; New: FY 2570 4.00, FY 2569 —"
    assert svg.get("aria-labelledby") == "chart-years-title chart-years-desc"


def test_a_meter_fills_its_share_stays_inside_its_frame_and_reads_out_its_text():
    half = parsed(charts.meter("Strategy 1", 3, 6, "3 / 6"))
    assert widths(half) == [charts.METER_WIDTH, charts.METER_WIDTH // 2]
    assert half.get("role") == "img" and half.get("aria-label") == "Strategy 1: 3 / 6"
    assert widths(parsed(charts.meter("over", 9, 6, "9 / 6")))[1] == charts.METER_WIDTH
    assert widths(parsed(charts.meter("none", 0, 0, "0 / 0")))[1] == 0
    assert "&lt;b&gt;" in str(charts.meter("<b>", 1, 2, "x"))  # labels are text, never markup


def test_columns_are_drawn_to_the_largest_and_say_each_count():
    svg = parsed(charts.columns("chart-months", "By month", [("Oct", 10), ("Nov", 5), ("Dec", 0)]))
    assert heights(svg) == [charts.COLUMN_HEIGHT, charts.COLUMN_HEIGHT // 2, 0]
    assert svg.find(f"{SVG}desc").text == "Oct: 10; Nov: 5; Dec: 0"
    assert [t.text for t in svg.iter(f"{SVG}text")] == ["10", "Oct", "5", "Nov", "0", "Dec"]
    assert heights(parsed(charts.columns("c", "t", [("Oct", 0)]))) == [0]


def test_a_share_meter_reads_out_whole_percent():
    bar = parsed(charts.share_meter("1.1.2", 0.675))
    assert bar.get("aria-label") == "1.1.2: 68%" and widths(bar)[1] == round(charts.METER_WIDTH * 0.675)


def test_a_stacked_bar_fills_its_width_writes_counts_that_fit_and_keeps_every_text_text():
    bar = parsed(charts.stacked_bar("c<1>", "<i>Pay</i> & more", [6, 0, 1, 1, 2], ["#a", "#b", "#c", "#d", "#e"],
                                    ["1 <no>", "2", "3", "4", "5"], "none"))
    assert widths(bar) == [144, 24, 24, 48] and sum(widths(bar)) == 240
    assert [t.text for t in bar.iter(f"{SVG}text")] == ["6", "1", "1", "2"]
    assert bar.find(f"{SVG}title").text == "<i>Pay</i> & more" and bar.find(f"{SVG}title").get("id") == "c<1>-title"
    assert bar.find(f"{SVG}desc").text == "1 <no>: 6 (60%); 2: 0 (0%); 3: 1 (10%); 4: 1 (10%); 5: 2 (20%)"
    empty = parsed(charts.stacked_bar("e", "t", [0] * 5, ["#a"] * 5, ["x"] * 5, "<none>"))
    assert widths(empty) == [240] and empty.find(f"{SVG}desc").text == "<none>"
