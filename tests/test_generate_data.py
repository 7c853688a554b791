"""`generate-data`: deterministic benchmark data through the app's own paths, into an empty database only."""
import pytest
from sqlalchemy import func, select, text

from bench.generate_data import generate_data
from ethics.core.extensions import db
from ethics.people.models import Person
from ethics.recognition.models import Nomination
from ethics.survey.models import SurveyAnswer
from ethics.training.models import Attendance
from tests.conftest import POSTGRES


def test_quick_scale_fills_an_empty_database_once(runner):
    result = runner.invoke(generate_data, args=["--scale", "quick", "--seed", "7"])
    assert result.exit_code == 0, result.output
    counted = {model.__name__: db.session.scalar(select(func.count()).select_from(model))
               for model in (Person, Attendance, SurveyAnswer, Nomination)}
    assert counted == {"Person": 2_000, "Attendance": 20_000, "SurveyAnswer": 2 * 500 * 30, "Nomination": 60}
    again = runner.invoke(generate_data, args=["--scale", "quick"])
    assert again.exit_code == 1 and "not empty" in again.output


@pytest.mark.skipif(not POSTGRES, reason="VACUUM and pg_stat_user_tables are PostgreSQL's")
def test_postgresql_statistics_are_fresh_after_generating(runner):
    assert runner.invoke(generate_data, args=["--scale", "quick", "--seed", "7"]).exit_code == 0
    vacuumed = db.session.scalar(text("SELECT last_vacuum IS NOT NULL AND last_analyze IS NOT NULL "
                                      "FROM pg_stat_user_tables WHERE relname = 'attendance' "
                                      "AND schemaname = current_schema()"))
    assert vacuumed


def test_the_same_seed_gives_the_same_people(app):
    import random

    from bench.generate_data import make_people, make_units

    made = []
    for _ in range(2):
        make_people(random.Random(7), 50, make_units(5))
        made.append(db.session.execute(select(Person.citizen_id, Person.personnel_type, Person.service_start_date)
                                       .order_by(Person.id)).all())
        db.session.rollback()
    assert made[0] == made[1] and len(made[0]) == 50
