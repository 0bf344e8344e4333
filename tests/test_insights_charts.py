"""The server-drawn SVG charts: accessible, escaped, and sound for empty and gappy data."""

import re
from xml.etree import ElementTree

from prevention.insights import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(str(svg))  # well-formed XML, or this raises


def test_an_empty_chart_is_still_a_labelled_picture():
    root = parse(charts.bar_chart("c1", "Cramp nights", "Bars: nights", []))
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c1-t c1-d"
    assert root.find(f"{SVG}title").text == "Cramp nights"
    assert root.findall(f"{SVG}rect") == []


def test_labels_and_titles_are_escaped():
    svg = str(charts.bar_chart("c2", "<b>title</b>", "a & b", [("<script>", 3)], [charts.Marker(0, "v<1>")]))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&amp; b" in svg
    parse(svg)


def test_bars_scale_to_the_tallest():
    root = parse(charts.bar_chart("c3", "t", "d", [("a", 1), ("b", 4), ("c", 0)]))
    heights = [float(r.get("height")) for r in root.findall(f"{SVG}rect")]
    assert len(heights) == 2 and heights[1] == max(heights) and abs(heights[1] / heights[0] - 4) < 1e-6


def test_a_line_breaks_at_missing_values_and_markers_stay_inside():
    points = [("w1", 5), ("w2", 6), ("w3", None), ("w4", 9), ("w5", 8)]
    root = parse(charts.line_chart("c4", "t", "d", points, 10, [charts.Marker(4, "plan v2")]))
    assert len(root.findall(f"{SVG}polyline")) == 2 and len(root.findall(f"{SVG}circle")) == 4
    marker = [t for t in root.findall(f"{SVG}text") if t.text == "plan v2"][0]
    assert marker.get("text-anchor") == "end"  # on the right half: drawn leftwards, never off the edge


def test_many_weeks_show_few_labels():
    bars = [(f"w{i}", i % 3) for i in range(157)]
    svg = str(charts.bar_chart("c5", "t", "d", bars))
    labels = re.findall(r">w\d+<", svg)
    assert 1 < len(labels) <= charts.MAX_LABELS + 1
