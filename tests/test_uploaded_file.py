"""An import job's file is read back a piece at a time (PF9: fetched whole, PostgreSQL's transfer
of a 20 MB upload cost the checking process 120 MB more); the pieces make the file again exactly."""
from __future__ import annotations

import random

import pytest

from ethics.core.extensions import db
from ethics.importing import services


@pytest.mark.parametrize("size", [0, 1, 999, 1000, 1001, 2500])
def test_the_pieces_make_the_uploaded_file_exactly(app, monkeypatch, size):
    monkeypatch.setattr(services, "CONTENT_PIECE", 1000)
    data = random.Random(size).randbytes(size) + b"\x00\xff"[: min(size, 2)]
    job = services.create_job(services.REGISTRY["roster"], "roster.csv", data, {}, 1, "th")
    db.session.commit()
    job_id = job.id
    db.session.expunge_all()
    assert services.uploaded_file(job_id) == data
