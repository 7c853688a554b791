"""Results of a closed campaign: statistics per item and dimension, per unit, with suppression.

Every figure pools answers, and an optional item left blank is no answer: it counts in no figure
(not as a low score), so an item's n is the number who answered it. What is hidden:
1. a group with fewer than MIN_SCORES answer sheets, and in a shown group an item with fewer
   than MIN_SCORES answers (for everyone: an item with fewer than MIN_SCORES answers in all);
2. complementary: the hidden groups (of a whole group, by sheets; of an item, by its answers)
   must together hold MIN_SCORES, else the next smallest is hidden too, so the total minus the
   shown groups reveals only a pool of at least MIN_SCORES;
3. any figure made partly of a hidden one: a dimension with a hidden item, a group's overall
   with a hidden dimension (else the dimension minus its shown items would give the hidden one).
A hidden figure carries no number at all, so no page, chart or export can show one. The plan's
dimension means and morale index are the whole campaign's figures, under the same rule.

Comments are all shown at once or not at all: the whole population's with at least MIN_COMMENTS
sheets, and a group's only when every group has at least MIN_COMMENTS, so the overall comments
minus the groups' shown never leave a small group's behind.
"""
from __future__ import annotations

import math
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, insert, select

from ethics.core.extensions import db
from ethics.core.i18n import current_locale, resolved
from ethics.survey.campaigns import turnout
from ethics.survey.models import (
    CampaignStatus,
    MoraleCampaign,
    SurveyAnswer,
    SurveyResponse,
    SurveyTally,
)

_shuffle = secrets.SystemRandom().shuffle
MIN_SCORES = 5
MIN_COMMENTS = 10
ALL = "all"
LEVELS = [(1.80, _l("Lowest")), (2.60, _l("Low")), (3.40, _l("Moderate")), (4.20, _l("High")), (5.00, _l("Highest"))]
LEVEL_NAMES = tuple(label for _upper, label in LEVELS)
LEVELS_TH = ["น้อยที่สุด", "น้อย", "ปานกลาง", "มาก", "มากที่สุด"]


def level_index(mean: float) -> int:
    """The Thai band: 1.00-1.80, 1.81-2.60, 2.61-3.40, 3.41-4.20, 4.21-5.00 (on the rounded mean)."""
    rounded = round(mean + 1e-9, 2)
    return next(n for n, (upper, _label) in enumerate(LEVELS) if rounded <= upper)


def level_label(mean: float | None):
    return "" if mean is None else resolved(LEVEL_NAMES)[level_index(mean)]


@dataclass
class Stat:
    n: int
    mean: float | None
    sd: float | None
    distribution: list[int] = field(default_factory=lambda: [0] * 5)
    hidden: bool = False  # too few answers to stay anonymous: then no number is kept either

    @property
    def level(self):
        return level_label(self.mean)


def hidden_stat() -> Stat:
    return Stat(0, None, None, hidden=True)


Cell = list[int]  # how many answers gave each scale point, 1 to 5: every figure follows from it
EMPTY: Cell = [0] * 5


def _stat(distribution: Cell) -> Stat:
    """Answers, mean and standard deviation from how many gave each point (written out: a results
    page makes thousands)."""
    n1, n2, n3, n4, n5 = distribution
    count = n1 + n2 + n3 + n4 + n5
    if not count:
        return Stat(0, None, None, list(distribution))
    mean = (n1 + 2 * n2 + 3 * n3 + 4 * n4 + 5 * n5) / count
    squares = n1 + 4 * n2 + 9 * n3 + 16 * n4 + 25 * n5
    variance = max(0.0, (squares - count * mean * mean) / (count - 1)) if count > 1 else 0.0
    return Stat(count, mean, math.sqrt(variance), list(distribution))


@dataclass
class GroupResult:
    label: str
    sheets: int
    suppressed: bool
    dimensions: dict[int, Stat]
    overall: Stat
    comments: list[str] | None  # None when there are too few to show
    item_ids: list[int] = field(repr=False)
    cells: dict[int, Cell] = field(repr=False)  # item id -> its answers
    hidden_items: set[int] = field(repr=False)  # hidden by rules 1-2

    @cached_property
    def items(self) -> dict[int, Stat]:
        """Each item's figures, made when first asked: the page shows them for everyone only, the
        exports for every group, and a province has hundreds of groups of tens of items."""
        return {item_id: hidden_stat() if self.suppressed or item_id in self.hidden_items
                else _stat(self.cells.get(item_id, EMPTY)) for item_id in self.item_ids}


@dataclass
class CampaignResults:
    campaign: MoraleCampaign
    eligible: int
    answered: int
    overall: GroupResult
    groups: list[GroupResult]
    previous: dict[str, float]  # dimension name -> mean, last year's campaign
    whole: bool = True  # False for a supervisor: only their units, never the province-wide figures

    @property
    def shown_groups(self) -> list[GroupResult]:
        """What the page and every export of this reader hold."""
        return [self.overall, *self.groups] if self.whole else self.groups

    @property
    def response_rate(self) -> float:
        return self.answered / self.eligible if self.eligible else 0.0


def suppressed_labels(sizes: dict[str, int], hidden: Iterable[str] = ()) -> set[str]:
    """The groups to hide: those of fewer than MIN_SCORES (and any already `hidden`), then the
    smallest shown ones until the hidden together hold MIN_SCORES (rules 1 and 2)."""
    hiding = set(hidden) | {label for label, n in sizes.items() if n < MIN_SCORES}
    pooled = sum(sizes[label] for label in hiding)
    if not hiding or pooled >= MIN_SCORES:  # the usual case: nothing to sort
        return hiding
    for n, label in sorted((n, label) for label, n in sizes.items() if label not in hiding):
        if pooled >= MIN_SCORES:
            break
        hiding.add(label)
        pooled += n
    return hiding


def hidden_items(sizes: dict[str, int], by_item: dict[int, dict[str, Cell]], item_ids: Iterable[int],
                 hidden_groups: set[str]) -> dict[str, set[int]]:
    """Each group's hidden items: rule 1 and 2 on each item's own answers across the groups,
    starting from the hidden groups (whose every item is hidden)."""
    hidden: dict[str, set[int]] = {label: set() for label in sizes}
    for item_id in item_ids:
        answers = dict.fromkeys(sizes, 0)  # a group without a tally row for the item gave it no answer
        answers.update((label, sum(cell)) for label, cell in by_item.get(item_id, {}).items())
        for label in suppressed_labels(answers, hidden_groups):
            hidden[label].add(item_id)
    return hidden


POINTS = range(1, 6)


def tally(campaign_id: int) -> None:
    """At close, in the closing transaction: count the answers per unit and item and scale point
    once (SurveyTally), so that results never read the hundreds of thousands of answers again."""
    counted = (select(SurveyResponse.campaign_id, SurveyResponse.unit_label, SurveyAnswer.item_id,
                      *(func.sum(case((SurveyAnswer.value == point, 1), else_=0)) for point in POINTS))
               .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
               .where(SurveyResponse.campaign_id == campaign_id)
               .group_by(SurveyResponse.campaign_id, SurveyResponse.unit_label, SurveyAnswer.item_id))
    db.session.execute(insert(SurveyTally).from_select(
        ["campaign_id", "unit_label", "item_id", *(f"n{point}" for point in POINTS)], counted))


def _aggregate(campaign_id: int) -> dict[str, dict[int, Cell]]:
    """Unit label -> item id -> how many gave each scale point, from the campaign's tallies. Read
    through Core, not the ORM: a province's campaign has some 9,000 tally rows, and the ORM's row
    handling doubled the time of reading them."""
    rows = db.session.connection().execute(select(SurveyTally.unit_label, SurveyTally.item_id,
                                                  *SurveyTally.points()).where(SurveyTally.campaign_id == campaign_id)).all()
    by_label: dict[str, dict[int, Cell]] = {}
    for label, item_id, *counts in rows:
        by_label.setdefault(label, {})[item_id] = counts
    return by_label


def _combine(parts: list[Cell]) -> Stat:
    return _stat(_sum_cells(parts))


def _sum_cells(parts: list[Cell]) -> Cell:
    """The cell of all these answers together: their counts added point by point."""
    return [sum(column) for column in zip(*parts, strict=True)] or list(EMPTY)


def _group(label: str, sheets: int, suppressed: bool, cells: dict[int, Cell], hidden: set[int],
           dimension_items: dict[int, list[int]], comments: list[str] | None) -> GroupResult:
    """A group's figures from its cells (item id -> answers); `hidden` items, every figure made
    partly of one (rule 3), and everything of a suppressed group carry no number."""
    items = [item_id for item_ids in dimension_items.values() for item_id in item_ids]
    if suppressed:
        dimensions = {dimension_id: hidden_stat() for dimension_id in dimension_items}
        overall = hidden_stat()
    else:
        together = {dimension_id: _sum_cells([cells.get(i, EMPTY) for i in item_ids])
                    for dimension_id, item_ids in dimension_items.items()}
        dimensions = {dimension_id: hidden_stat() if not hidden.isdisjoint(dimension_items[dimension_id])
                      else _stat(cell) for dimension_id, cell in together.items()}
        # Every item is in one dimension: the group's answers are its dimensions' added up.
        overall = hidden_stat() if any(stat.hidden for stat in dimensions.values()) \
            else _combine(list(together.values()))
    shown = None
    if comments is not None and sheets >= MIN_COMMENTS and not suppressed:
        shown = [text for text in comments if text]
        _shuffle(shown)
    return GroupResult(label, sheets, suppressed, dimensions, overall, shown, items, cells, hidden)


def campaign_results(campaign: MoraleCampaign, labels: set[str] | None = None) -> CampaignResults:
    """Everything the dashboard and exports show; `labels` limits the groups (a supervisor's units)."""
    if not campaign.results_visible:
        raise PermissionError("results appear only after the campaign is closed")
    by_label = _aggregate(campaign.id)
    by_item: dict[int, dict[str, Cell]] = {}
    for label, cells in by_label.items():
        for item_id, cell in cells.items():
            by_item.setdefault(item_id, {})[label] = cell
    sizes = dict(db.session.execute(select(SurveyResponse.unit_label, func.count()).where(
        SurveyResponse.campaign_id == campaign.id).group_by(SurveyResponse.unit_label)).all())
    hidden = suppressed_labels(sizes)
    item_ids = [item.id for item in campaign.items]
    hidden_in = hidden_items(sizes, by_item, item_ids, hidden)
    comments: dict[str, list[str]] = {}
    for label, text in db.session.execute(select(SurveyResponse.unit_label, SurveyResponse.comment).where(
            SurveyResponse.campaign_id == campaign.id, SurveyResponse.comment != "")):
        comments.setdefault(label, []).append(text)
    total_sheets = sum(sizes.values())
    group_comments = all(n >= MIN_COMMENTS for n in sizes.values())
    overall = _whole(campaign, total_sheets, {item_id: _sum_cells(list(by_item.get(item_id, {}).values()))
                                              for item_id in item_ids},
                     [c for texts in comments.values() for c in texts])
    dimension_items = _dimension_items(campaign)
    groups = [_group(label, sizes[label], label in hidden, by_label.get(label, {}), hidden_in[label], dimension_items,
                     comments.get(label, []) if group_comments else None)
              for label in sorted(sizes) if labels is None or label in labels]
    counts = turnout([campaign.id])[campaign.id]
    return CampaignResults(campaign, counts.eligible, counts.answered, overall, groups, previous_means(campaign),
                           whole=labels is None)


def _dimension_items(campaign: MoraleCampaign) -> dict[int, list[int]]:
    return {dimension.id: [item.id for item in dimension.items] for dimension in campaign.dimensions}


def _whole(campaign: MoraleCampaign, sheets: int, cells: dict[int, Cell], comments: list[str] | None) -> GroupResult:
    """Everyone's figures: the results page's first table, and the plan's means (one rule)."""
    hidden = {item_id for item_id in cells if sum(cells[item_id]) < MIN_SCORES}
    return _group(ALL, sheets, sheets < MIN_SCORES, cells, hidden, _dimension_items(campaign), comments)


@dataclass(frozen=True)
class WholeMeans:
    dimensions: dict[int, float]  # dimension id -> mean, only those shown
    overall: float | None  # the morale index, unless hidden


def whole_means(campaign: MoraleCampaign) -> WholeMeans:
    """The means the results page shows for everyone (the plan's dashboard and morale index), from
    the campaign's tallies summed per item in one query."""
    if not campaign.results_visible:
        raise PermissionError("results appear only after the campaign is closed")
    sheets = db.session.scalar(select(func.count()).select_from(SurveyResponse)
                               .where(SurveyResponse.campaign_id == campaign.id)) or 0
    if sheets < MIN_SCORES:
        return WholeMeans({}, None)
    rows = db.session.execute(select(SurveyTally.item_id, *map(func.sum, SurveyTally.points()))
                              .where(SurveyTally.campaign_id == campaign.id).group_by(SurveyTally.item_id))
    cells: dict[int, Cell] = {item.id: EMPTY for item in campaign.items}
    cells.update({item_id: [int(n) for n in counts] for item_id, *counts in rows})
    whole = _whole(campaign, sheets, cells, None)
    return WholeMeans({d: stat.mean for d, stat in whole.dimensions.items() if stat.mean is not None},
                      whole.overall.mean)


def dimension_means(campaign: MoraleCampaign) -> dict[int, float]:
    """The mean of each dimension the results page shows for everyone (none below MIN_SCORES sheets)."""
    return whole_means(campaign).dimensions


def closed_campaign_of(fiscal_year: int) -> MoraleCampaign | None:
    """The year's campaign once it is closed (before that it has no results)."""
    return db.session.scalar(select(MoraleCampaign).where(MoraleCampaign.fiscal_year == fiscal_year,
                                                          MoraleCampaign.status == CampaignStatus.CLOSED))


def previous_means(campaign: MoraleCampaign) -> dict[str, float]:
    """Last year's dimension means by Thai name, for comparison: from its closed campaign, and only
    when it had enough answer sheets for results to show (dimension_means' rule)."""
    previous = closed_campaign_of(campaign.fiscal_year - 1)
    if previous is None:
        return {}
    means = dimension_means(previous)
    return {dimension.name_th: means[dimension.id] for dimension in previous.dimensions if dimension.id in means}


def year_dimension_means(fiscal_year: int) -> list[tuple[str, float]]:
    """(name in the reader's language, mean) of each dimension of the year's closed campaign; none
    before it closes."""
    campaign = closed_campaign_of(fiscal_year)
    if campaign is None:
        return []
    means = dimension_means(campaign)
    return [(d.name(current_locale()), means[d.id]) for d in campaign.dimensions if d.id in means]


def morale_index(fiscal_year: int) -> tuple[float, str] | None:
    """The mean of every answer given in the year's closed campaign, two decimals, with its Thai
    band; none where the results page hides it (too few sheets, or an item too few answered)."""
    campaign = closed_campaign_of(fiscal_year)
    mean = whole_means(campaign).overall if campaign is not None else None
    if mean is None:
        return None
    value = round(float(mean) + 1e-9, 2)
    return value, LEVELS_TH[level_index(value)]
