"""Staff review of delegations: lists with counts, the full record, decisions, new links."""

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from planner.audit.log import events_for
from planner.core import confirm, worker
from planner.core.access import staff_blueprint
from planner.core.database import db, one_or_404
from planner.core.forms import options
from planner.core.records import StaleEdit
from planner.delegations import capacity, confirmations, review
from planner.delegations.access import WITH_MEMBERS
from planner.delegations.editing import edit_page
from planner.delegations.forms import StatusForm
from planner.delegations.links import letter_response, manage_url, personal_url
from planner.delegations.models import Delegation, DelegationStatus, Member
from planner.delegations.protection import delete_delegation
from planner.programs.models import Program

bp = staff_blueprint("review", __name__)


@bp.get("/programs/<slug>/delegations")
def index(slug: str):
    program = one_or_404(Program, slug=slug)
    wanted = request.args.get("status", "")
    query = (
        select(Delegation, func.count(Member.id))
        .outerjoin(Member, Member.delegation_id == Delegation.id)
        .where(Delegation.program_id == program.id)
        .group_by(Delegation.id)
        .order_by(Delegation.created_at)
    )
    if wanted in {status.value for status in DelegationStatus}:
        query = query.where(Delegation.status == wanted)
    rows = db.session.execute(query).all()
    counts = dict(
        db.session.execute(
            select(Delegation.status, func.count())
            .where(Delegation.program_id == program.id)
            .group_by(Delegation.status)
        ).all()
    )
    return render_template(
        "staff/delegations/index.html",
        program=program,
        rows=rows,
        counts=counts,
        wanted=wanted,
        seats=capacity.seat_summary(program),
        statuses=list(DelegationStatus),
        duplicates=review.possible_duplicates(program),
    )


def _status_form(delegation: Delegation) -> StatusForm:
    form = StatusForm()
    if form.version.data in (None, ""):
        form.version.data = delegation.version
    allowed = sorted(review.TRANSITIONS[DelegationStatus(delegation.status)])
    # No preselected decision: staff choose one on purpose.
    form.status.choices = options(
        [("", _("— choose —"))]
        + [(status.value, review.status_label(status)) for status in allowed]
    )
    return form


def _questions(delegation: Delegation) -> dict:
    """What the page's dialogs ask before a decision that ends the registration, and before
    the deletion (the same words as the confirmation page without JavaScript)."""
    return {
        "decision_questions": {
            status: confirmations.decision(delegation, status) for status in confirmations.ENDING
        },
        "delete_question": confirmations.delete(delegation),
    }


@bp.get("/delegations/<public_id>")
def show(public_id: str):
    delegation = one_or_404(Delegation, *WITH_MEMBERS, public_id=public_id)
    return render_template(
        "staff/delegations/show.html",
        delegation=delegation,
        program=delegation.program,
        form=_status_form(delegation),
        **_questions(delegation),
        events=events_for(delegation=delegation),
        manage_url=manage_url(delegation),
        personal_url=personal_url,
    )


@bp.post("/delegations/<public_id>/status")
def change_status(public_id: str):
    delegation = one_or_404(Delegation, *WITH_MEMBERS, public_id=public_id)
    form = _status_form(delegation)
    stale = False
    valid = form.validate_on_submit()
    if valid and form.status.data in confirmations.ENDING and not confirm.confirmed():
        question = confirmations.decision(delegation, form.status.data, form.reason.data)
        return confirm.ask(question, back=url_for("review.show", public_id=public_id))
    if valid:
        try:
            review.change_status(
                delegation, form.status.data, form.reason.data, form.seen_version()
            )
            db.session.commit()
        except (review.TransitionRefused, capacity.CapacityError) as refusal:
            db.session.rollback()
            form.status.errors = [*form.status.errors, refusal.message]
        except (StaleEdit, StaleDataError):
            db.session.rollback()
            form.status.errors = [
                *form.status.errors,
                _(
                    "Someone else changed this delegation while you were deciding. Check it "
                    "again below and decide once more."
                ),
            ]
            stale = True
        else:
            flash(
                _(
                    "%(institution)s is now %(status)s.",
                    institution=delegation.institution,
                    status=review.status_label(delegation.status),
                )
                + " "
                + worker.mail_note(delegation.contact_email),
                "success",
            )
            return redirect(url_for("review.show", public_id=public_id), code=303)
    delegation = one_or_404(Delegation, *WITH_MEMBERS, public_id=public_id)
    if stale:
        form.version.data = delegation.version  # the decision is taken again on what is now
    return render_template(
        "staff/delegations/show.html",
        delegation=delegation,
        program=delegation.program,
        form=form,
        events=events_for(delegation=delegation),
        manage_url=manage_url(delegation),
        personal_url=personal_url,
        **_questions(delegation),
    ), 409 if stale else 422


@bp.route("/delegations/<public_id>/edit", methods=["GET", "POST"])
def edit(public_id: str):
    """Staff may change a registration at any time, within the same limits and caps."""
    delegation = one_or_404(Delegation, *WITH_MEMBERS, public_id=public_id)
    return edit_page(
        delegation,
        "staff/delegations/edit.html",
        url_for("review.show", public_id=public_id),
        _("Delegation saved."),
    )


@bp.post("/delegations/<public_id>/reissue")
def reissue(public_id: str):
    delegation = one_or_404(Delegation, *WITH_MEMBERS, public_id=public_id)
    review.reissue_delegation_link(delegation)
    db.session.commit()
    flash(_("A new private link was made; the old one no longer works."), "success")
    return redirect(url_for("review.show", public_id=public_id), code=303)


@bp.post("/members/<public_id>/reissue")
def reissue_member(public_id: str):
    member = one_or_404(Member, public_id=public_id)
    review.reissue_member_link(member)
    db.session.commit()
    flash(
        _(
            "A new personal link was made for %(name)s; the old one no longer works.",
            name=member.full_name,
        ),
        "success",
    )
    return redirect(
        url_for("review.show", public_id=member.delegation.public_id, _anchor="members"), code=303
    )


@bp.post("/delegations/<public_id>/delete")
def delete(public_id: str):
    delegation = one_or_404(Delegation, *WITH_MEMBERS, public_id=public_id)
    if not confirm.confirmed():
        back = url_for("review.show", public_id=public_id)
        return confirm.ask(confirmations.delete(delegation), back=back)
    program = delegation.program
    institution = delegation.institution
    delete_delegation(delegation)
    db.session.commit()
    flash(
        _("%(institution)s and its members' personal data are deleted.", institution=institution),
        "success",
    )
    return redirect(url_for("review.index", slug=program.slug), code=303)


@bp.get("/delegations/<public_id>/letter.pdf")
def letter(public_id: str):
    delegation = one_or_404(Delegation, *WITH_MEMBERS, public_id=public_id)
    if delegation.request_letter is None:
        abort(404)
    return letter_response(delegation.request_letter)
