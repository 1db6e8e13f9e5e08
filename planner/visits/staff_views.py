"""The staff inbox of visit requests: what is planned on the wished days, the decisions, the
reply letter."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from planner.audit.log import events_about, record
from planner.core import confirm, worker
from planner.core.access import staff_blueprint
from planner.core.database import db, one_or_404
from planner.core.forms import options
from planner.core.records import StaleEdit, apply_changes
from planner.delegations.links import letter_response
from planner.programs.models import Program, ProgramStatus
from planner.programs.queries import agenda_by_day
from planner.visits import availability, confirmations, deciding, host, letters
from planner.visits.forms import (
    AcceptForm,
    DeclineForm,
    MergeForm,
    ProposeForm,
    ReplyForm,
    WithdrawProposalForm,
)
from planner.visits.labels import status_label
from planner.visits.links import request_url
from planner.visits.models import ProgramTemplate, RequestStatus, VisitRequest

bp = staff_blueprint("requests", __name__)

FULL = (selectinload(VisitRequest.wished_dates), selectinload(VisitRequest.topics))
PAGE_SIZE = 50


@bp.app_context_processor
def inbox_count():
    def new_requests() -> int:
        return db.session.scalar(
            select(func.count(VisitRequest.id)).where(VisitRequest.status == RequestStatus.NEW)
        )

    return {"new_requests": new_requests}


@bp.get("/requests")
def index():
    wanted = request.args.get("status", "")
    query = select(VisitRequest).options(*FULL).order_by(VisitRequest.id.desc())
    if wanted in {status.value for status in RequestStatus}:
        query = query.where(VisitRequest.status == wanted)
    before = request.args.get("before", type=int)
    if before:
        query = query.where(VisitRequest.id < before)
    visits = db.session.scalars(query.limit(PAGE_SIZE + 1)).all()
    counts = dict(
        db.session.execute(
            select(VisitRequest.status, func.count()).group_by(VisitRequest.status)
        ).all()
    )
    return render_template(
        "staff/requests/index.html",
        visits=visits[:PAGE_SIZE],
        older=visits[PAGE_SIZE - 1].id if len(visits) > PAGE_SIZE else None,
        counts=counts,
        wanted=wanted,
        statuses=list(RequestStatus),
    )


def _visit(public_id: str) -> VisitRequest:
    return one_or_404(VisitRequest, *FULL, public_id=public_id)


def _ranges(visit: VisitRequest) -> list[tuple]:
    ranges = [(wished.first_day, wished.last_day) for wished in visit.wished_dates]
    if visit.proposed_first_day and visit.has_proposal:
        ranges.append((visit.proposed_first_day, visit.proposed_last_day))
    return ranges


def _forms(visit: VisitRequest, planned, **given):
    first, last = visit.agreed_dates()
    templates = db.session.scalars(select(ProgramTemplate).order_by(ProgramTemplate.title)).all()
    accept = given.get("accept") or AcceptForm(
        formdata=None,
        prefix="accept",
        first_day=first,
        title=_("Study visit of %(institution)s", institution=visit.institution),
    )
    accept.template.choices = options(
        [("", _("— choose —"))] + [(t.public_id, t.title) for t in templates]
    )
    merge = given.get("merge") or MergeForm(formdata=None, prefix="merge")
    programs = {
        program.public_id: program
        for entry in planned
        for program, _count in entry.programs
        if program.status == ProgramStatus.PUBLISHED
    }
    merge.program.choices = options(
        [("", _("— choose —"))]
        + [
            (key, f"{program.title} ({program.first_day:%d.%m.%Y})")
            for key, program in programs.items()
        ]
    )
    propose = given.get("propose") or ProposeForm(formdata=None, prefix="propose")
    decline = given.get("decline") or DeclineForm(formdata=None, prefix="decline")
    withdraw = WithdrawProposalForm(formdata=None)
    for form in (accept, merge, propose, decline, withdraw):
        if form.version.data in (None, ""):
            form.version.data = visit.version
    return {
        "accept_form": accept,
        "merge_form": merge,
        "propose_form": propose,
        "decline_form": decline,
        "withdraw_form": withdraw,
        "templates": templates,
    }


def _render(visit: VisitRequest, status: int = 200, **given):
    planned = availability.planned_on(visit, _ranges(visit))
    return render_template(
        "staff/requests/show.html",
        visit=visit,
        planned=planned,
        events=events_about(visit),
        manage_url=request_url(visit),
        **_forms(visit, planned, **given),
        decline_question=confirmations.decline(visit),
    ), status


@bp.get("/requests/<public_id>")
def show(public_id: str):
    return _render(_visit(public_id))


def _decide(public_id: str, form_name: str, form, act, question=None):
    """Run a decision; a refusal or a concurrent decision is shown at the form, and nothing of
    it is saved. With a `question` (visit, form -> Question), an open request's decision is
    asked first."""
    visit = _visit(public_id)
    if not form.validate_on_submit():
        return _render(visit, 422, **{form_name: form})
    if question is not None and visit.is_open and not confirm.confirmed():
        back = url_for("requests.show", public_id=public_id, _anchor=f"{form_name}-heading")
        return confirm.ask(question(visit, form), back=back)
    try:
        act(visit, form)
        db.session.commit()
    except deciding.DecisionRefused as refusal:
        db.session.rollback()
        field = getattr(form, refusal.field, None) if refusal.field else None
        target = field if field is not None else form.reason if "reason" in form else None
        if target is not None:
            target.errors = [*target.errors, refusal.message]
        else:
            flash(str(refusal.message), "error")
        return _render(_visit(public_id), 409, **{form_name: form})
    except (StaleEdit, StaleDataError):
        db.session.rollback()
        visit = _visit(public_id)
        flash(
            _(
                "Someone else decided this request while you were looking at it: it is now "
                "%(status)s. Check it below before deciding again.",
                status=status_label(visit.status),
            ),
            "error",
        )
        form.version.data = visit.version
        return _render(visit, 409, **{form_name: form})
    flash(
        _("The request is now %(status)s.", status=status_label(visit.status))
        + " "
        + worker.mail_note(visit.contact_email),
        "success",
    )
    return redirect(url_for("requests.show", public_id=public_id), code=303)


@bp.post("/requests/<public_id>/accept")
def accept(public_id: str):
    form = AcceptForm(prefix="accept")
    form.template.choices = options(
        (t.public_id, t.title) for t in db.session.scalars(select(ProgramTemplate))
    )

    def act(visit, form):
        template = db.session.scalar(
            select(ProgramTemplate).where(ProgramTemplate.public_id == form.template.data)
        )
        program = deciding.accept(
            visit,
            template,
            form.first_day.data,
            form.title.data,
            form.reason.data,
            form.seen_version(),
        )
        flash(_("Program made: %(title)s.", title=program.title), "info")

    return _decide(public_id, "accept", form, act)


@bp.post("/requests/<public_id>/merge")
def merge(public_id: str):
    form = MergeForm(prefix="merge")
    form.program.choices = options(
        (program.public_id, program.title)
        for program in db.session.scalars(
            select(Program).where(Program.status == ProgramStatus.PUBLISHED)
        )
    )

    def act(visit, form):
        program = db.session.scalar(select(Program).where(Program.public_id == form.program.data))
        deciding.merge(visit, program, form.reason.data, form.seen_version())

    return _decide(public_id, "merge", form, act)


@bp.post("/requests/<public_id>/propose")
def propose(public_id: str):
    def act(visit, form):
        deciding.propose(
            visit, form.first_day.data, form.last_day.data, form.reason.data, form.seen_version()
        )

    return _decide(public_id, "propose", ProposeForm(prefix="propose"), act)


@bp.post("/requests/<public_id>/decline")
def decline(public_id: str):
    def act(visit, form):
        deciding.decline(visit, form.reason.data, form.seen_version())

    def question(visit, form):
        return confirmations.decline(visit, form.reason.data)

    return _decide(public_id, "decline", DeclineForm(prefix="decline"), act, question)


@bp.post("/requests/<public_id>/withdraw-proposal")
def withdraw_proposal(public_id: str):
    visit = _visit(public_id)
    form = WithdrawProposalForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        deciding.withdraw_proposal(visit, form.seen_version())
        db.session.commit()
    except (deciding.DecisionRefused, StaleEdit, StaleDataError):
        db.session.rollback()
        flash(_("The request changed in the meantime; check it below."), "error")
    else:
        flash(_("The proposal is withdrawn."), "success")
    return redirect(url_for("requests.show", public_id=public_id), code=303)


@bp.post("/requests/<public_id>/reissue")
def reissue(public_id: str):
    deciding.reissue_link(_visit(public_id))
    db.session.commit()
    flash(_("A new private link was made; the old one no longer works."), "success")
    return redirect(url_for("requests.show", public_id=public_id), code=303)


@bp.get("/requests/<public_id>/letter.pdf")
def letter(public_id: str):
    visit = _visit(public_id)
    if visit.letter is None:
        abort(404)
    return letter_response(visit.letter)


@bp.route("/requests/<public_id>/reply", methods=["GET", "POST"])
def reply(public_id: str):
    visit = _visit(public_id)
    form = ReplyForm()
    if request.method == "GET":
        form = ReplyForm(
            formdata=None,
            reply_number=visit.reply_number,
            reply_date=visit.reply_date or host.today(),
            reply_body=letters.body(visit),
            version=visit.version,
        )
    elif form.validate_on_submit():
        values = {
            "reply_number": form.reply_number.data or "",
            "reply_date": form.reply_date.data,
            "reply_body": form.reply_body.data or "",
        }
        if values["reply_body"] == letters.default_body(visit):
            values["reply_body"] = ""  # the default text follows later decisions
        try:
            changes = apply_changes(visit, values, form.seen_version())
            if changes:
                record("visit_request.reply_saved", visit, changes=changes)
            db.session.commit()
        except (StaleEdit, StaleDataError):
            db.session.rollback()
            flash(_("Someone else changed this letter; their version is shown."), "error")
            return redirect(url_for("requests.reply", public_id=public_id), code=303)
        if "print" in request.form:
            return redirect(url_for("requests.print_reply", public_id=public_id), code=303)
        flash(_("The letter is saved."), "success")
        return redirect(url_for("requests.reply", public_id=public_id), code=303)
    return render_template("staff/requests/reply.html", visit=visit, form=form), (
        422 if form.errors else 200
    )


@bp.get("/requests/<public_id>/reply/print")
def print_reply(public_id: str):
    visit = _visit(public_id)
    program = visit.program
    with force_locale("id"):  # an official letter, in Indonesian whatever the screen's language
        return render_template(
            "staff/requests/reply_print.html",
            visit=visit,
            profile=host.profile(),
            subject=letters.subject(visit),
            paragraphs=[p for p in letters.body(visit).split("\n\n") if p.strip()],
            days=agenda_by_day(program) if program else {},
            program=program,
        )
