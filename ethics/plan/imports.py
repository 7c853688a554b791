"""`import-plan`: one row per activity; strategy and measure names repeated; several years at once."""
from __future__ import annotations

import re

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ethics.audit.services import record
from ethics.core.extensions import db
from ethics.core.fiscal import YEARS
from ethics.importing.base import ImportPlan, RowChange, RowError, compared, missing_values
from ethics.importing.template_files import Allowed, Guide, in_both_languages
from ethics.people.imports import parse_personnel_type, personnel_types
from ethics.people.models import in_type_order
from ethics.plan.models import Activity, Measure, Plan, Source, Strategy
from ethics.plan.services import plan_for, population_problem
from ethics.plan.sources import SOURCE_LABELS

COLUMNS = {
    "fiscal_year": ("ปีงบประมาณ",), "code": ("รหัส",), "strategy": ("กลยุทธ์",), "measure": ("มาตรการ",),
    "activity": ("กิจกรรม",), "indicator": ("ตัวชี้วัด", "ตัวชี้วัดผลการปฏิบัติงาน"), "responsible": ("ผู้รับผิดชอบ",),
    "target": ("เป้าหมาย",), "source": ("แหล่งข้อมูล",), "personnel_types": ("ประเภทบุคลากร",),
}
CODE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{1,2})$")
FIELDS = ("name", "indicator", "responsible", "target", "source", "personnel_types")

TARGET_LENGTH = 255  # plan_activity.target


def parse_population(text: str) -> list[str]:
    """`ข้าราชการ, ลูกจ้างประจำ` or codes, in the personnel types' own order; an unknown name is
    kept as written so the row check can name it."""
    named = {part.strip() for part in text.split(",") if part.strip()}
    parsed = {name: parse_personnel_type(name) for name in named}
    known = in_type_order(parsed.values())
    return known + sorted(name for name, kind in parsed.items() if kind is None)


def source_names() -> dict[str, Source]:
    """A source as a file may name it: its code, or its label as the screens show it, in Thai
    or in English ("ผู้เข้าร่วมการอบรม" or "Training participants")."""
    names: dict[str, Source] = {source.value: source for source in Source}
    for locale in ("en", "th"):
        with force_locale(locale):
            names.update({str(label): source for source, label in SOURCE_LABELS.items()})
    return names


GUIDE = Guide({
    "fiscal_year": ("ปีงบประมาณ พ.ศ. เช่น 2570", "The fiscal year, Buddhist Era, e.g. 2570"),
    "code": ("รหัสกิจกรรม กลยุทธ์.มาตรการ.กิจกรรม เช่น 1.2.1", "The activity's code, strategy.measure.activity, e.g. 1.2.1"),
    "strategy": ("ชื่อกลยุทธ์ (ซ้ำกันในทุกแถวของกลยุทธ์เดียวกัน)", "The strategy's name (repeated on each of its rows)"),
    "measure": ("ชื่อมาตรการ (ซ้ำกันในทุกแถวของมาตรการเดียวกัน)", "The measure's name (repeated on each of its rows)"),
    "activity": ("ชื่อกิจกรรม", "The activity's name"),
    "indicator": ("ตัวชี้วัดผลการปฏิบัติงาน", "Performance indicator"),
    "responsible": ("ผู้รับผิดชอบ", "Responsible"),
    "target": ("เป้าหมาย ไม่เกิน 255 ตัวอักษร", "Target, at most 255 characters"),
    "source": ("แหล่งข้อมูลของค่า: รหัสหรือชื่อ (ดูแผ่นงานคำอธิบาย) เว้นว่างคือกรอกเอง",
               "Where the value comes from: its code or label (see the guide sheet); blank: entered by hand"),
    "personnel_types": ("นับเฉพาะประเภทบุคลากรเหล่านี้ คั่นด้วยจุลภาค เว้นว่างคือทุกคน",
                        "Count only these personnel types, comma-separated; blank: everyone"),
}, lambda: [Allowed("source", in_both_languages(SOURCE_LABELS.items())), personnel_types("personnel_types")])


class PlanImporter:
    kind = "plan"
    title = _l("Plan")
    columns = COLUMNS
    required = ("fiscal_year", "code", "strategy", "measure", "activity")
    options: tuple[str, ...] = ()
    roles = ("admin", "hr")
    guide = GUIDE

    def plan(self, table, options: dict, progress) -> ImportPlan:
        plan = ImportPlan()
        sources = source_names()
        seen: dict[tuple[int, str], int] = {}
        names: dict[tuple, tuple[str, int]] = {}
        rows: list[tuple[int, int, str, dict, str, list[str]]] = []
        for number, values in table.rows:
            errors = missing_values(number, values, self.required)
            year_text = values.get("fiscal_year", "").strip()
            year = int(year_text) if year_text.isdigit() and int(year_text) in YEARS else None
            if year_text and year is None:
                errors.append(RowError(number, "fiscal_year", _l("a Buddhist Era year such as 2570"), year_text))
            match = CODE.match(values.get("code", "").strip())
            if values.get("code", "").strip() and not match:
                errors.append(RowError(number, "code", _l("use strategy.measure.activity, e.g. 1.2.1"),
                                       values["code"].strip()))
            if len(values.get("target", "").strip()) > TARGET_LENGTH:
                errors.append(RowError(number, "target", _l("at most %(n)d characters", n=TARGET_LENGTH),
                                       values["target"].strip()))
            written = values.get("source", "").strip()
            source = sources.get(written, written) or Source.MANUAL
            if source not in set(Source):
                errors.append(RowError(number, "source", _l("unknown source %(value)s", value=source)))
            population = parse_population(values.get("personnel_types", ""))
            if problem := population_problem(source, population):
                errors.append(RowError(number, "personnel_types", problem))
            if year and match:
                code = values["code"].strip()
                if (year, code) in seen:
                    errors.append(RowError(number, "code", _l("duplicated in the file (also row %(row)d)",
                                                              row=seen[(year, code)]), code))
                seen.setdefault((year, code), number)
                s, m, _a = (int(part) for part in match.groups())
                for key, column, text in (((year, s), "strategy", values.get("strategy", "").strip()),
                                          ((year, s, m), "measure", values.get("measure", "").strip())):
                    first = names.setdefault(key, (text, number))
                    if text and first[0] != text:
                        errors.append(RowError(number, column, _l("differs from row %(row)d for the same number",
                                                                  row=first[1]), text))
            plan.errors.extend(errors)
            if not errors and year is not None:  # a row without errors has its year
                rows.append((number, year, values["code"].strip(), values, source, population))
        progress(len(table.rows), len(table.rows))
        for number, year, code, values, source, population in rows:
            existing = self._existing(year, code)
            wanted = self._fields(values, source, population)
            if existing is None:
                plan.changes.append(RowChange(number, "new", f"{year} {code}"))
            else:
                old = {name: getattr(existing, name) for name in FIELDS}
                plan.changes.append(compared(number, f"{year} {code}", old, wanted, FIELDS))
        plan.state = rows
        return plan

    @staticmethod
    def _fields(values: dict, source: str, population: list[str]) -> dict:
        return {"name": values["activity"].strip(), "indicator": values.get("indicator", "").strip(),
                "responsible": values.get("responsible", "").strip(), "target": values.get("target", "").strip(),
                "source": source, "personnel_types": population}

    @staticmethod
    def _existing(year: int, code: str) -> Activity | None:
        plan = plan_for(year)
        return next((a for a in plan.activities if a.code == code), None) if plan else None

    def apply(self, plan: ImportPlan, filename: str) -> None:
        for _number, year, code, values, source, population in plan.state:
            target = plan_for(year) or Plan(fiscal_year=year)
            db.session.add(target)
            s, m, a = (int(part) for part in code.split("."))  # checked against CODE
            strategy = next((x for x in target.strategies if x.number == s), None)
            if strategy is None:
                strategy = Strategy(number=s, name=values["strategy"].strip())
                target.strategies.append(strategy)
            strategy.name = values["strategy"].strip()
            measure = next((x for x in strategy.measures if x.number == m), None)
            if measure is None:
                measure = Measure(number=m, name=values["measure"].strip())
                strategy.measures.append(measure)
            measure.name = values["measure"].strip()
            activity = next((x for x in measure.activities if x.number == a), None)
            if activity is None:
                activity = Activity(number=a, code=code, result_text="")
                measure.activities.append(activity)
            for name, value in self._fields(values, source, population).items():
                setattr(activity, name, value)
            db.session.flush()
        record("import.plan", file=filename, **plan.counts())
