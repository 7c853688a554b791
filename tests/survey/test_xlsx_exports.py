"""`export-survey-results` to XLSX as a spreadsheet program reads it (the contract): n, mean and sd are
number cells, n stays the text `suppressed` for a hidden group; the CSV keeps its text."""
from __future__ import annotations

import csv
import io

from ethics.core.extensions import db
from ethics.survey import answering
from tests.survey.conftest import all_fives
from tests.xlsx import assert_number, assert_text, first_sheet


def closed_campaign(org, make_campaign, make_person):
    big = [make_person(org["units"]["audit"]) for _ in range(6)]
    small = [make_person(org["units"]["dev"]) for _ in range(3)]
    campaign = make_campaign()
    for n, person in enumerate(big + small):
        answering.submit(campaign.id, person.id, all_fives(campaign, 2 + n % 3), "")
    answering.close_campaign(campaign)
    db.session.commit()
    return campaign


def test_export_survey_results_has_number_cells(runner, org, make_campaign, make_person, tmp_path):
    closed_campaign(org, make_campaign, make_person)
    xlsx, csv_path = tmp_path / "results.xlsx", tmp_path / "results.csv"
    for output in (xlsx, csv_path):
        result = runner.invoke(args=["export-survey-results", "--fiscal-year", "2570", "--output", str(output)])
        assert result.exit_code == 0, result.output
    sheet = first_sheet(xlsx)
    assert [cell.value for cell in sheet[1]] == ["group", "dimension", "item", "n", "mean", "sd", "level"]
    shown = [row for row in sheet.iter_rows(min_row=2) if row[0].value == "all"]
    hidden = [row for row in sheet.iter_rows(min_row=2) if row[0].value == org["units"]["dev"].name_th]
    assert shown and hidden
    for group, n, mean, sd, _level in (row[0:1] + row[3:7] for row in shown):
        assert_text(group)
        assert_number(n)
        for cell in (mean, sd):
            assert_number(cell)
            assert cell.number_format == "0.00"  # 3.00 shows as the CSV writes it
    assert_number(shown[0][3], 9)  # the answer sheets of the whole province
    for row in hidden:
        assert_text(row[3], "suppressed")
        assert [cell.value for cell in row[4:7]] == [None, None, None]
    texts = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))[1:]
    numbers = [[cell.value for cell in row[3:6]] for row in sheet.iter_rows(min_row=2)]
    assert len(texts) == len(numbers)
    for text, (n, mean, sd) in zip(texts, numbers, strict=True):
        assert text[3] == str(n)
        assert text[4:6] == (["", ""] if mean is None else [f"{mean:.2f}", f"{sd:.2f}"])


def test_the_results_download_has_number_cells(client, auth, org, make_campaign, make_person):
    campaign = closed_campaign(org, make_campaign, make_person)
    auth.login("hr")
    sheet = first_sheet(client.get(f"/survey/campaigns/{campaign.id}/results.xlsx").data)
    overall = sheet[2]
    assert overall[0].value == "all"
    for cell in overall[3:6]:
        assert_number(cell)
