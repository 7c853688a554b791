from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import JSON, DateTime, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ethics.core.extensions import Model


class JobStatus(StrEnum):
    QUEUED = "queued"  # waits for a place: imports run one per account, ETHICS_MAX_IMPORT_JOBS at once
    CHECKING = "checking"
    INVALID = "invalid"  # checked, with problems: nothing can be applied
    READY = "ready"
    APPLYING = "applying"
    DONE = "done"
    FAILED = "failed"
    INTERRUPTED = "interrupted"  # never stored: shown for a running or queued job whose process is gone

    @property
    def running(self) -> bool:
        """Holds one of the places imports run in."""
        return self in (JobStatus.CHECKING, JobStatus.APPLYING)

    @property
    def unfinished(self) -> bool:
        """Queued or running: its page follows it."""
        return self == JobStatus.QUEUED or self.running

    @property
    def has_changes(self) -> bool:
        """The checked rows are shown as changes to apply, or applied."""
        return self in (JobStatus.READY, JobStatus.DONE)


class ImportJob(Model):
    """An uploaded file on its way from preview to applied, with its progress."""

    __tablename__ = "import_job"

    id: Mapped[str] = mapped_column(String(43), primary_key=True)  # random token
    kind: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)  # read by importing.services.uploaded_file
    options: Mapped[dict] = mapped_column(JSON, default=dict)
    locale: Mapped[str] = mapped_column(String(8), default="th")
    account_id: Mapped[int] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.CHECKING)
    total: Mapped[int] = mapped_column(Integer, default=0)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    # new, updated, unchanged (deactivated); more_errors: the errors found beyond those stored
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
    errors: Mapped[list] = mapped_column(JSON, default=list)  # at most MAX_REPORTED_ERRORS [row, column, reason]
    changes: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    status_at: Mapped[datetime | None] = mapped_column(DateTime)  # when the status last changed (UTC)

    # A 20,000-row roster is checked or applied in seconds: a job still running long after that
    # lost its process (a restart), and its transaction, so nothing of it was written. It holds
    # no place any more, and a job queued that long is never started.
    LOST_AFTER = timedelta(minutes=30)

    def shown_status(self, now: datetime) -> JobStatus:
        """The status to show: interrupted for a job whose process is gone."""
        status = JobStatus(self.status)
        if status.unfinished and self.status_at and now - self.status_at > self.LOST_AFTER:
            return JobStatus.INTERRUPTED
        return status

    @property
    def more_errors(self) -> int:
        return int((self.counts or {}).get("more_errors", 0))

    @property
    def problem_count(self) -> int:
        return len(self.errors or []) + self.more_errors
