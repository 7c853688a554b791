"""The results' charts as inline SVG drawn on the server: the page and the PDF show the same
picture, no script is needed, and each chart says its numbers as text (<title> and <desc>) for
screen readers. Charts are drawn only from figures the results already show (suppression stays
in ethics.survey.results)."""
from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from flask_babel import gettext as _
from markupsafe import Markup

from ethics.core.i18n import current_locale
from ethics.survey.models import SCALE, SurveyDimension, SurveyItem
from ethics.survey.results import CampaignResults, Stat

# From "strongly disagree" (red) to "strongly agree" (blue), through grey: readable without red-green.
COLOURS = ("#b2182b", "#ef8a62", "#a6a6a6", "#67a9cf", "#2166ac")
THIS_YEAR, LAST_YEAR = "#2166ac", "#a6a6a6"
BAR_WIDTH, BAR_HEIGHT = 240, 18
COMPARISON_WIDTH, LABEL_HEIGHT, PAIR_BAR = 560, 18, 14


def _svg(ident: str, title: str, desc: str, width: int, height: int, body: Markup) -> Markup:
    """An SVG image named by its title and described by its desc (read out instead of the shapes)."""
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'role="img" aria-labelledby="{i}-title {i}-desc"><title id="{i}-title">{t}</title>'
        '<desc id="{i}-desc">{d}</desc>{b}</svg>').format(w=width, h=height, i=ident, t=title, d=desc, b=body)


def _widths(counts: list[int], total_width: int) -> list[int]:
    """Each count's share of the width in whole units that add up to the width exactly."""
    total = sum(counts)
    edges = [round(total_width * sum(counts[:k]) / total) for k in range(len(counts) + 1)]
    return [right - left for left, right in pairwise(edges)]


def scale_words() -> list[str]:
    """'1 Strongly disagree', ... in the reader's language."""
    return [f"{value} {words}" for value, words in SCALE]


def distribution(ident: str, title: str, counts: list[int]) -> Markup:
    """A bar split into the five scale points' shares, each share's count written in it when it fits."""
    total = sum(counts)
    if not total:
        return _svg(ident, title, _("No answers"), BAR_WIDTH, BAR_HEIGHT,
                    Markup('<rect width="{}" height="{}" fill="#eeeeee"/>').format(BAR_WIDTH, BAR_HEIGHT))
    parts, x = [], 0
    for colour, count, width in zip(COLOURS, counts, _widths(counts, BAR_WIDTH), strict=True):
        if width:
            parts.append(Markup('<rect x="{}" width="{}" height="{}" fill="{}"/>').format(x, width, BAR_HEIGHT, colour))
        if width >= 16:
            parts.append(Markup('<text x="{}" y="13" font-size="11" text-anchor="middle" fill="#ffffff">{}</text>')
                         .format(x + width / 2, count))
        x += width
    desc = "; ".join(f"{words}: {count} ({count / total:.0%})" for words, count in zip(scale_words(), counts, strict=True))
    return _svg(ident, title, desc, BAR_WIDTH, BAR_HEIGHT, Markup("").join(parts))


@dataclass(frozen=True)
class YearRow:
    name: str
    this_year: float | None
    last_year: float | None


def year_comparison(ident: str, title: str, rows: list[YearRow], this_label: str, last_label: str) -> Markup:
    """Each dimension's mean (1-5) this year above last year's, as two bars under its name."""
    scale_width = COMPARISON_WIDTH - 50
    row_height = LABEL_HEIGHT + 2 * PAIR_BAR + 10
    legend = Markup(
        '<rect width="12" height="12" fill="{c1}"/><text x="16" y="11" font-size="12">{l1}</text>'
        '<rect x="150" width="12" height="12" fill="{c2}"/><text x="166" y="11" font-size="12">{l2}</text>'
    ).format(c1=THIS_YEAR, l1=this_label, c2=LAST_YEAR, l2=last_label)
    parts = [legend]
    for n, row in enumerate(rows):
        top = 22 + n * row_height
        parts.append(Markup('<text x="0" y="{}" font-size="12">{}</text>').format(top + 13, row.name))
        for k, (mean, colour) in enumerate(((row.this_year, THIS_YEAR), (row.last_year, LAST_YEAR))):
            y = top + LABEL_HEIGHT + k * PAIR_BAR
            width = 0 if mean is None else round(scale_width * mean / 5)
            parts.append(Markup('<rect y="{}" width="{}" height="{}" fill="{}"/>'
                                '<text x="{}" y="{}" font-size="11">{}</text>').format(
                y, width, PAIR_BAR - 2, colour, width + 4, y + 10, "—" if mean is None else f"{mean:.2f}"))
    desc = "; ".join(f"{row.name}: {this_label} {_format(row.this_year)}, {last_label} {_format(row.last_year)}"
                     for row in rows)
    return _svg(ident, title, desc, COMPARISON_WIDTH, 22 + len(rows) * row_height, Markup("").join(parts))


def _format(mean: float | None) -> str:
    return "—" if mean is None else f"{mean:.2f}"


class ResultCharts:
    """The charts of one reader's results, drawn when a template asks, in the language it renders in."""

    def __init__(self, outcome: CampaignResults):
        self.outcome = outcome
        self.shown = outcome.whole and not outcome.overall.suppressed  # the same rule as the table's numbers

    @staticmethod
    def legend() -> list[tuple[str, str]]:
        """(colour, '1 Strongly disagree'), ... for the key shown above the distribution bars."""
        return list(zip(COLOURS, scale_words(), strict=True))

    def _stat_chart(self, ident: str, name: str, stat: Stat | None) -> Markup:
        if not self.shown or stat is None or stat.mean is None:
            return Markup("")
        return distribution(ident, _("Answers 1–5: %(name)s", name=name), stat.distribution)

    def dimension(self, dimension: SurveyDimension) -> Markup:
        return self._stat_chart(f"chart-d{dimension.id}", dimension.name(current_locale()),
                                self.outcome.overall.dimensions.get(dimension.id))

    def item(self, item: SurveyItem) -> Markup:
        return self._stat_chart(f"chart-i{item.id}", item.text(current_locale()), self.outcome.overall.items.get(item.id))

    def years(self) -> Markup:
        """This year's dimension means beside last year's, when last year has any."""
        previous = self.outcome.previous
        if not self.shown or not previous:
            return Markup("")
        year = self.outcome.campaign.fiscal_year
        rows = [YearRow(d.name(current_locale()), getattr(self.outcome.overall.dimensions.get(d.id), "mean", None),
                        previous.get(d.name_th)) for d in self.outcome.campaign.dimensions]
        return year_comparison("chart-years", _("Mean by dimension, this year and last year"), rows,
                               _("Fiscal year %(year)d", year=year), _("Fiscal year %(year)d", year=year - 1))
