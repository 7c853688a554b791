"""What the audit log puts on the administrator's start page: when its last checkpoint was written.

No verification result is kept anywhere (`audit-verify` only prints one), so the checkpoint the
worker last wrote off the database server is the latest sign of the log being looked after."""
from __future__ import annotations

from datetime import date

from flask import Flask, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ethics.audit.tasks import last_written_checkpoint
from ethics.core.fiscal import to_local
from ethics.core.i18n import thai_date
from ethics.web.home import WaitingItem, register


def last_checkpoint(_account, _today: date) -> list[WaitingItem]:
    written = last_written_checkpoint()
    if written is None:
        detail = _("No checkpoint has been written (ETHICS_AUDIT_CHECKPOINT_FILE).")
    else:
        checkpoint, at = written
        moment = to_local(at)
        detail = _("Last checkpoint written %(when)s, at entry %(seq)d",
                   when=f"{thai_date(moment)} {moment.strftime('%H:%M')}", seq=checkpoint.seq)
    return [WaitingItem(_("Audit log"), url_for("audit.log"), detail=detail)]


def provide(app: Flask) -> None:
    register(app, "admin", last_checkpoint, _l("when the audit log's last checkpoint was written"))
