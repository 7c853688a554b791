"""Official documents: Thai text in the embedded Sarabun typeface, never as missing-glyph boxes."""
import logging
import re
import subprocess
import zlib
from datetime import date
from types import SimpleNamespace

import fontpkg

from ethics.core import documents
from ethics.core.documents import render_pdf
from ethics.organisation.services import Letterhead, SignatureBlock
from tests.pdf import EXTRACTORS


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
                                 person=SimpleNamespace(full_name="นางสาวใจดี มีธรรม",
                                                        position_title="นักทรัพยากรบุคคล ชำนาญการ"),
                                 unit=SimpleNamespace(name_th="สำนักงานจังหวัดระยอง"))
    with app.test_request_context():
        body = render_pdf("recognition/honour_pdf.html", nomination=nomination, qr="", link="https://example.test/v",
                          head=Letterhead("สำนักงานจังหวัดระยอง", "ศาลากลางจังหวัด", "", None),
                          signer=SignatureBlock("นายสมชาย ใจดี", "ผู้ว่าราชการจังหวัดระยอง"))
    assert body.startswith(b"%PDF") and b"Sarabun" in pdf_text_objects(body)
    assert not [r for r in caplog.records if "notdef" in r.getMessage()]


SARA_AM_TEXT = "ก่ำ ก้ำ ก๊ำ ก๋ำ ป่ำ ป้ำ ฟ้ำ ปำ ทำ การ ดำเนินการ น้ำหนัก กำลังใจ ผู้อำนวยการ สํ ปํ ก่ํ"


def _weasyprint(font_css: str, html: str) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return HTML(string=html).write_pdf(stylesheets=[CSS(string=font_css, font_config=fonts)], font_config=fonts)


def test_sara_am_reads_back_with_every_tone_mark_and_after_tall_consonants():
    """ำ alone and under each tone mark, after ป and ฟ (whose marks shift left), next to า and a lone nikhahit ํ."""
    html = f"<body style='font-family: Sarabun'><p>{SARA_AM_TEXT}</p><p><b>{SARA_AM_TEXT}</b></p></body>"
    body = _weasyprint(documents._font_css(), html)
    for name, extract in EXTRACTORS.items():
        assert extract(body).split() == SARA_AM_TEXT.split() * 2, name


def test_the_sara_am_glyphs_print_exactly_as_sarabuns_own(tmp_path):
    """The font change is for the text layer only: the pages rasterise to the same pixels as with Sarabun itself."""
    own = "\n".join(f"@font-face {{ font-family: 'Sarabun'; font-weight: {weight}; "
                    f"src: url('{fontpkg.path('Sarabun', weight).as_uri()}'); }}" for weight in (400, 700))
    html = (f"<body style='font-family: Sarabun; font-size: 20pt'><p>{SARA_AM_TEXT}</p>"
            f"<p><b>{SARA_AM_TEXT}</b></p><p>ปั่น ฝั่ง ฟื้นฟู ญาติ ฐาน ฎีกา ฤทธิ์ ปู่ ตู้ นี้ ที่ กั้น</p></body>")
    pixels = []
    for css, name in ((own, "own"), (documents._font_css(), "fixed")):
        (tmp_path / f"{name}.pdf").write_bytes(_weasyprint(css, html))
        subprocess.run(["pdftoppm", "-r", "100", "-gray", str(tmp_path / f"{name}.pdf"), str(tmp_path / name)], check=True)
        pixels.append((tmp_path / f"{name}-1.pgm").read_bytes())
    assert pixels[0] == pixels[1]
