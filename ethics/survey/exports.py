"""Aggregates only: the rows the README documents for `export-survey-results` (group, dimension, item, n, mean, sd, level)."""
from __future__ import annotations

from collections.abc import Iterator

from ethics.core.spreadsheets import two_places
from ethics.survey.results import ALL, LEVELS_TH, CampaignResults, GroupResult, Stat, level_index

HEADER = ["group", "dimension", "item", "n", "mean", "sd", "level"]
SUPPRESSED = "suppressed"


def _cells(stat: Stat, suppressed: bool, n: int | None = None) -> list:
    """n is the item's answers, or for a dimension or whole group the number of answer sheets;
    a figure hidden on its own (results' rules) is written as hidden as a whole group is."""
    if suppressed or stat.hidden or stat.mean is None:
        return [SUPPRESSED if suppressed or stat.hidden else stat.n, "", "", ""]
    # numbers stay numbers (number cells in the XLSX); mean and sd to two places, "4.50" in the CSV
    return [stat.n if n is None else n, two_places(stat.mean), two_places(stat.sd), LEVELS_TH[level_index(stat.mean)]]


def _group_rows(outcome: CampaignResults, group: GroupResult) -> Iterator[list]:
    label = ALL if group.label == ALL else group.label
    yield [label, "", "", *_cells(group.overall, group.suppressed, group.sheets)]
    for dimension in outcome.campaign.dimensions:
        stat = group.dimensions.get(dimension.id, Stat(0, None, None))
        yield [label, dimension.name_th, "", *_cells(stat, group.suppressed, group.sheets)]
        for item in dimension.items:
            stat = group.items.get(item.id, Stat(0, None, None))
            yield [label, dimension.name_th, item.text_th, *_cells(stat, group.suppressed)]


def rows(outcome: CampaignResults) -> Iterator[list]:
    for group in outcome.shown_groups:
        yield from _group_rows(outcome, group)
