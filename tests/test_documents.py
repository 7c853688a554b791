"""Official documents: Thai text in the embedded Sarabun typeface, never as missing-glyph boxes."""
import logging
import re
import zlib
from datetime import date
from types import SimpleNamespace

from ethics.core.documents import render_pdf


def pdf_text_objects(body: bytes) -> bytes:
    """The PDF's objects with every compressed stream inflated, to look for the embedded font's name."""
    inflated = [body]
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", body, re.S):
        try:
            inflated.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"".join(inflated)


def test_pdfs_embed_sarabun_and_render_every_thai_glyph(app, caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    award_round = SimpleNamespace(title="ข้าราชการพลเรือนดีเด่น ประจำปี 2569", presented_on=date(2027, 4, 1))
    nomination = SimpleNamespace(round=award_round, certificate_serial="HON-2569-0001",
                                 person=SimpleNamespace(full_name="นางสาวใจดี มีธรรม", position="นักทรัพยากรบุคคล",
                                                        position_level="ชำนาญการ"),
                                 unit=SimpleNamespace(name_th="สำนักงานจังหวัดระยอง"))
    with app.test_request_context():
        body = render_pdf("recognition/honour_pdf.html", nomination=nomination, qr="", link="https://example.test/v")
    assert body.startswith(b"%PDF") and b"Sarabun" in pdf_text_objects(body)
    assert not [r for r in caplog.records if "notdef" in r.getMessage()]
