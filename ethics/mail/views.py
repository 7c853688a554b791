"""The outbox page: what is queued, sent and failed, for administrators only."""
from __future__ import annotations

from flask import Blueprint, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from ethics.core.extensions import db
from ethics.mail import services
from ethics.mail.models import STATUS_LABELS, MailStatus, OutboxMessage
from ethics.web.access import roles_required
from ethics.web.pagination import paginate
from ethics.web.render import render
from ethics.web.unit_of_work import perform

bp = Blueprint("mail", __name__)
PAGE_SIZE = 50


@bp.get("/mail")
@roles_required("admin")
def outbox():
    """Newest first, optionally of one status; the list shows no message's text."""
    chosen = request.args.get("status", "")
    query = select(OutboxMessage)
    if chosen in set(MailStatus):
        query = query.where(OutboxMessage.status == chosen)
    else:
        chosen = ""
    page = paginate(query.order_by(OutboxMessage.id.desc()), request.args.get("page", 1, type=int), PAGE_SIZE)
    return render("mail/outbox.html", "messages", page=page, chosen=chosen, counts=services.counts(), labels=STATUS_LABELS,
                  args=request.args)


@bp.get("/mail/<int:message_id>")
@roles_required("admin")
def message(message_id: int):
    return render("mail/message.html", message=db.get_or_404(OutboxMessage, message_id))


@bp.post("/mail/<int:message_id>/resend")
@roles_required("admin")
def resend(message_id: int):
    perform(lambda: services.resend(message_id), done=_("The message is queued to be sent again."))
    return redirect(url_for("mail.message", message_id=message_id))


@bp.post("/mail/resend-unsent")
@roles_required("admin")
def resend_unsent():
    perform(services.resend_unsent, done=lambda count: ngettext("%(num)d message is queued to be sent again.",
                                                                "%(num)d messages are queued to be sent again.", count))
    return redirect(url_for("mail.outbox"))
