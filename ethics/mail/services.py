"""The outbox: mail is written in the transaction that causes it and sent by the worker.

Other domains queue a message for a person with

    queue_for_person(person, kind, subject, template=NOTICE, *, locale=None, attachments=(),
                     sensitive=False, **context)

(`queue_message` for an address that is no person's). The subject and the template's two
blocks, `text` and `html`, are rendered right away in the recipient's language (theirs when the
request is their own, Thai otherwise), so give the subject and any text in `context` as lazy
strings (`_l(...)`). The message is a row of this transaction: a rolled-back change leaves
none, and a committed one queues `deliver`, which sends it with retries and back-off.

Each message leaves at most once: `deliver` claims a row (queued -> sending, in its own
committed transaction) before talking to the mail server and marks it sent right after the
server accepted it, so a retry, a second task or an administrator's "send again" never sends
an accepted message again. Only a worker that dies between the server's acceptance and that
mark (or a database that fails just then) can leave a message that is claimed again, after
CLAIM_EXPIRES, and sent a second time with the same Message-ID.
"""
from __future__ import annotations

import base64
import smtplib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid, parseaddr
from typing import Any

from flask import current_app, has_request_context
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy import and_, case, delete, event, func, or_, select, update
from sqlalchemy.orm import Session

from ethics.audit.services import record
from ethics.core import tasks
from ethics.core.extensions import db
from ethics.core.fiscal import utc_now
from ethics.core.i18n import LOCALES, current_locale
from ethics.core.refusals import NotFound, Refusal
from ethics.mail import sender
from ethics.mail.models import MailStatus, OutboxMessage
from ethics.people.models import Person

DEFAULT_LOCALE = "th"
NOTICE = "mail/notice.html"  # a greeting, paragraphs, and a link: for any message without a template of its own
RETRIES, RETRY_DELAY_S, BACKOFF = 5, 60, 2  # tries again after 1, 2, 4, 8 and 16 minutes
MAX_ATTEMPTS = RETRIES + 1
CLAIM_EXPIRES = timedelta(minutes=10)  # a claim older than this belongs to a worker that died
BATCH = 100  # messages per task: one connection to the mail server each
_PENDING = "ethics_outbox_pending"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # e.g. "text/calendar"
    data: bytes

    def stored(self) -> dict:
        return {"filename": self.filename, "content_type": self.content_type,
                "data": base64.b64encode(self.data).decode("ascii")}


class NotWaiting(Refusal):
    """The message was sent, or is being sent, since the page was loaded."""

    status = 409

    @classmethod
    def default_message(cls):
        return _l("This message is not waiting to be sent any more.")


class MailNotSent(Exception):
    """Some messages wait for another try: raised so that the queue tries the task again later."""


# --- queueing -------------------------------------------------------------------------

def language_for(person_id: int | None) -> str:
    """The language a person reads: the one they use here when this request is their own, else Thai."""
    if person_id is not None and has_request_context() and getattr(current_user, "person_id", None) == person_id:
        return current_locale()
    return DEFAULT_LOCALE


def queue_for_person(person: Person, kind: str, subject: Any, template: str = NOTICE, *, locale: str | None = None,
                     attachments: Sequence[Attachment] = (), sensitive: bool = False,
                     **context: Any) -> OutboxMessage | None:
    """Write a message to `person` (greeted by name) in this transaction; None when they have no email.

    `kind` names what it is (`training.invitation`, `reminder.session`...); `subject` and the
    texts in `context` are best lazy (`_l`) so that they come out in the recipient's language;
    `template` has a `text` and an `html` block (NOTICE takes `paragraphs`, `link`, `link_label`);
    `locale` overrides the recipient's language; `sensitive` for a secret (a sign-in link).
    """
    email = (person.email or "").strip()
    if not email:
        return None
    return queue_message(email, kind, subject, template, name=person.full_name, person_id=person.id,
                         locale=locale or language_for(person.id), attachments=attachments, sensitive=sensitive,
                         **context)


def queue_message(to: str, kind: str, subject: Any, template: str = NOTICE, *, name: str = "",
                  person_id: int | None = None, locale: str = DEFAULT_LOCALE, attachments: Sequence[Attachment] = (),
                  sensitive: bool = False, **context: Any) -> OutboxMessage:
    """Write a message to the address `to` in this transaction; it is sent once the transaction commits."""
    locale = locale if locale in LOCALES else DEFAULT_LOCALE
    subject_text, text, html = render(template, locale, subject, name=name, **context)
    message = OutboxMessage(message_id=new_message_id(), kind=kind, recipient=to.strip(), person_id=person_id,
                            language=locale, subject=subject_text, body_text=text, body_html=html,
                            attachments=[attachment.stored() for attachment in attachments], sensitive=sensitive,
                            status=MailStatus.QUEUED, attempts=0, last_error="", created_at=utc_now())
    db.session.add(message)
    _send_after_commit([message.message_id])
    return message


def render(template: str, locale: str, subject: Any, **context: Any) -> tuple[str, str, str]:
    """The subject (on one line), the plain text and the HTML, in `locale`."""
    with force_locale(locale):
        values = {"locale": locale, **{key: _plain(value) for key, value in context.items()}}
        return (" ".join(str(subject).split()),
                render_block(template, "text", **values).strip() + "\n",
                render_block(template, "html", **values))


def _plain(value: Any) -> Any:
    """Lazy texts as plain strings, in the language being rendered: Jinja would take a lazy text
    for safe HTML and leave what was put into it (a course title, say) unescaped."""
    if isinstance(value, LazyString):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def new_message_id() -> str:
    """`<random@domain>`, the domain of ETHICS_MAIL_FROM's address."""
    domain = parseaddr(current_app.config["ETHICS_MAIL_FROM"])[1].rpartition("@")[2] or "ethics.localhost"
    return make_msgid(domain=domain)


def _send_after_commit(message_ids: list[str]) -> None:
    """Queue `deliver` for these messages, once, when this transaction commits."""
    session = db.session()
    pending = session.info.get(_PENDING)
    if pending is None:
        pending = session.info[_PENDING] = []
        tasks.after_commit(session, _deliver_all, pending)
    pending.extend(message_ids)


def _deliver_all(message_ids: list[str]) -> None:
    for start in range(0, len(message_ids), BATCH):
        deliver(message_ids[start:start + BATCH])


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)


def discard_pending() -> int:
    """Take back every message this transaction queued (the demo mails nobody); how many."""
    pending = db.session.info.pop(_PENDING, None) or []
    message_ids = list(pending)
    pending.clear()  # the task queued for after the commit gets nothing to send
    for start in range(0, len(message_ids), 500):
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.message_id.in_(message_ids[start:start + 500])))
    return len(message_ids)


# --- sending --------------------------------------------------------------------------

@tasks.task(retries=RETRIES, retry_delay=RETRY_DELAY_S, retry_backoff=BACKOFF, context=True)
def deliver(message_ids: list[str], task=None) -> None:
    """Send those of the messages that are waiting. When some must wait for another try, raise,
    so that the queue runs this again later (1, 2, 4, 8, 16 minutes); on the last try (or with
    no worker to try again: ETHICS_TASKS_IMMEDIATE) they are marked failed instead."""
    last_try = task is None or not task.retries or tasks.queue.immediate
    waiting = send_waiting(message_ids, last_try=last_try)
    if waiting:
        raise MailNotSent(f"{waiting} of {len(message_ids)} messages wait for another try")


@dataclass
class _Claimed:
    id: int
    email: EmailMessage | None
    problem: str = ""  # why no e-mail could be built of it


def send_waiting(message_ids: Sequence[str], *, last_try: bool = True) -> int:
    """Claim the waiting messages among these, send them over one connection and mark each as
    it goes; returns how many wait for another try (none when `last_try`: those are failed)."""
    token = uuid.uuid4().hex
    claimed = _claim(message_ids, token)
    waiting = done = 0
    if not claimed:
        return 0
    try:
        with sender.connection() as connection:
            for item in claimed:
                if item.email is None:
                    _release([item.id], token, item.problem, final=True)
                else:
                    try:
                        connection.send(item.email)
                    except (OSError, smtplib.SMTPException, ValueError) as error:
                        code = sender.smtp_code(error)
                        if code is None and not isinstance(error, smtplib.SMTPNotSupportedError | ValueError):
                            raise  # the connection is lost: this message and the rest wait
                        permanent = code is None or code >= 500
                        waiting += _release([item.id], token, sender.describe(error), final=permanent or last_try)
                    else:
                        _mark_sent(item.id, token)
                done += 1
    except (OSError, smtplib.SMTPException, ValueError) as error:  # ValueError: ETHICS_SMTP_URL is not a mail server's
        waiting += _release([item.id for item in claimed[done:]], token, sender.describe(error), final=last_try)
    return waiting


def _claim(message_ids: Sequence[str], token: str) -> list[_Claimed]:
    """Take the waiting messages for this worker (a committed transaction of its own, so that no
    other worker takes them), and build their e-mails; no transaction stays open while sending."""
    now = utc_now()
    claimable = or_(OutboxMessage.status == MailStatus.QUEUED,
                    and_(OutboxMessage.status == MailStatus.SENDING, OutboxMessage.claimed_at < now - CLAIM_EXPIRES))
    for start in range(0, len(message_ids), 500):
        db.session.execute(
            update(OutboxMessage).where(OutboxMessage.message_id.in_(message_ids[start:start + 500]), claimable)
            .values(status=MailStatus.SENDING, claimed_by=token, claimed_at=now, attempts=OutboxMessage.attempts + 1)
            .execution_options(synchronize_session=False))
    db.session.commit()
    claimed = []
    for message in db.session.scalars(select(OutboxMessage).where(OutboxMessage.claimed_by == token)
                                      .order_by(OutboxMessage.id)):
        try:
            claimed.append(_Claimed(message.id, email_of(message)))
        except ValueError as error:  # an address or subject no e-mail can carry
            claimed.append(_Claimed(message.id, None, f"{type(error).__name__}: {error}"))
    db.session.commit()
    return claimed


def email_of(message: OutboxMessage) -> EmailMessage:
    return sender.build(message_id=message.message_id, to=message.recipient, subject=message.subject,
                        text=message.body_text, html=message.body_html, created_at=message.created_at,
                        attachments=message.attachments or [])


def _mark_sent(message_id: int, token: str) -> None:
    erase = OutboxMessage.sensitive.is_(True)
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.claimed_by == token)
        .values(status=MailStatus.SENT, sent_at=utc_now(), claimed_by=None, last_error="",
                body_text=case((erase, ""), else_=OutboxMessage.body_text),
                body_html=case((erase, ""), else_=OutboxMessage.body_html))
        .execution_options(synchronize_session=False))
    db.session.commit()


def _release(ids: list[int], token: str, problem: str, *, final: bool) -> int:
    """Give claimed messages back after a failed try: failed when `final` or out of tries,
    else queued for the next; returns how many wait for another try."""
    if not ids:
        return 0
    status = (MailStatus.FAILED.value if final else
              case((OutboxMessage.attempts >= MAX_ATTEMPTS, MailStatus.FAILED.value), else_=MailStatus.QUEUED.value))
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id.in_(ids), OutboxMessage.claimed_by == token)
        .values(status=status, claimed_by=None, last_error=problem[:2000])
        .execution_options(synchronize_session=False))
    db.session.commit()
    if final:
        return 0
    return db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.id.in_(ids), OutboxMessage.status == MailStatus.QUEUED)) or 0


# --- what an administrator does -------------------------------------------------------

def resend(message_id: int) -> OutboxMessage:
    """Send a message that is waiting or failed once more, now (audited)."""
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.id == message_id).with_for_update())
    if message is None:
        raise NotFound()
    if not message.resendable:
        raise NotWaiting()
    message.status = MailStatus.QUEUED
    record("mail.resend", message, kind=message.kind, to=message.recipient, attempts=message.attempts)
    _send_after_commit([message.message_id])
    return message


def resend_unsent(older_than: timedelta = timedelta(0)) -> int:
    """Send every message not sent yet again: failed, waiting, or claimed by a worker that died.
    `older_than` leaves out those queued more recently (for a periodic sweep). Returns how many."""
    now = utc_now()
    unsent = and_(OutboxMessage.created_at <= now - older_than, or_(
        OutboxMessage.status.in_((MailStatus.QUEUED, MailStatus.FAILED)),
        and_(OutboxMessage.status == MailStatus.SENDING, OutboxMessage.claimed_at < now - CLAIM_EXPIRES)))
    message_ids = list(db.session.scalars(select(OutboxMessage.message_id).where(unsent).order_by(OutboxMessage.id)))
    if not message_ids:
        return 0
    db.session.execute(update(OutboxMessage).where(unsent, OutboxMessage.status == MailStatus.FAILED)
                       .values(status=MailStatus.QUEUED).execution_options(synchronize_session=False))
    record("mail.resend_unsent", count=len(message_ids))
    _send_after_commit(message_ids)
    return len(message_ids)


def counts() -> dict[str, int]:
    """How many messages are in each state."""
    found = dict(db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    return {status.value: found.get(status.value, 0) for status in MailStatus}


def send_now(to: str, subject: Any, template: str = NOTICE, *, locale: str = DEFAULT_LOCALE,
             **context: Any) -> sender.Route:
    """Send one message straight away, past the outbox (the test message of `send-test-mail`):
    returns the route it took; raises OSError, an SMTPException or ValueError when it did not."""
    subject_text, text, html = render(template, locale, subject, **context)
    email = sender.build(message_id=new_message_id(), to=to, subject=subject_text, text=text, html=html,
                         created_at=utc_now())
    with sender.connection() as connection:
        connection.send(email)
    return sender.route()

