"""The administrator's organisation page: the agency and its signatories, refused input changing
nothing, images re-encoded, a signatory in use kept, every change audited."""
from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image
from sqlalchemy import func, select

from ethics.audit.models import AuditEntry
from ethics.core.extensions import db
from ethics.organisation.images import LONGEST_SIDE
from ethics.organisation.models import Organisation, Signatory
from ethics.organisation.services import (
    ImageChange,
    OrganisationData,
    SignatoryInUse,
    organisation,
    remove_signatory,
    save_organisation,
)
from ethics.people.services import UnitData, save_unit
from tests.organisation.conftest import picture

FORM = {"name_th": "สำนักงานจังหวัดระยอง", "name_en": "Rayong Provincial Office", "address": "ศาลากลางจังหวัดระยอง",
        "contact": "โทรศัพท์ 0 3800 0000", "honour_signatory_id": "", "report_certifier_id": ""}


def post_settings(client, logo: bytes | None = None, filename="logo.png", **values):
    data = {**FORM, **values}
    if logo is not None:
        data["logo_file"] = (io.BytesIO(logo), filename)
    return client.post("/organisation/", data=data, content_type="multipart/form-data")


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))


def test_admin_saves_the_agency_with_a_logo(client, auth, org, signatories):
    auth.login("admin")
    response = post_settings(client, picture("JPEG", size=(3000, 1500)), "emblem.jpg",
                             honour_signatory_id=str(signatories["governor"].id))
    assert response.status_code == 302
    saved = db.session.get(Organisation, 1)
    assert (saved.name_th, saved.name_en, saved.honour_signatory.name) == (FORM["name_th"], FORM["name_en"], "นายสมชาย ใจดี")
    stored = Image.open(io.BytesIO(saved.logo))
    assert stored.format == "PNG" and max(stored.size) == LONGEST_SIDE  # re-encoded and scaled down
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "organisation.update"))
    assert "name_th" in entry.details["after"] and len(entry.details["after"]["logo"]) == 16  # a fingerprint
    page = client.get("/organisation/").text
    assert 'data-testid="logo-preview"' in page and "data:image/png;base64," in page


def test_only_an_admin_may_change_the_organisation(client, auth, org):
    auth.login("hr")
    assert client.get("/organisation/").status_code == 403
    assert post_settings(client).status_code == 403
    assert db.session.get(Organisation, 1) is None


@pytest.mark.parametrize("upload, filename, message", [
    (b"<svg onload=alert(1)></svg>", "logo.png", "Choose a PNG or JPEG image."),
    (b"GIF89a" + b"\0" * 40, "logo.gif", "Choose a PNG or JPEG image."),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * (2 * 1024 * 1024), "big.png", "The image is larger than 2 MB."),
], ids=["script", "gif", "too-large"])
def test_a_file_that_is_no_picture_is_refused_and_changes_nothing(client, auth, org, upload, filename, message):
    auth.login("admin")
    client.set_cookie("ethics_lang", "en")
    response = post_settings(client, upload, filename)
    assert response.status_code == 422 and message in response.text
    assert db.session.get(Organisation, 1) is None and "organisation.update" not in actions()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny file whose header claims a huge picture: what a decompression bomb looks like."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def test_a_picture_claiming_too_many_pixels_is_refused(client, auth, org):
    auth.login("admin")
    client.set_cookie("ethics_lang", "en")
    response = post_settings(client, png_declaring(20000, 20000))
    assert response.status_code == 422 and "too many pixels" in response.text


def test_a_picture_over_25_megapixels_is_refused_before_it_is_decoded(client, auth, org):
    """6000 x 5000 is under Pillow's own bomb limit: the application's limit refuses it."""
    auth.login("admin")
    client.set_cookie("ethics_lang", "en")
    response = post_settings(client, png_declaring(6000, 5000))
    assert response.status_code == 422 and "too many pixels" in response.text
    assert db.session.get(Organisation, 1) is None


def test_refusals_read_in_thai(client, auth, org):
    auth.login("admin")
    response = post_settings(client, b"not a picture")
    assert response.status_code == 422 and "เลือกรูปภาพแบบ PNG หรือ JPEG" in response.text


def test_a_name_with_hidden_characters_is_refused(client, auth, org):
    auth.login("admin")
    assert post_settings(client, name_th="สำนักงาน\u202eจังหวัด").status_code == 422
    assert db.session.get(Organisation, 1) is None


def test_an_unknown_signatory_is_refused(app, org):
    with pytest.raises(Exception, match="Choose a signatory from the list"):
        save_organisation(OrganisationData("ก", "", "", "", 999, None), ImageChange(), None)


def test_a_stale_edit_is_refused(app, org):
    save_organisation(OrganisationData("ก", "", "", "", None, None), ImageChange(), None)
    db.session.commit()
    with pytest.raises(Exception, match="changed this record"):
        save_organisation(OrganisationData("ข", "", "", "", None, None), ImageChange(), expected_version=0)


def test_the_logo_can_be_removed(app, org):
    save_organisation(OrganisationData("ก", "", "", "", None, None), ImageChange(upload=picture()), None)
    current = organisation()
    save_organisation(OrganisationData("ก", "", "", "", None, None), ImageChange(remove=True), current.version)
    assert organisation().logo is None


def test_admin_adds_and_edits_a_signatory_with_a_signature(client, auth, org):
    auth.login("admin")
    response = client.post("/organisation/signatories/new", content_type="multipart/form-data",
                           data={"name": "นายสมชาย ใจดี", "position": "ผู้ว่าราชการจังหวัดระยอง",
                                 "signature_file": (io.BytesIO(picture(size=(300, 100))), "sign.png")})
    assert response.status_code == 302
    signatory = db.session.scalar(select(Signatory))
    assert signatory.signature.startswith(b"\x89PNG")
    response = client.post(f"/organisation/signatories/{signatory.id}", content_type="multipart/form-data",
                           data={"name": "นายสมชาย ใจดี", "position": "รองผู้ว่าราชการจังหวัดระยอง",
                                 "remove_signature": "y", "version": signatory.version})
    assert response.status_code == 302
    db.session.refresh(signatory)
    assert signatory.position == "รองผู้ว่าราชการจังหวัดระยอง" and signatory.signature is None
    assert actions()[-2:] == ["signatory.create", "signatory.update"]


def test_a_signatory_without_a_position_is_refused(client, auth, org):
    auth.login("admin")
    response = client.post("/organisation/signatories/new", data={"name": "นายสมชาย ใจดี", "position": ""})
    assert response.status_code == 422 and db.session.scalar(select(func.count()).select_from(Signatory)) == 0


def test_a_signatory_in_use_is_kept_until_nobody_names_them(client, auth, org, signatories):
    governor = signatories["governor"]
    kept = select(func.count()).select_from(Signatory).where(Signatory.id == governor.id)
    province = org["units"]["province"]
    save_unit(province, UnitData(province.code, province.name_th, "", None, signatory_id=governor.id))
    db.session.commit()
    with pytest.raises(SignatoryInUse):
        remove_signatory(governor.id)
    db.session.rollback()
    auth.login("admin")
    client.post(f"/organisation/signatories/{governor.id}/remove")
    assert db.session.scalar(kept) == 1
    save_unit(province, UnitData(province.code, province.name_th, "", None, signatory_id=None))
    db.session.commit()
    assert client.post(f"/organisation/signatories/{governor.id}/remove").status_code == 302
    assert db.session.scalar(kept) == 0 and "signatory.remove" in actions()


def test_a_unit_or_session_may_only_name_a_known_signatory(app, org):
    province = org["units"]["province"]
    with pytest.raises(Exception, match="Choose a signatory from the list"):
        save_unit(province, UnitData(province.code, province.name_th, "", None, signatory_id=12345))


def test_an_unknown_signatory_page_is_not_found(client, auth, org):
    auth.login("admin")
    assert client.get("/organisation/signatories/12345").status_code == 404
