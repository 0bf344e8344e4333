"""Charts drawn on the server as SVG: no JavaScript, nothing inline for the CSP to refuse, sharp in print.

Each chart is a plain <svg role="img"> with a <title> and a <desc>; the page puts a table with
the same numbers next to it for screen readers and for anyone who prefers numbers. Colours are
SVG presentation attributes (not `style`), which a strict style-src allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 190
LEFT, RIGHT, TOP, BOTTOM = 32, 8, 18, 32
BAR = "#1d3b6b"
LINE = "#a61e1e"
MARK = "#b45309"
GRID = "#d0d7e2"
TEXT = "#222"
MAX_LABELS = 8


@dataclass(frozen=True)
class Marker:
    index: int  # the bar or point it stands at
    text: str  # e.g. "v2"


def _nice_max(value: float) -> int:
    """The scale's top: even, so the middle line is a whole number of cramps too."""
    for step in (2, 4, 6, 8, 10, 20, 40, 50, 100, 200, 400, 500, 1000):
        if value <= step:
            return step
    return int(value) + int(value) % 2


def _frame(chart_id: str, title: str, desc: str, body: list[str]) -> SafeString:
    head = (
        f'<svg class="chart-svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="Arial, Liberation Sans, sans-serif" font-size="13" fill="{TEXT}">'
        f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(desc)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")


def _axes(top_value: int) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = []
    for fraction in (0, 0.5, 1):
        y = TOP + plot_h * (1 - fraction)
        value = top_value * fraction
        label = f"{value:g}"
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
    return parts


def _x_labels(labels: Sequence[str], step: float) -> list[str]:
    every = max(1, -(-len(labels) // MAX_LABELS))
    parts = []
    for i, label in enumerate(labels):
        if i % every == 0:
            x = LEFT + step * (i + 0.5)
            parts.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{escape(label)}</text>')
    return parts


def _markers(markers: Sequence[Marker], step: float) -> list[str]:
    parts = []
    for marker in markers:
        x = LEFT + step * (marker.index + 0.5)
        right_half = x > WIDTH / 2  # the label goes to the line's inner side, never off the edge
        anchor, dx = ("end", -3) if right_half else ("start", 3)
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP - 4}" y2="{HEIGHT - BOTTOM}" stroke="{MARK}" '
            f'stroke-width="1.5" stroke-dasharray="4 3"/>'
            f'<text x="{x + dx:.1f}" y="{TOP - 5}" text-anchor="{anchor}" fill="{MARK}" font-weight="bold">'
            f"{escape(marker.text)}</text>"
        )
    return parts


def bar_chart(
    chart_id: str, title: str, desc: str, bars: Sequence[tuple[str, int]], markers: Sequence[Marker] = ()
) -> SafeString:
    """Vertical bars, one per (label, value), with a 0 / half / top scale."""
    top = _nice_max(max((value for _label, value in bars), default=0) or 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(bars))
    body = _axes(top)
    for i, (_label, value) in enumerate(bars):
        if value:
            h = plot_h * value / top
            x = LEFT + step * i + step * 0.12
            body.append(
                f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{max(0.8, step * 0.76):.1f}" '
                f'height="{h:.1f}" fill="{BAR}"/>'
            )
    body += _x_labels([label for label, _value in bars], step)
    body += _markers(markers, step)
    return _frame(chart_id, title, desc, body)


def line_chart(
    chart_id: str,
    title: str,
    desc: str,
    points: Sequence[tuple[str, int | None]],
    top: int = 10,
    markers: Sequence[Marker] = (),
) -> SafeString:
    """Points joined by a line, broken where a value is missing (e.g. a week without cramps)."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(points))
    body = _axes(top)
    run: list[str] = []
    segments: list[list[str]] = [run]
    for i, (_label, value) in enumerate(points):
        if value is None:
            run = []
            segments.append(run)
            continue
        x, y = LEFT + step * (i + 0.5), TOP + plot_h * (1 - value / top)
        run.append(f"{x:.1f},{y:.1f}")
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{2.5 if len(points) < 60 else 1.5}" fill="{LINE}"/>')
    for segment in segments:
        if len(segment) > 1:
            body.append(f'<polyline points="{" ".join(segment)}" fill="none" stroke="{LINE}" stroke-width="1.5"/>')
    body += _x_labels([label for label, _value in points], step)
    body += _markers(markers, step)
    return _frame(chart_id, title, desc, body)
