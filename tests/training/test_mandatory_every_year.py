"""A course mandatory in every fiscal year, beside the years HR names: each reader of the
mandatory courses honours it (the course form, the supervisor's team page, the start page count)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from ethics.core.extensions import db
from ethics.training import history, results, waiting
from ethics.training.catalogue import CatalogueError, CourseData, save_course
from ethics.training.models import EVERY_YEAR, MandatoryCourse
from tests.home import in_english  # noqa: F401  # fixture
from tests.training.test_waiting import present, seat

TODAY = date(2026, 12, 10)  # fiscal year 2570


def mandatory(course, year=None, kinds=("civil_servant",), every_year=False):
    save_course(course, CourseData(course.code, course.title_th, "", "ethics", 6, 1.0, None, mandatory_year=year,
                                   mandatory_types=list(kinds), mandatory_every_year=every_year))
    db.session.commit()


def rows(course):
    return sorted(tuple(row) for row in db.session.execute(
        select(MandatoryCourse.fiscal_year, MandatoryCourse.personnel_type).where(MandatoryCourse.course_id == course.id)))


def test_every_year_sits_beside_the_named_years_and_is_replaced_on_its_own(make_course):
    course = make_course()
    mandatory(course, 2570, ["civil_servant", "government_employee"])
    mandatory(course, every_year=True)
    assert rows(course) == [(EVERY_YEAR, "civil_servant"), (2570, "civil_servant"), (2570, "government_employee")]
    mandatory(course, every_year=True, kinds=())  # none ticked: no longer mandatory every year
    assert rows(course) == [(2570, "civil_servant"), (2570, "government_employee")]
    with pytest.raises(CatalogueError) as refused:
        mandatory(course, 2571, every_year=True)
    assert refused.value.field == "mandatory_year"


@pytest.mark.usefixtures("in_english")  # the start page's item builds its link
def test_the_team_page_and_the_start_page_count_a_course_mandatory_every_year(org, make_course, make_session):
    supervisor = org["accounts"]["supervisor"]
    course = make_course()
    mandatory(course, every_year=True)
    for year in (2570, 2571, 2590):
        assert history.count_missing_mandatory(supervisor, year) == 3  # the boss and the two of the team below
    assert waiting.team_gaps(supervisor, TODAY)[0].count == 3
    session = make_session(course=course, first_day=TODAY - timedelta(days=1))
    seat(session, org["people"]["inside"])
    present(session, org["people"]["inside"])
    results.close(session, TODAY)
    db.session.commit()
    assert waiting.team_gaps(supervisor, TODAY)[0].count == 2  # passed in 2570 ...
    assert history.count_missing_mandatory(supervisor, 2571) == 3  # ... and due again in 2571
    page = history.missing_mandatory(supervisor, 2570, 1)
    assert org["people"]["inside"] not in [person for person, _course in page.items] and page.total == 2


def test_a_course_mandatory_both_in_a_year_and_every_year_is_one_gap(org, make_course):
    supervisor = org["accounts"]["supervisor"]
    course = make_course()
    mandatory(course, 2570)
    mandatory(course, every_year=True)
    page = history.missing_mandatory(supervisor, 2570, 1)
    assert page.total == 3 and len({person.id for person, _course in page.items}) == 3
    mandatory(course, every_year=True, kinds=["permanent_employee"])  # nobody of this type here
    assert history.count_missing_mandatory(supervisor, 2571) == 0


def test_hr_marks_a_course_mandatory_every_year_on_its_form(client, auth, org, make_course):
    course = make_course(code="EVERY")
    auth.login("hr")
    client.set_cookie("ethics_lang", "en")
    form = {"code": "EVERY", "title_th": course.title_th, "title_en": "", "category": "ethics", "default_hours": "6",
            "min_attendance": "100", "pass_score": "", "mandatory_year": "", "mandatory_every_year": "y",
            "mandatory_types": ["civil_servant"], "version": course.version}
    assert client.post(f"/training/courses/{course.id}/edit", data=form).status_code == 302
    assert rows(course) == [(EVERY_YEAR, "civil_servant")]
    shown = client.get(f"/training/courses/{course.id}/edit").text.split('data-testid="mandatory-now"')[1].split("</p>")[0]
    assert "every fiscal year" in shown and "Civil servant" in shown
    both = client.post(f"/training/courses/{course.id}/edit",
                       data={**form, "mandatory_year": "2571", "version": course.version})
    assert both.status_code == 422 and "Give a fiscal year or choose every year, not both." in both.text
    assert rows(course) == [(EVERY_YEAR, "civil_servant")]
    page = client.get("/training/team?fy=2575").text
    assert course.title_th in page
