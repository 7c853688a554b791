"""The province's results PDF is laid out once and kept while the HTML it comes from is byte for
byte the same (ethics.core.kept_documents): a changed figure or text makes a new one, and a
supervisor's own slice is never kept (nor served from the province's)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from ethics.core.extensions import db
from ethics.core.kept_documents import KeptDocument
from ethics.survey.models import MoraleCampaign
from tests.pdf import pdf_text, squeezed
from tests.survey.test_survey_charts import close_with_answers


@pytest.fixture
def layouts(monkeypatch):
    """How many times WeasyPrint lays a document out."""
    import weasyprint

    made = []
    write_pdf = weasyprint.HTML.write_pdf

    def counting(self, *args, **kwargs):
        made.append(1)
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", counting)
    return made


def kept_rows() -> list[KeptDocument]:
    db.session.expire_all()
    return list(db.session.scalars(select(KeptDocument)))


def test_the_same_results_are_laid_out_once_and_a_change_makes_a_new_document(
        client, auth, org, make_campaign, make_person, layouts):
    campaign = close_with_answers(org, make_campaign, make_person, {"audit": 6, "dev_team": 6})
    auth.login("hr")
    address = f"/survey/campaigns/{campaign.id}/results.pdf"
    first = client.get(address).data
    again = client.get(address).data
    assert first == again and len(layouts) == 1
    [row] = kept_rows()
    assert row.name == f"survey-results-{campaign.id}" and row.body == first
    before = row.fingerprint

    db.session.execute(update(MoraleCampaign).where(MoraleCampaign.id == campaign.id)
                       .values(title="ขวัญกำลังใจ ฉบับแก้ไข"))
    db.session.commit()
    changed = client.get(address).data
    assert len(layouts) == 2 and "ขวัญกำลังใจฉบับแก้ไข" in squeezed(pdf_text(changed))
    [replaced] = kept_rows()  # one document per name, whatever the history
    assert replaced.fingerprint != before and replaced.body == changed


def test_a_supervisors_slice_is_made_for_them_and_never_kept(client, auth, org, make_campaign, make_person, layouts):
    campaign = close_with_answers(org, make_campaign, make_person, {"audit": 6, "dev_team": 6})
    auth.login("hr")
    client.get(f"/survey/campaigns/{campaign.id}/results.pdf")
    auth.logout()
    auth.login("supervisor")
    mine = pdf_text(client.get(f"/survey/campaigns/{campaign.id}/results.pdf").data)
    client.get(f"/survey/campaigns/{campaign.id}/results.pdf")
    assert len(layouts) == 3 and org["units"]["audit"].name_th not in mine
    assert db.session.scalar(select(func.count()).select_from(KeptDocument)) == 1


def test_closing_lays_the_results_out_before_anyone_asks(client, auth, org, make_campaign, make_person, layouts):
    campaign = close_with_answers(org, make_campaign, make_person, {"audit": 6})
    db.session.commit()  # the close commits; the worker then makes the document
    assert len(layouts) == 1 and [row.name for row in kept_rows()] == [f"survey-results-{campaign.id}"]
    auth.login("hr")
    assert client.get(f"/survey/campaigns/{campaign.id}/results.pdf").data.startswith(b"%PDF")
    assert len(layouts) == 1  # served as kept
