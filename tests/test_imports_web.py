"""Uploading a roster in the browser's way: check, preview, apply; all-or-nothing."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from ethics.core.extensions import db
from ethics.importing.models import ImportJob
from ethics.people.models import Person
from tests.conftest import citizen_id

HEADER = "citizen_id,title,first_name,last_name,personnel_type,unit_code"


def upload(client, text: str, name="roster.csv", **extra):
    data = {"file": (io.BytesIO(text.encode()), name), **extra}
    return client.post("/imports/roster", data=data, content_type="multipart/form-data")


def people_count():
    return db.session.scalar(select(func.count()).select_from(Person))


def test_upload_with_errors_shows_them_row_by_row_and_writes_nothing(client, auth, org):
    auth.login("hr")
    before = people_count()
    response = upload(client, f"{HEADER}\n{citizen_id(1)},นาย,ก,ข,civil_servant,NOPE\n0000000000000,นาย,ค,ง,civil_servant,DEV\n")
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert 'data-status="invalid"' in page.text
    assert "ไม่พบหน่วยงาน NOPE" in page.text and "เลขประจำตัวประชาชนไม่ถูกต้อง" in page.text
    assert "<td>2</td>" in page.text and "<td>3</td>" in page.text
    assert people_count() == before


def test_clean_upload_previews_then_applies_once(client, auth, org):
    auth.login("hr")
    new_id = citizen_id(4242)
    inside = org["people"]["inside"]
    text = (f"{HEADER}\n{new_id},นาง,ใหม่,ล่าสุด,government_employee,AUD\n"
            f"{inside.citizen_id},นาย,ในสังกัด,นามสกุลใหม่,civil_servant,DEV-1\n")
    job_url = upload(client, text).headers["Location"]
    preview = client.get(job_url)
    assert 'data-status="ready"' in preview.text
    assert people_count() == 4  # nothing yet
    apply_url = job_url + "/apply"
    assert client.post(apply_url).status_code == 302
    assert client.post(apply_url).status_code == 409  # a double click applies nothing twice
    done = client.get(job_url)
    assert 'data-status="done"' in done.text
    assert people_count() == 5
    assert inside.last_name == "นามสกุลใหม่"


def test_data_changed_between_preview_and_apply_is_rechecked(client, auth, org):
    auth.login("hr")
    job_url = upload(client, f"{HEADER}\n{citizen_id(4343)},นาง,ใหม่,ล่าสุด,civil_servant,AUD\n").headers["Location"]
    db.session.delete(org["units"]["audit"])
    outside = org["people"]["outside"]
    db.session.delete(outside)
    db.session.commit()
    client.post(job_url + "/apply")
    assert 'data-status="invalid"' in client.get(job_url).text
    assert db.session.scalar(select(Person).where(Person.first_name == "ใหม่")) is None


@pytest.mark.parametrize("name, content, message", [
    ("roster.txt", "hello", "Upload a .csv or .xlsx file."),
    ("roster.xlsx", "not a zip", "not a readable Excel"),
    ("roster.csv", "", "The file is empty."),
])
def test_bad_files_are_refused_with_a_message(client, auth, org, name, content, message):
    client.set_cookie("ethics_lang", "en")
    auth.login("hr")
    response = upload(client, content, name=name)
    assert response.status_code == 422
    assert message in response.text
    assert db.session.scalar(select(func.count()).select_from(ImportJob)) == 0


def test_missing_file_is_explained(client, auth, org):
    client.set_cookie("ethics_lang", "en")
    auth.login("hr")
    response = client.post("/imports/roster", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Choose a file" in response.text


def test_upload_size_limit_gives_413(app, client, auth, org):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    auth.login("hr")
    assert upload(client, HEADER + "\n" + "x" * 4096).status_code == 413


def test_jobs_are_private_to_their_uploader(app, client, auth, org):
    auth.login("hr")
    job_url = upload(client, f"{HEADER}\n{citizen_id(4444)},นาง,ใหม่,ล่าสุด,civil_servant,AUD\n").headers["Location"]
    other = app.test_client()
    other.post("/login", data={"username": "admin", "password": "correct-horse-battery"})
    assert other.get(job_url).status_code == 404
    assert other.post(job_url + "/apply").status_code == 404


def test_employee_cannot_import(client, auth, org):
    auth.login("employee")
    assert client.get("/imports/roster").status_code == 403


def test_unknown_import_kind_is_404(client, auth, org):
    auth.login("hr")
    assert client.get("/imports/unknown-kind").status_code == 404


def test_polling_fragment_for_htmx(client, htmx_client, auth, org):
    auth.login("hr")
    job_url = upload(client, f"{HEADER}\n{citizen_id(4545)},นาง,ใหม่,ล่าสุด,civil_servant,AUD\n").headers["Location"]
    htmx_client.post("/login", data={"username": "hr", "password": "correct-horse-battery"})
    fragment = htmx_client.get(job_url).text
    assert fragment.lstrip().startswith('<section id="job-status"') and "<html" not in fragment


def test_a_job_whose_process_died_shows_as_interrupted_and_cannot_be_applied(client, auth, org):
    from datetime import timedelta

    from ethics.core.fiscal import utc_now

    auth.login("hr")
    job_url = upload(client, f"{HEADER}\n{citizen_id(4545)},นาง,ใหม่,ล่าสุด,civil_servant,AUD\n").headers["Location"]
    job = db.session.scalar(select(ImportJob))
    job.status, job.status_at = "applying", utc_now() - timedelta(minutes=5)  # still running: it may finish
    db.session.commit()
    assert 'data-status="applying"' in client.get(job_url).text
    job.status_at = utc_now() - ImportJob.LOST_AFTER - timedelta(minutes=1)  # its process is gone
    db.session.commit()
    page = client.get(job_url)
    assert 'data-status="interrupted"' in page.text and "hx-trigger" not in page.text
    assert "อัปโหลดไฟล์อีกครั้ง" in page.text
    assert client.post(job_url + "/apply").status_code == 409
    assert people_count() == 4


@pytest.mark.parametrize("uploader, outcome", [("hr", "invalid"), ("admin", "ready")])
def test_who_uploads_decides_whether_a_committee_members_email_may_change(client, auth, org, make_account, uploader,
                                                                          outcome):
    member = org["people"]["outside"]
    make_account("member", ("committee", "employee"), person=member)
    auth.login(uploader)
    row = f"{member.citizen_id},,{member.first_name},{member.last_name},{member.personnel_type},AUD,,,new@example.go.th"
    job_url = upload(client, f"{HEADER},position,position_level,email\n{row}\n").headers["Location"]
    page = client.get(job_url)
    assert f'data-status="{outcome}"' in page.text, page.text
