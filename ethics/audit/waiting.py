"""What the audit log puts on the administrator's start page: its last verification (the worker
walks the chain each night, `audit-verify` whenever it is run) and its last checkpoint written off
the database server."""
from __future__ import annotations

from datetime import date

from flask import Flask, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ethics.audit.models import AuditVerification
from ethics.audit.services import last_verification
from ethics.audit.tasks import last_written_checkpoint
from ethics.core.i18n import readers_moment
from ethics.web.home import WaitingItem, register


def _verification(last: AuditVerification | None) -> str:
    if last is None:
        return _("The chain has not been verified yet: the worker verifies it each night.")
    when = readers_moment(last.verified_at)
    if last.intact:
        return _("Verified intact %(when)s (%(n)d entries).", when=when, n=last.entries)
    if last.broken_at is not None:
        return _("BROKEN at entry %(seq)d, found %(when)s: run audit-verify for the details.", seq=last.broken_at,
                 when=when)
    return _("BROKEN, found %(when)s: a kept checkpoint is no longer in the log; run audit-verify for the details.",
             when=when)


def _checkpoint() -> str:
    written = last_written_checkpoint()
    if written is None:
        return _("No checkpoint has been written (ETHICS_AUDIT_CHECKPOINT_FILE).")
    checkpoint, at = written
    return _("Last checkpoint written %(when)s, at entry %(seq)d", when=readers_moment(at), seq=checkpoint.seq)


def audit_state(_account, _today: date) -> list[WaitingItem]:
    return [WaitingItem(_("Audit log"), url_for("audit.log"),
                        detail=f"{_verification(last_verification())} {_checkpoint()}")]


def provide(app: Flask) -> None:
    register(app, "admin", audit_state, _l("the audit log's last verification and checkpoint"))
