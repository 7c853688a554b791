"""Pictures as an administrator uploads them, and the demo-like agency the documents name."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from ethics.core.extensions import db
from ethics.organisation.services import ImageChange, OrganisationData, SignatoryData, save_organisation, save_signatory


def picture(fmt: str = "PNG", size=(400, 200), colour=(28, 63, 138)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format=fmt)
    return out.getvalue()


@pytest.fixture
def signatories(app):
    made = {key: save_signatory(None, SignatoryData(name, position), ImageChange())
            for key, name, position in [("governor", "นายสมชาย ใจดี", "ผู้ว่าราชการจังหวัดระยอง"),
                                        ("office", "นางสาวมาลี ศรีสุข", "หัวหน้าสำนักงานจังหวัดระยอง"),
                                        ("centre", "นายอนันต์ ทองคำ", "ผู้อำนวยการศูนย์พัฒนา")]}
    db.session.commit()
    return made


@pytest.fixture
def agency(signatories):
    """The agency with its logo; the governor signs certificates of honour, the office head certifies the report."""
    save_organisation(OrganisationData("สำนักงานจังหวัดระยอง", "Rayong Provincial Office", "ศาลากลางจังหวัดระยอง",
                                       "โทรศัพท์ 0 3800 0000", signatories["governor"].id, signatories["office"].id),
                      ImageChange(upload=picture()), None)
    db.session.commit()
    return signatories
