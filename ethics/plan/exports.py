"""The report as CSV (the columns the README documents for `export-report`), XLSX formatted for
printing, and PDF in the seed's layout."""
from __future__ import annotations

import io
from itertools import groupby

from ethics.core.documents import render_pdf
from ethics.core.fiscal import THAI_DIGITS
from ethics.core.spreadsheets import escape_cell, write_csv
from ethics.plan.report import HEADER, csv_rows

TITLES = ["รหัส", "มาตรการ", "กิจกรรม", "ตัวชี้วัดผลการปฏิบัติงาน", "ผู้รับผิดชอบ", "เป้าหมาย", "ผล", "ผลการดำเนินการ"]


def to_csv(report: list[dict]) -> bytes:
    buffer = io.StringIO()
    write_csv(buffer, HEADER, csv_rows(report))
    return buffer.getvalue().encode("utf-8")


def to_xlsx(report: list[dict], fiscal_year: int) -> bytes:
    """A4 landscape, a title row per strategy, measure cells merged down their activities."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"แผน {fiscal_year}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFGH", (8, 30, 40, 30, 22, 14, 10, 40), strict=True):
        sheet.column_dimensions[letter].width = width

    def text(row, column, value, bold=False):
        cell = sheet.cell(row=row, column=column, value=escape_cell(value))
        cell.data_type = "s"
        cell.alignment, cell.border = wrap, border
        cell.font = Font(name="TH Sarabun New", size=14, bold=bold)

    sheet.cell(row=1, column=1, value=f"รายงานผลการดำเนินการตามแผนปฏิบัติราชการใสสะอาด ปีงบประมาณ {fiscal_year}").font = \
        Font(name="TH Sarabun New", size=16, bold=True)
    row = 3
    for (number, name), grouped in groupby(report, key=lambda r: (r["strategy_number"], r["strategy"])):
        strategy_rows = list(grouped)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=8)
        text(row, 1, f"กลยุทธ์ที่ {number} {name}", bold=True)
        row += 1
        for column, title in enumerate(TITLES, start=1):
            text(row, column, title, bold=True)
        row += 1
        for _measure, in_measure in groupby(strategy_rows, key=lambda r: (r["measure_number"], r["measure"])):
            measure_rows = list(in_measure)
            first = row
            for item in measure_rows:
                values = [item["code"], item["measure"], item["activity"], item["indicator"], item["responsible"],
                          item["target"], item["value"], item["result"]]
                for column, value in enumerate(values, start=1):
                    text(row, column, value)
                row += 1
            if len(measure_rows) > 1:
                sheet.merge_cells(start_row=first, start_column=2, end_row=row - 1, end_column=2)
        row += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_pdf(report: list[dict], fiscal_year: int, thai_digits: bool = False, snapshot=None) -> bytes:
    by_strategy = groupby(report, key=lambda r: (r["strategy_number"], r["strategy"], r["objective"]))
    strategies = [(key, list(items)) for key, items in by_strategy]
    grouped = [(key, [(measure, list(rows)) for measure, rows in groupby(items, key=lambda r: r["measure"])])
               for key, items in strategies]
    pdf = render_pdf("plan/report_pdf.html", strategies=grouped, fiscal_year=fiscal_year, snapshot=snapshot,
                     digits=(lambda text: str(text).translate(THAI_DIGITS)) if thai_digits else str)
    return pdf
