"""Pages about messages: the staff outbox and change notices, and the public ways to get a
private link back."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from planner.core import outbox, worker
from planner.core.access import staff_blueprint
from planner.core.database import db, one_or_404
from planner.core.forms import Form
from planner.core.outbox import MessageStatus, OutgoingMessage
from planner.core.security import limiter, private_link_limit
from planner.delegations.access import delegation_by_token_or_404
from planner.delegations.models import Delegation
from planner.messages import composing, notices
from planner.messages.forms import LostLinkForm, NoticeForm
from planner.programs import announcements
from planner.programs.models import Program
from planner.programs.queries import WITH_AGENDA, public_program_or_404

bp = Blueprint("messages", __name__)
staff_bp = staff_blueprint("outbox", __name__)

PAGE_SIZE = 100
STATUS_LABELS = {
    MessageStatus.QUEUED: _l("waiting"),
    MessageStatus.SENDING: _l("being sent"),
    MessageStatus.SENT: _l("sent"),
    MessageStatus.FAILED: _l("failed"),
}


@staff_bp.app_context_processor
def message_helpers():
    return {"message_status_label": lambda status: str(STATUS_LABELS[MessageStatus(status)])}


# --- public --------------------------------------------------------------------------------


@bp.post("/d/<token>/send-link")
@private_link_limit
@limiter.limit("5 per hour")
def send_link(token: str):
    delegation = delegation_by_token_or_404(token, full=False)
    if not Form().validate_on_submit():
        abort(400)
    composing.delegation_link(delegation)
    db.session.commit()
    flash(worker.mail_note(delegation.contact_email), "success")
    return redirect(url_for("delegations.delegation", token=token), code=303)


@bp.route("/programs/<slug>/lost-link", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def lost_link(slug: str):
    """The contact's e-mail address brings its private links; the answer is the same whether
    or not the address registered, so nobody learns who did."""
    program = public_program_or_404(slug, with_items=False)
    form = LostLinkForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        delegations = db.session.scalars(
            select(Delegation).where(
                Delegation.program_id == program.id,
                func.lower(Delegation.contact_email) == email,
            )
        )
        for delegation in delegations:
            composing.delegation_link(delegation)
        db.session.commit()
        flash(
            _(
                "If %(email)s registered a delegation for this program, its private link is "
                "on its way to that address.",
                email=email,
            ),
            "success",
        )
        return redirect(url_for("public.program", slug=slug), code=303)
    status = 422 if form.errors else 200
    return render_template("public/lost_link.html", program=program, form=form), status


# --- staff: the outbox ---------------------------------------------------------------------


@staff_bp.get("/messages")
def index():
    status = request.args.get("status", "")
    query = select(OutgoingMessage).order_by(OutgoingMessage.id.desc()).limit(PAGE_SIZE + 1)
    if status in {state.value for state in MessageStatus}:
        query = query.where(OutgoingMessage.status == status)
    before = request.args.get("before", type=int)
    if before:
        query = query.where(OutgoingMessage.id < before)
    messages = list(db.session.scalars(query))
    older = messages[PAGE_SIZE - 1].id if len(messages) > PAGE_SIZE else None
    return render_template(
        "staff/messages/index.html",
        messages=messages[:PAGE_SIZE],
        status=status,
        older=older,
        statuses=list(MessageStatus),
        form=Form(),
        mail_configured=outbox.mail_configured(),
        worker_state=worker.state(),
    )


@staff_bp.post("/messages/<public_id>/resend")
def resend(public_id: str):
    message = one_or_404(OutgoingMessage, public_id=public_id)
    if not Form().validate_on_submit():
        abort(400)
    if message.waiting:
        flash(_("This message is still waiting to be sent."), "warning")
    else:
        outbox.resend(message)
        db.session.commit()
        flash(worker.mail_note(message.recipient), "success")
    return redirect(url_for("outbox.index", status=request.args.get("status", "")), code=303)


# --- staff: change notices -----------------------------------------------------------------


@staff_bp.route("/programs/<slug>/changes", methods=["GET", "POST"])
def changes(slug: str):
    program = one_or_404(Program, slug=slug)
    form = NoticeForm()
    if form.validate_on_submit():
        try:
            count = notices.send(program, form.fingerprint.data)
        except notices.NoticeRefused as refused:
            db.session.rollback()
            flash(str(refused.message), "warning")
        else:
            db.session.commit()
            flash(
                _("The change notice is queued for %(count)s people.", count=count)
                + " "
                + worker.mail_note(None),
                "success",
            )
            return redirect(url_for("programs.show", slug=slug), code=303)
        return redirect(url_for("outbox.changes", slug=slug), code=303)
    program = one_or_404(Program, WITH_AGENDA, slug=slug)
    pending = announcements.pending_changes(program)
    form.fingerprint.data = announcements.fingerprint(pending)
    return render_template(
        "staff/messages/changes.html",
        program=program,
        pending=pending,
        people=notices.recipients(program, pending) if pending else [],
        describe=announcements.describe,
        form=form,
    )
