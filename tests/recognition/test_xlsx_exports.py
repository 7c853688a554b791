"""`export-nominations` and the committee's score sheet as a spreadsheet program reads them: numbers as
number cells (the contract: total_score and rank), text as text, the score sheet printed on A4."""
from __future__ import annotations

import csv

from ethics.core.extensions import db
from ethics.recognition import exports, scoring
from ethics.recognition.models import ConflictKind, NominationStatus, RoundStatus
from tests.xlsx import assert_for_paper, assert_number, assert_text, column, first_sheet


def finalised(scoring_round):
    award_round, made = scoring_round["round"], scoring_round["nominations"]
    member, chair = scoring_round["member"], scoring_round["chair"]
    for n, nomination in enumerate(made):
        scoring.declare(nomination, member, ConflictKind.NONE, "")
        scoring.save_scores(nomination, member, {c.id: (5 + n, "=ดีมาก" if n == 0 else "") for c in award_round.criteria})
    scoring.finalise(award_round, chair)
    db.session.commit()
    return award_round, made


def test_export_nominations_has_number_cells_for_total_score_and_rank(runner, scoring_round, tmp_path):
    award_round, made = finalised(scoring_round)
    award_round.status = RoundStatus.ANNOUNCED
    db.session.commit()
    xlsx, csv_path = tmp_path / "nominations.xlsx", tmp_path / "nominations.csv"
    for output in (xlsx, csv_path):
        assert runner.invoke(args=["export-nominations", "--fiscal-year", "2569", "--output", str(output)]).exit_code == 0
    sheet = first_sheet(xlsx)
    scores, ranks = column(sheet, "total_score"), column(sheet, "rank")
    assert len(scores) == len(made) == 3
    for cell in scores + ranks + column(sheet, "round"):
        assert_number(cell)
    assert all(cell.number_format == "0.00" for cell in scores)  # 30.00, as the CSV has it
    assert sorted(cell.value for cell in ranks) == [1, 2, 3]
    for cell in column(sheet, "citizen_id") + column(sheet, "status") + column(sheet, "awarded"):
        assert_text(cell)
    rows = list(csv.DictReader(csv_path.open(encoding="utf-8-sig")))  # the CSV: the same values, as text
    assert [(row["total_score"], row["rank"]) for row in rows] == \
        [(f"{cell.value:.2f}", str(rank.value)) for cell, rank in zip(scores, ranks, strict=True)]
    assert {row["status"] for row in rows} == {NominationStatus.SELECTED, NominationStatus.NOT_SELECTED}


def test_the_score_sheet_prints_on_a4_with_numbers_as_numbers(scoring_round):
    award_round, _made = finalised(scoring_round)
    sheet = first_sheet(exports.score_sheet_xlsx(exports.score_sheet(award_round)))
    assert_for_paper(sheet, landscape=True)
    header = [cell.value for cell in sheet[1]]
    criteria = [c.name for c in award_round.criteria]
    assert header[4:4 + len(criteria)] == criteria
    for row in sheet.iter_rows(min_row=2):
        assert_number(row[0])  # the rank
        total = row[5 + len(criteria)]
        assert_number(total)
        assert total.number_format == "0.00"
    member_rows = [row for row in sheet.iter_rows(min_row=2) if row[4].value is not None]
    assert member_rows and all(isinstance(cell.value, int) for row in member_rows for cell in row[4:4 + len(criteria)])
    comments = [row[4 + len(criteria)] for row in member_rows if row[4 + len(criteria)].value]
    assert comments and all(cell.data_type == "s" and cell.value.startswith("=ดีมาก") for cell in comments)
