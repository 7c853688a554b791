"""The report as CSV (the columns the README documents for `export-report`), XLSX formatted for
printing, and PDF in the seed's layout."""
from __future__ import annotations

import io
import re
from decimal import Decimal
from itertools import groupby

from ethics.core.documents import render_pdf
from ethics.core.fiscal import THAI_DIGITS, fiscal_year_bounds, local_now
from ethics.core.spreadsheets import (
    PAPER_FONT,
    decimal_format,
    row_height,
    set_up_for_paper,
    thin_box,
    write_csv,
    xlsx_text,
)
from ethics.organisation.services import SignatureBlock, letterhead, organisation
from ethics.plan.report import HEADER, csv_rows

TITLES = ["รหัส", "มาตรการ", "กิจกรรม", "ตัวชี้วัดผลการปฏิบัติงาน", "ผู้รับผิดชอบ", "เป้าหมาย", "ผล", "ผลการดำเนินการ"]
VALUE_COLUMN = TITLES.index("ผล") + 1


def to_csv(report: list[dict]) -> bytes:
    buffer = io.StringIO()
    write_csv(buffer, HEADER, csv_rows(report))
    return buffer.getvalue().encode("utf-8")


WIDTHS = (8, 30, 40, 30, 22, 14, 10, 40)
FONT_SIZE = 14
HEADER_ROW = 3  # under the report's title: printed again at the top of every page
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?")


def number_or_text(value: str):
    """A value that is a plain number (every automatic source's: a count, or a mean such as 3.85) as
    a number, its digits kept (3.80 stays 3.80); anything else (a hand-entered "ร้อยละ 80") as text."""
    if not isinstance(value, str) or not _NUMBER.fullmatch(value):
        return value
    return Decimal(value) if "." in value else int(value)


def to_xlsx(report: list[dict], fiscal_year: int) -> bytes:
    """A4 landscape one page wide, the column titles repeated on every page, a title row per
    strategy, measure cells merged down their activities, rows as tall as their wrapped text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"แผน {fiscal_year}"
    set_up_for_paper(sheet, WIDTHS, landscape=True, first_header_row=HEADER_ROW)
    border = thin_box()
    wrap = Alignment(wrap_text=True, vertical="top")
    heights: dict[int, float] = {}

    def put(row, column, value, bold=False):
        value = number_or_text(value) if column == VALUE_COLUMN else value
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, Decimal):
            cell.value, cell.number_format = value, decimal_format(value)
        elif isinstance(value, int):
            cell.value = value
        elif value not in (None, ""):
            cell.value = xlsx_text(value)
            cell.data_type = "s"  # text, even when it reads like a formula
        cell.alignment, cell.border = wrap, border
        cell.font = Font(name=PAPER_FONT, size=FONT_SIZE, bold=bold)

    def fit(row, values, widths=WIDTHS):
        heights[row] = max(heights.get(row, 0), row_height(values, widths, FONT_SIZE))

    title = f"รายงานผลการดำเนินการตามแผนปฏิบัติราชการใสสะอาด ปีงบประมาณ {fiscal_year}"
    sheet.cell(row=1, column=1, value=title).font = Font(name=PAPER_FONT, size=16, bold=True)
    heights[1] = row_height([title], [sum(WIDTHS)], 16)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(WIDTHS))
    for column, name in enumerate(TITLES, start=1):
        put(HEADER_ROW, column, name, bold=True)
    fit(HEADER_ROW, TITLES)
    row = HEADER_ROW + 1
    for (number, name), grouped in groupby(report, key=lambda r: (r["strategy_number"], r["strategy"])):
        strategy_rows = list(grouped)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(WIDTHS))
        put(row, 1, f"กลยุทธ์ที่ {number} {name}", bold=True)
        fit(row, [f"กลยุทธ์ที่ {number} {name}"], [sum(WIDTHS)])
        row += 1
        for (_n, measure), in_measure in groupby(strategy_rows, key=lambda r: (r["measure_number"], r["measure"])):
            measure_rows = list(in_measure)
            first = row
            for item in measure_rows:
                values = [item["code"], item["measure"], item["activity"], item["indicator"], item["responsible"],
                          item["target"], item["value"], item["result"]]
                for column, value in enumerate(values, start=1):
                    put(row, column, value)
                # the measure's text is counted once, over the rows it is merged down
                fit(row, [value if column != 2 or len(measure_rows) == 1 else "" for column, value in
                          enumerate(values, start=1)])
                row += 1
            if len(measure_rows) > 1:
                sheet.merge_cells(start_row=first, start_column=2, end_row=row - 1, end_column=2)
                short = row_height([measure], [WIDTHS[1]], FONT_SIZE) - sum(heights[r] for r in range(first, row))
                if short > 0:
                    heights[row - 1] += short
        row += 1
    for number, height in heights.items():
        sheet.row_dimensions[number].height = height
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_pdf(report: list[dict], fiscal_year: int, thai_digits: bool = False, snapshot=None, preparer=None,
           signed: bool = True) -> bytes:
    """The report as the province files it: the agency's letterhead, the fiscal year's period and the date
    its figures stand at (the snapshot's lock, else today), then who prepared it (`preparer`, a person, or a
    blank block) and who certifies it (the organisation's choice). Unsigned (the public page's copy), both
    blocks are blank, so no signatory's name or signature image reaches the web."""
    by_strategy = groupby(report, key=lambda r: (r["strategy_number"], r["strategy"], r["objective"]))
    strategies = [(key, list(items)) for key, items in by_strategy]
    grouped = [(key, [(measure, list(rows)) for measure, rows in groupby(items, key=lambda r: r["measure"])])
               for key, items in strategies]
    signers = [SignatureBlock.of_person(preparer, "ผู้จัดทำ"),
               SignatureBlock.of(organisation().report_certifier if signed else None, "ผู้รับรอง")]
    pdf = render_pdf("plan/report_pdf.html", strategies=grouped, fiscal_year=fiscal_year, snapshot=snapshot,
                     head=letterhead(), period=fiscal_year_bounds(fiscal_year), signers=signers,
                     as_of=snapshot.locked_on if snapshot else local_now().date(),
                     digits=(lambda text: str(text).translate(THAI_DIGITS)) if thai_digits else str)
    return pdf
