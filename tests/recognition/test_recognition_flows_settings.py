"""Round settings that make no sense are refused with a reason next to the field (issue 19)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from ethics.core.extensions import db
from ethics.recognition import rounds
from ethics.recognition.errors import RecognitionError
from ethics.recognition.models import AwardRound
from tests.recognition.test_views import round_form


@pytest.mark.parametrize("opens, closes, field", [
    (date(2025, 9, 30), date(2026, 1, 31), "nominations_open"),  # the day before FY2569 starts
    (date(2026, 1, 5), date(2026, 10, 1), "nominations_close"),  # the day after it ends
    (date(2026, 10, 5), date(2026, 10, 31), "nominations_open"),  # wholly in FY2570
])
def test_a_nomination_window_outside_the_rounds_fiscal_year_is_refused(app, opens, closes, field):
    with pytest.raises(RecognitionError) as refused:
        rounds.create_round(2569, opens, closes)
    assert refused.value.field == field


def test_the_fiscal_years_first_and_last_days_are_inside(app):
    assert rounds.create_round(2569, date(2025, 10, 1), date(2026, 9, 30)).year == 2569


def test_editing_a_round_keeps_its_window_in_its_fiscal_year(app):
    award_round = rounds.create_round(2569, date(2026, 1, 5), date(2026, 1, 31))
    data = rounds.RoundData(2569, date(2026, 1, 5), date(2026, 11, 30))
    with pytest.raises(RecognitionError) as refused:
        rounds.update_round(award_round, data, award_round.version)
    assert refused.value.field == "nominations_close"


@pytest.mark.parametrize("lang, message", [
    ("en", "Nominations open and close within fiscal year 2569, from 1 Oct 2025 to 30 Sep 2026."),
    ("th", "1 ต.ค. 2568"),
])
def test_the_form_shows_the_reason_next_to_the_date(client, auth, org, lang, message):
    client.set_cookie("ethics_lang", lang)
    auth.login("hr")
    response = client.post("/recognition/rounds/new", data=round_form(nominations_close="15/10/2569"))
    assert response.status_code == 422
    error = response.text.split('id="nominations_close-error"')[1].split("</small>")[0]
    assert message in error
    assert db.session.scalar(select(func.count()).select_from(AwardRound)) == 0
