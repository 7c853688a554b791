"""PDF documents in the Sarabun typeface (from the fontpkg-sarabun package) and QR codes."""
from __future__ import annotations

from functools import cache

import fontpkg
import segno
from flask import render_template
from flask_babel import force_locale

from ethics.core.text import printable


@cache
def _font_css() -> str:
    faces = []
    for weight in (400, 700):
        path = fontpkg.path("Sarabun", weight)
        faces.append(f"@font-face {{ font-family: 'Sarabun'; font-weight: {weight}; src: url('{path.as_uri()}'); }}")
    return "\n".join(faces)


def render_pdf(template: str, **context) -> bytes:
    """Render a Jinja template to PDF; templates use `font-family: Sarabun`."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    with force_locale("th"):  # official documents are in Thai whatever the reader's interface
        html = printable(render_template(template, **context))  # a stored U+202E must not print a name reversed
    fonts = FontConfiguration()  # without it WeasyPrint ignores @font-face and Thai falls back to boxes
    return HTML(string=html).write_pdf(stylesheets=[CSS(string=_font_css(), font_config=fonts)], font_config=fonts)


def qr_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI, allowed by the CSP's img-src."""
    return segno.make(text, error="m").svg_data_uri(scale=4, border=2)
