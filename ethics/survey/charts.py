"""The survey results' charts, drawn with the application's one chart component
(ethics.core.charts) from the figures the results already show (suppression stays in
ethics.survey.results)."""
from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup

from ethics.core import charts
from ethics.core.i18n import current_locale, resolved
from ethics.survey.models import SCALE, SurveyDimension, SurveyItem
from ethics.survey.results import CampaignResults, Stat

# From "strongly disagree" (red) to "strongly agree" (blue), through grey: readable without red-green.
COLOURS = ("#b2182b", "#ef8a62", "#a6a6a6", "#67a9cf", "#2166ac")
THIS_YEAR, LAST_YEAR = "#2166ac", "#a6a6a6"


def mean_figure(stat: Stat | None, hidden: Markup) -> Markup | str:
    """A mean to two decimals, "—" without one, or `hidden` for a hidden figure: a filter, since the
    units table writes one per unit and dimension (thousands at province scale) and a macro call
    with its translations cost ten times more."""
    if stat is not None and stat.hidden:
        return hidden
    return f"{stat.mean:.2f}" if stat is not None and stat.mean is not None else "—"


SCALE_WORDS = tuple(words for _value, words in SCALE)


def scale_words() -> list[str]:
    """'1 Strongly disagree', ... in the reader's language."""
    return [f"{value} {words}" for (value, _lazy), words in zip(SCALE, resolved(SCALE_WORDS), strict=True)]


def distribution(ident: str, title: str, counts: list[int]) -> Markup:
    """A bar split into the five scale points' shares."""
    return charts.stacked_bar(ident, title, counts, COLOURS, scale_words(), _("No answers"))


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
        rows = [charts.Group(d.name(current_locale()), (getattr(self.outcome.overall.dimensions.get(d.id), "mean", None),
                                                          previous.get(d.name_th))) for d in self.outcome.campaign.dimensions]
        series = (charts.Series(_("Fiscal year %(year)d", year=year), THIS_YEAR),
                  charts.Series(_("Fiscal year %(year)d", year=year - 1), LAST_YEAR))
        return charts.grouped_bars("chart-years", _("Mean by dimension, this year and last year"), rows, series, 5)
