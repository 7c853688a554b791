"""Every chart of the application, drawn on the server as inline SVG: a page, its PDF and its
printout show the same picture, no script is needed, and each chart says its numbers as text
(<title> and <desc>, or aria-label) for screen readers. Callers pass only figures they already
show; hiding small groups stays the business of the numbers' own services."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup, escape

EMPTY = "#eeeeee"
FILL = "#2166ac"
METER_WIDTH, METER_HEIGHT = 200, 12
COLUMN_WIDTH, COLUMN_HEIGHT, COLUMN_GAP = 22, 80, 6


def svg(ident: str, title: str, desc: str, width: float, height: float, body: Markup) -> Markup:
    """An SVG image named by its title and described by its desc (read out instead of the shapes).
    Written with f-strings around escape(), not Markup.format: a results page draws dozens."""
    i, t, d = escape(ident), escape(title), escape(desc)
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
                  f'width="{width}" height="{height}" role="img" aria-labelledby="{i}-title {i}-desc">'
                  f'<title id="{i}-title">{t}</title><desc id="{i}-desc">{d}</desc>{body}</svg>')


def shares(counts: Sequence[int], total_width: int) -> list[int]:
    """Each count's share of the width in whole units that add up to the width exactly."""
    total = sum(counts)
    edges = [round(total_width * sum(counts[:k]) / total) for k in range(len(counts) + 1)]
    return [right - left for left, right in pairwise(edges)]


def stacked_bar(ident: str, title: str, counts: Sequence[int], colours: Sequence[str], names: Sequence[str],
                empty: str, width: int = 240, height: int = 18) -> Markup:
    """One bar split into the counts' shares, each count written in its share when it fits."""
    total = sum(counts)
    if not total:
        return svg(ident, title, empty, width, height, Markup(f'<rect width="{width}" height="{height}" fill="{EMPTY}"/>'))
    parts, x = [], 0
    for colour, count, share in zip(map(escape, colours), counts, shares(counts, width), strict=True):
        if share:
            parts.append(f'<rect x="{x}" width="{share}" height="{height}" fill="{colour}"/>')
        if share >= 16:
            parts.append(f'<text x="{x + share / 2}" y="{height - 5}" font-size="11" text-anchor="middle" '
                         f'fill="#ffffff">{count:d}</text>')
        x += share
    desc = "; ".join(f"{name}: {count} ({count / total:.0%})" for name, count in zip(names, counts, strict=True))
    return svg(ident, title, desc, width, height, Markup("".join(parts)))


@dataclass(frozen=True)
class Series:
    name: str
    colour: str


@dataclass(frozen=True)
class Group:
    """A named row of a grouped bar chart: one value per series (None where there is none)."""

    name: str
    values: tuple[float | None, ...]


def _written(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def grouped_bars(ident: str, title: str, groups: Sequence[Group], series: Sequence[Series], maximum: float,
                 width: int = 560) -> Markup:
    """Each group's name above one bar per series, to the same scale, with a legend on top."""
    label, bar = 18, 14
    scale = width - 50
    parts = [Markup('<rect x="{x}" width="12" height="12" fill="{c}"/><text x="{t}" y="11" font-size="12">{n}</text>')
             .format(x=150 * k, t=150 * k + 16, c=one.colour, n=one.name) for k, one in enumerate(series)]
    row_height = label + len(series) * bar + 10
    for n, group in enumerate(groups):
        top = 22 + n * row_height
        parts.append(Markup('<text x="0" y="{}" font-size="12">{}</text>').format(top + 13, group.name))
        for k, (value, one) in enumerate(zip(group.values, series, strict=True)):
            y = top + label + k * bar
            length = 0 if value is None else round(scale * value / maximum)
            parts.append(Markup('<rect y="{}" width="{}" height="{}" fill="{}"/>'
                                '<text x="{}" y="{}" font-size="11">{}</text>').format(
                y, length, bar - 2, one.colour, length + 4, y + 10, _written(value)))
    desc = "; ".join(group.name + ": " + ", ".join(f"{one.name} {_written(value)}"
                                                   for value, one in zip(group.values, series, strict=True))
                     for group in groups)
    return svg(ident, title, desc, width, 22 + len(groups) * row_height, Markup("").join(parts))


def meter(label: str, value: float, maximum: float, text: str) -> Markup:
    """A single bar filled to value/maximum, read out as "label: text" (the text also stands beside it;
    no <title>, whose words would join the text of the cell the bar stands in)."""
    filled = 0 if maximum <= 0 else round(METER_WIDTH * min(max(value, 0), maximum) / maximum)
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart meter" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'role="img" aria-label="{label}: {text}">'
        '<rect width="{w}" height="{h}" rx="3" fill="{empty}"/><rect width="{f}" height="{h}" rx="3" fill="{fill}"/></svg>'
    ).format(w=METER_WIDTH, h=METER_HEIGHT, f=filled, label=label, text=text, empty=EMPTY, fill=FILL)


def share_meter(label: str, share: float) -> Markup:
    """A share of a whole (0-1, e.g. a value against its target) as a meter read out in whole percent."""
    return meter(label, share, 1, f"{round(share * 100)}%")


def columns(ident: str, title: str, values: Sequence[tuple[str, int]]) -> Markup:
    """One column per (label, count), to the scale of the largest, its count above it and its label below."""
    peak = max([count for _, count in values] + [1])
    step = COLUMN_WIDTH + COLUMN_GAP
    parts = []
    for n, (name, count) in enumerate(values):
        height = round(COLUMN_HEIGHT * count / peak)
        x = n * step
        parts.append(Markup(
            '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{c}"/>'
            '<text x="{m}" y="{ty}" font-size="11" text-anchor="middle">{count}</text>'
            '<text x="{m}" y="{ly}" font-size="11" text-anchor="middle">{name}</text>').format(
            x=x, y=14 + COLUMN_HEIGHT - height, w=COLUMN_WIDTH, h=height, c=FILL, m=x + COLUMN_WIDTH / 2,
            ty=10 + COLUMN_HEIGHT - height, count=count, ly=COLUMN_HEIGHT + 28, name=name))
    desc = "; ".join(f"{name}: {count}" for name, count in values)
    return svg(ident, title, desc, max(len(values) * step - COLUMN_GAP, 1), COLUMN_HEIGHT + 32, Markup("").join(parts))
