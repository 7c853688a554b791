"""Large PDFs kept once made, keyed by the exact HTML they were made from.

Laying out a long document (the province's survey results: hundreds of units in rows) takes
WeasyPrint seconds, while rendering its HTML takes a fraction of one. So the HTML is always
rendered afresh from the data, and the PDF made from it is kept under the HTML's fingerprint
(with the typeface's and WeasyPrint's): a download whose HTML is byte for byte the one kept gets
the kept PDF, and any other, however small the change, makes and keeps a new one. Nothing can be
stale, because nothing is keyed by time or by a guess at what changed.

One row per document name, so storage stays one document per name whatever the history."""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import DateTime, LargeBinary, String, select
from sqlalchemy.orm import Mapped, deferred, mapped_column

from ethics.core.bulk import upsert_row
from ethics.core.database import write_transaction
from ethics.core.extensions import Model, db
from ethics.core.fiscal import utc_now


class KeptDocument(Model):
    """The last PDF made under a name, and the fingerprint of what it was made from."""

    __tablename__ = "kept_document"
    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    body: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    made_at: Mapped[datetime] = mapped_column(DateTime)


def fingerprint(*sources: str) -> str:
    digest = hashlib.sha256()
    for source in sources:
        digest.update(hashlib.sha256(source.encode("utf-8")).digest())
    return digest.hexdigest()


def kept_or_made(name: str, key: str, make: Callable[[], bytes]) -> bytes:
    """The PDF kept under `name` if it was made from `key`, else make() kept there from now on."""
    found = db.session.scalar(select(KeptDocument.body).where(KeptDocument.name == name, KeptDocument.fingerprint == key))
    if found is not None:
        return found
    body = make()
    with write_transaction(db.session):
        upsert_row(KeptDocument, ["name"], name=name, fingerprint=key, body=body, made_at=utc_now())
    return body
