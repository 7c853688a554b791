"""Closing a session: the pass rule, post-test scores, and certificates."""
from __future__ import annotations

import secrets
from collections import Counter
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select

from ethics.audit.services import record
from ethics.core.extensions import db
from ethics.core.fiscal import fiscal_year_of
from ethics.core.refusals import Refusal
from ethics.organisation.models import Signatory
from ethics.organisation.services import unit_head
from ethics.training import summary
from ethics.training.models import (
    Attendance,
    Certificate,
    Registration,
    RegistrationStatus,
    SessionStatus,
    TrainingSession,
)


class ClosingError(Refusal):
    """A refusal HR can read."""


def set_score(session: TrainingSession, registration: Registration, score: float | None) -> None:
    if session.results_final:
        raise ClosingError(_l("This session is closed; its results can no longer change."))
    if score is not None and not 0 <= score <= 100:
        raise ClosingError(_l("A score is between 0 and 100."))
    registration.post_test_score = score


def score_missing():
    """A condition on Registration: a confirmed attendee, present at least one day, without a
    post-test score; where the course has a post-test, closing waits for every such score."""
    present = exists().where(Attendance.session_id == Registration.session_id,
                             Attendance.person_id == Registration.person_id, Attendance.present)
    return (Registration.status == RegistrationStatus.CONFIRMED) & Registration.post_test_score.is_(None) & present


def close(session: TrainingSession, today: date) -> list[Registration]:
    """Apply the course's pass rule to every confirmed attendee, mark the session held, issue certificates."""
    if session.results_final:
        raise ClosingError(_l("This session is already closed."))
    if session.status == SessionStatus.CANCELLED:
        raise ClosingError(_l("A cancelled session cannot be closed."))
    if today < session.first_day:
        raise ClosingError(_l("A session can be closed once it has started."))
    course = session.course
    days_present = Counter(db.session.scalars(
        select(Attendance.person_id).where(Attendance.session_id == session.id, Attendance.present)))
    registrations = db.session.scalars(select(Registration).where(
        Registration.session_id == session.id, Registration.status == RegistrationStatus.CONFIRMED)).all()
    missing = course.pass_score is not None and db.session.scalar(
        select(func.count()).select_from(Registration).where(Registration.session_id == session.id, score_missing()))
    if missing:
        raise ClosingError(_l("Enter the post-test score of every attendee first (%(n)d missing).", n=missing))
    total_days = len(session.days)
    for registration in registrations:
        share = days_present[registration.person_id] / total_days
        registration.completed = share + 1e-9 >= course.min_attendance
        score = registration.post_test_score
        registration.passed = registration.completed and (
            course.pass_score is None or (score is not None and score >= course.pass_score))
    session.status = SessionStatus.HELD
    summary.refresh((r.person_id for r in registrations), session.id)
    passed = [r for r in registrations if r.passed]
    for registration in passed:
        issue_certificate(registration, today)
    record("session.close", session, completed=sum(bool(r.completed) for r in registrations), passed=len(passed))
    return passed


def issue_certificate(registration: Registration, today: date) -> Certificate:
    certificate = Certificate(serial="pending", token=secrets.token_urlsafe(32), registration=registration,
                              issued_on=today)
    db.session.add(certificate)
    db.session.flush()
    certificate.serial = f"ETH-{fiscal_year_of(today)}-{certificate.id:06d}"
    return certificate


def certificate_signer(session: TrainingSession) -> Signatory | None:
    """Who signs a session's certificates: the signatory chosen on the session, else the head of its
    unit (or of the nearest unit above it that has one)."""
    return session.signatory or unit_head(session.unit)


def revoke(certificate: Certificate, reason: str, today: date) -> None:
    if not reason.strip():
        raise ClosingError(_l("Give the reason for revoking."))
    if certificate.revoked_on is not None:
        raise ClosingError(_l("This certificate is already revoked."))
    certificate.revoked_on, certificate.revoked_reason = today, reason.strip()
    record("certificate.revoke", certificate, serial=certificate.serial, reason=reason.strip())


def certificate_by_token(token: str) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.token == token))


def may_open_certificates_of(account, person_id: int) -> bool:
    """A person's certificate PDFs open for that person and for HR and administrators, nobody else."""
    return account.has_role("admin", "hr") or account.person_id == person_id
