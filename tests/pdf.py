"""Reading a PDF as its readers do: the text poppler's pdftotext extracts (search, copy, screen readers)."""
from __future__ import annotations

import subprocess


def pdf_text(body: bytes) -> str:
    return subprocess.run(["pdftotext", "-raw", "-", "-"], input=body, capture_output=True, check=True).stdout.decode()
