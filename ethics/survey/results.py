"""Results of a closed campaign: statistics per item and dimension, per unit, with suppression.

A group's scores show only with at least MIN_SCORES answer sheets. When exactly one group is
hidden, the next smallest is hidden too, so the overall figures minus the visible groups never
reveal a hidden one. Comments are all shown at once or not at all: the whole population's with
at least MIN_COMMENTS sheets, and a group's only when every group has at least MIN_COMMENTS, so
the overall comments minus the groups' shown never leave a small group's behind.
"""
from __future__ import annotations

import math
import secrets
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ethics.core.extensions import db
from ethics.core.i18n import current_locale
from ethics.survey.campaigns import turnout
from ethics.survey.models import (
    CampaignStatus,
    MoraleCampaign,
    SurveyAnswer,
    SurveyItem,
    SurveyResponse,
)

_shuffle = secrets.SystemRandom().shuffle
MIN_SCORES = 5
MIN_COMMENTS = 10
ALL = "all"
LEVELS = [(1.80, _l("Lowest")), (2.60, _l("Low")), (3.40, _l("Moderate")), (4.20, _l("High")), (5.00, _l("Highest"))]
LEVELS_TH = ["น้อยที่สุด", "น้อย", "ปานกลาง", "มาก", "มากที่สุด"]


def level_index(mean: float) -> int:
    """The Thai band: 1.00-1.80, 1.81-2.60, 2.61-3.40, 3.41-4.20, 4.21-5.00 (on the rounded mean)."""
    rounded = round(mean + 1e-9, 2)
    return next(n for n, (upper, _label) in enumerate(LEVELS) if rounded <= upper)


def level_label(mean: float | None):
    return "" if mean is None else LEVELS[level_index(mean)][1]


@dataclass
class Stat:
    n: int
    mean: float | None
    sd: float | None
    distribution: list[int] = field(default_factory=lambda: [0] * 5)

    @property
    def level(self):
        return level_label(self.mean)


def _stat(count: int, total: float, squares: float, distribution: list[int]) -> Stat:
    if not count:
        return Stat(0, None, None, distribution)
    mean = total / count
    variance = max(0.0, (squares - count * mean * mean) / (count - 1)) if count > 1 else 0.0
    return Stat(count, mean, math.sqrt(variance), distribution)


@dataclass
class GroupResult:
    label: str
    sheets: int
    suppressed: bool
    items: dict[int, Stat]
    dimensions: dict[int, Stat]
    overall: Stat
    comments: list[str] | None  # None when there are too few to show


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


def suppressed_labels(sizes: dict[str, int]) -> set[str]:
    hidden = {label for label, n in sizes.items() if n < MIN_SCORES}
    visible = sorted((n, label) for label, n in sizes.items() if label not in hidden)
    if len(hidden) == 1 and visible:
        hidden.add(visible[0][1])
    return hidden


def _aggregate(campaign_id: int) -> dict[tuple[str, int], tuple[int, float, float, list[int]]]:
    """(unit label, item id) -> count, sum, sum of squares, distribution; in one grouped query."""
    rows = db.session.execute(
        select(SurveyResponse.unit_label, SurveyAnswer.item_id, SurveyAnswer.value, func.count())
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyResponse.campaign_id == campaign_id)
        .group_by(SurveyResponse.unit_label, SurveyAnswer.item_id, SurveyAnswer.value)).all()
    data: dict[tuple[str, int], list] = {}
    for label, item_id, value, count in rows:
        entry = data.setdefault((label, item_id), [0, 0.0, 0.0, [0] * 5])
        entry[0] += count
        entry[1] += value * count
        entry[2] += value * value * count
        entry[3][value - 1] += count
    return {key: tuple(value) for key, value in data.items()}


def _combine(parts: list[tuple[int, float, float, list[int]]]) -> Stat:
    count = sum(p[0] for p in parts)
    distribution = [sum(p[3][k] for p in parts) for k in range(5)]
    return _stat(count, sum(p[1] for p in parts), sum(p[2] for p in parts), distribution)


def _group(label, sheets, suppressed, cells, item_dimension, comments) -> GroupResult:
    items = {item_id: _combine([cell]) for item_id, cell in cells.items()}
    dimensions = {}
    for dimension_id in set(item_dimension.values()):
        dimensions[dimension_id] = _combine([cell for item_id, cell in cells.items()
                                             if item_dimension.get(item_id) == dimension_id])
    overall = _combine(list(cells.values()))
    shown = None
    if comments is not None and sheets >= MIN_COMMENTS and not suppressed:
        shown = [text for text in comments if text]
        _shuffle(shown)
    return GroupResult(label, sheets, suppressed, items, dimensions, overall, shown)


def campaign_results(campaign: MoraleCampaign, labels: set[str] | None = None) -> CampaignResults:
    """Everything the dashboard and exports show; `labels` limits the groups (a supervisor's units)."""
    if not campaign.results_visible:
        raise PermissionError("results appear only after the campaign is closed")
    item_dimension = {item.id: item.dimension_id for item in campaign.items}
    cells = _aggregate(campaign.id)
    sizes = dict(db.session.execute(select(SurveyResponse.unit_label, func.count()).where(
        SurveyResponse.campaign_id == campaign.id).group_by(SurveyResponse.unit_label)).all())
    hidden = suppressed_labels(sizes)
    comments: dict[str, list[str]] = {}
    for label, text in db.session.execute(select(SurveyResponse.unit_label, SurveyResponse.comment).where(
            SurveyResponse.campaign_id == campaign.id, SurveyResponse.comment != "")):
        comments.setdefault(label, []).append(text)
    total_sheets = sum(sizes.values())
    group_comments = all(n >= MIN_COMMENTS for n in sizes.values())
    overall = _group(ALL, total_sheets, total_sheets < MIN_SCORES,
                     {item_id: _sum_cells([cell for (_label, iid), cell in cells.items() if iid == item_id])
                      for item_id in item_dimension},
                     item_dimension, [c for texts in comments.values() for c in texts])
    groups = [_group(label, sizes[label], label in hidden,
                     {iid: cell for (group, iid), cell in cells.items() if group == label}, item_dimension,
                     comments.get(label, []) if group_comments else None)
              for label in sorted(sizes) if labels is None or label in labels]
    counts = turnout([campaign.id])[campaign.id]
    return CampaignResults(campaign, counts.eligible, counts.answered, overall, groups, previous_means(campaign),
                           whole=labels is None)


def _sum_cells(parts):
    return (sum(p[0] for p in parts), sum(p[1] for p in parts), sum(p[2] for p in parts),
            [sum(p[3][k] for p in parts) for k in range(5)])


def dimension_means(campaign: MoraleCampaign) -> dict[int, float]:
    """The overall mean of each dimension of a closed campaign in one aggregate query (the plan's
    dashboard); empty while it has fewer answer sheets than results may show."""
    if not campaign.results_visible:
        raise PermissionError("results appear only after the campaign is closed")
    sheets, first_sheet = db.session.execute(select(func.count(), func.min(SurveyResponse.id))
                                             .where(SurveyResponse.campaign_id == campaign.id)).one()
    if sheets < MIN_SCORES:
        return {}
    key = (campaign.id, sheets, first_sheet)
    if key not in _CLOSED_MEANS:
        rows = db.session.execute(
            select(SurveyItem.dimension_id, func.avg(SurveyAnswer.value))
            .join(SurveyAnswer, SurveyAnswer.item_id == SurveyItem.id)
            .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
            .where(SurveyResponse.campaign_id == campaign.id).group_by(SurveyItem.dimension_id)).all()
        _CLOSED_MEANS[key] = {dimension_id: float(mean) for dimension_id, mean in rows}
    return _CLOSED_MEANS[key]


# A closed campaign's answers never change, so its means are kept per process: at province scale
# the aggregate over 450,000 answers cost the dashboard 270 ms a view. The key holds the sheet
# count and the smallest random sheet id, so a campaign id reused (after a deletion, or in another
# database) never finds another campaign's means.
_CLOSED_MEANS: dict[tuple[int, int, str], dict[int, float]] = {}


def previous_means(campaign: MoraleCampaign) -> dict[str, float]:
    """Last year's dimension means by Thai name, for comparison: from its closed campaign, and only
    when it had enough answer sheets for results to show (dimension_means' rule)."""
    previous = db.session.scalar(select(MoraleCampaign).where(MoraleCampaign.fiscal_year == campaign.fiscal_year - 1,
                                                              MoraleCampaign.status == CampaignStatus.CLOSED))
    if previous is None:
        return {}
    means = dimension_means(previous)
    return {dimension.name_th: means[dimension.id] for dimension in previous.dimensions if dimension.id in means}


def year_dimension_means(fiscal_year: int) -> list[tuple[str, float]]:
    """(name in the reader's language, mean) of each dimension of the year's closed campaign; none
    before it closes."""
    campaign = db.session.scalar(select(MoraleCampaign).where(MoraleCampaign.fiscal_year == fiscal_year,
                                                              MoraleCampaign.status == CampaignStatus.CLOSED))
    if campaign is None:
        return []
    means = dimension_means(campaign)
    return [(d.name(current_locale()), means[d.id]) for d in campaign.dimensions if d.id in means]


def morale_index(fiscal_year: int) -> tuple[float, str] | None:
    """The mean of every item answer of the year's closed campaign, two decimals, with its Thai band."""
    mean = db.session.scalar(
        select(func.avg(SurveyAnswer.value)).join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .join(MoraleCampaign, MoraleCampaign.id == SurveyResponse.campaign_id)
        .where(MoraleCampaign.fiscal_year == fiscal_year, MoraleCampaign.status == CampaignStatus.CLOSED))
    if mean is None:
        return None
    value = round(float(mean) + 1e-9, 2)
    return value, LEVELS_TH[level_index(value)]
