"""Official documents: Thai text in the embedded Sarabun typeface, never as missing-glyph boxes."""
import logging
import re
import zlib

from ethics.documents import render_pdf


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
    with app.test_request_context():
        body = render_pdf("training/verify.html", certificate=None)
    assert body.startswith(b"%PDF") and b"Sarabun" in pdf_text_objects(body)
    assert not [r for r in caplog.records if "notdef" in r.getMessage()]
