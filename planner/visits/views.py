"""What requesters see: the request form, the availability of days, the request's own page."""

from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from planner.core import confirm, idempotency, worker
from planner.core.database import db
from planner.core.security import limiter, private_link_limit
from planner.delegations.links import letter_response
from planner.visits import availability, confirmations, deciding, host, requesting
from planner.visits.forms import AnswerForm, VisitRequestForm, WithdrawForm
from planner.visits.labels import status_label
from planner.visits.links import request_by_token_or_404, request_url

bp = Blueprint("visits", __name__)

WEEKS_SHOWN = 6


@bp.app_context_processor
def visit_helpers():
    # The printed sheets of the areas below sign with the host's place.
    return {"request_status_label": status_label, "host_place": host.place}


@bp.route("/visits/request", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def request_form():
    topics = requesting.active_topics()
    form = VisitRequestForm(topics)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            answer = _submit_once(form)
            if not isinstance(answer, int):
                return answer
            status = answer
        else:
            status = 422
    profile = host.profile()
    return render_template(
        "visits/request_form.html",
        form=form,
        topics=topics,
        earliest=host.earliest_day(profile.lead_working_days),
        profile=profile,
    ), status


def _submit_once(form: VisitRequestForm):
    """Submit, unless this form (its one-time key) already did: then its first answer."""
    once = idempotency.FormKey(
        f"{request.method} {request.path}", request.form, request.files.items(multi=True)
    )
    try:
        earlier = once.earlier_location()
    except idempotency.KeyReused:
        form.dates_errors.append(
            _("This form has already sent a request. To send another one, open the form again.")
        )
        return 422
    if earlier is not None:
        return redirect(earlier, code=303)
    try:
        once.claim()
        visit = requesting.submit(form.request_data(), form.letter())
        location = url_for("visits.request_page", token=visit.token)
        once.answered(location, visit.public_id)
        db.session.commit()
    except requesting.RequestRefused as refusal:
        db.session.rollback()
        form.attach_errors(refusal.errors)
        return 422
    except IntegrityError as error:
        db.session.rollback()
        earlier = once.location_after(error)
        return redirect(earlier, code=303) if earlier else 409
    flash(_("Your request is sent to the host's protocol office."), "registered")
    flash(worker.mail_note(form.contact.email.data), "info")
    return redirect(location, code=303)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


@bp.get("/visits/availability")
def availability_page():
    today = host.today()
    try:
        start = date.fromisoformat(request.args.get("from", ""))
    except ValueError:
        start = today
    start = _monday(min(max(start, today), today + timedelta(days=540)))
    last = start + timedelta(weeks=WEEKS_SHOWN) - timedelta(days=1)
    offered = requesting.active_topics()
    wanted = set(request.args.getlist("topics"))
    chosen = [topic for topic in offered if topic.public_id in wanted]
    days = availability.calendar(start, last, chosen)
    return render_template(
        "visits/availability.html",
        weeks=[days[n : n + 7] for n in range(0, len(days), 7)],
        start=start,
        topics=offered,
        chosen=chosen,
        earlier=start - timedelta(weeks=WEEKS_SHOWN) if start > _monday(today) else None,
        later=start + timedelta(weeks=WEEKS_SHOWN),
        profile=host.profile(),
    )


@bp.get("/visits/r/<token>")
@private_link_limit
def request_page(token: str):
    visit = request_by_token_or_404(token)
    if visit.delegation is not None:
        # Accepted or merged: the same link now opens the delegation, where members are added.
        return redirect(url_for("delegations.delegation", token=visit.delegation.token), code=303)
    return render_template(
        "visits/request_page.html",
        visit=visit,
        answer_form=AnswerForm(formdata=None, proposal=visit.proposal_number),
        withdraw_form=WithdrawForm(formdata=None),
        withdraw_question=confirmations.withdraw(visit),
        manage_url=request_url(visit),
    )


@bp.post("/visits/r/<token>/proposal")
@private_link_limit
def answer_proposal(token: str):
    visit = request_by_token_or_404(token)
    form = AnswerForm()
    choice = request.form.get("answer")
    if not form.validate_on_submit() or choice not in ("accept", "decline"):
        abort(400)
    try:
        number = int(form.proposal.data)
    except (TypeError, ValueError):
        abort(400)
    try:
        deciding.answer_proposal(visit, number, accepted=choice == "accept")
        db.session.commit()
    except deciding.DecisionRefused as refusal:
        db.session.rollback()
        flash(str(refusal.message), "error")
        return redirect(url_for("visits.request_page", token=token), code=303)
    flash(
        _("Thank you: the host's protocol office will now confirm these dates.")
        if choice == "accept"
        else _("The host's protocol office is told that these dates do not suit you."),
        "success",
    )
    return redirect(url_for("visits.request_page", token=token), code=303)


@bp.post("/visits/r/<token>/withdraw")
@private_link_limit
def withdraw(token: str):
    visit = request_by_token_or_404(token)
    if not WithdrawForm().validate_on_submit():
        abort(400)
    if visit.is_open and not confirm.confirmed():
        back = url_for("visits.request_page", token=token)
        return confirm.ask(confirmations.withdraw(visit), back=back)
    try:
        deciding.withdraw(visit)
        db.session.commit()
    except deciding.DecisionRefused as refusal:
        db.session.rollback()
        flash(str(refusal.message), "error")
        return redirect(url_for("visits.request_page", token=token), code=303)
    flash(_("Your request is withdrawn."), "success")
    return redirect(url_for("visits.request_page", token=token), code=303)


@bp.get("/visits/r/<token>/letter.pdf")
@private_link_limit
def letter(token: str):
    visit = request_by_token_or_404(token)
    if visit.letter is None:
        abort(404)
    return letter_response(visit.letter)
