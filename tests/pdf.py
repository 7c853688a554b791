"""Reading a PDF as its readers do: the text poppler's pdftotext extracts (search, copy, screen readers), and
pypdf's (archiving and indexing tools), to compare with the text that was laid out."""
from __future__ import annotations

import io
import subprocess

import lxml.html


def pdf_text(body: bytes) -> str:
    return subprocess.run(["pdftotext", "-raw", "-", "-"], input=body, capture_output=True, check=True).stdout.decode()


def pypdf_text(body: bytes) -> str:
    from pypdf import PdfReader  # a test dependency; imported here so that pdf_text's users do not need it

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


EXTRACTORS = {"pdftotext": pdf_text, "pypdf": pypdf_text}


def squeezed(text: str) -> str:
    """Without white space: Thai lines break inside phrases, and a table cell wraps where its width ends."""
    return "".join(text.split())


def laid_out(html: str) -> list[str]:
    """Each piece of text of the page's body (a text node, squeezed), in document order; a chart's
    <title> and <desc> are read out by screen readers, not drawn, so no PDF holds them as text."""
    nodes = lxml.html.document_fromstring(html).xpath(
        "//body//text()[not(ancestor::style) and not(ancestor::script)"
        " and not(ancestor::*[local-name()='title' or local-name()='desc'][ancestor::*[local-name()='svg']])]")
    return [text for text in map(squeezed, nodes) if text]


def assert_text_layer(body: bytes, html: str) -> dict[str, str]:
    """Every text the page laid out reads back the same from the PDF with each extractor; returns their texts."""
    texts = {}
    for name, extract in EXTRACTORS.items():
        text = squeezed(extract(body))
        missing = [piece for piece in laid_out(html) if piece not in text]
        assert not missing, f"{name} does not read back {missing} in {text!r}"
        assert "\ufffd" not in text, name
        texts[name] = text
    return texts
