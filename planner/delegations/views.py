"""What delegations see: the registration form, their private page, each member's page."""

import json
import logging
from datetime import UTC, datetime
from urllib.parse import quote

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from planner.core import checkcodes, confirm, idempotency, worker
from planner.core.database import db
from planner.core.links import qr_svg, qr_svg_file
from planner.core.security import limiter, private_link_limit
from planner.delegations import capacity, companion, confirmations, registration, whatsapp
from planner.delegations.access import (
    delegation_by_token_or_404,
    member_by_token_or_404,
    member_items,
)
from planner.delegations.editing import (
    ADDED_ROWS,
    closed_to_the_contact,
    edit_page,
    pasting,
    save_form,
)
from planner.delegations.forms import CancelForm, NewRegistrationForm
from planner.delegations.labels import status_label
from planner.delegations.links import letter_response, manage_url, personal_url
from planner.delegations.models import DelegationStatus
from planner.programs import announcements
from planner.programs.queries import agenda_by_day, public_program_or_404
from planner.regions import reference

log = logging.getLogger("planner.delegations")
bp = Blueprint("delegations", __name__)

FIRST_ROWS = 3


@bp.app_context_processor
def delegation_helpers():
    return {
        "delegation_status_label": status_label,
        "qr_svg": qr_svg,
        "change_mark": change_mark,
        "checkin_qr": lambda member: checkcodes.qr_text(member.checkin_code),
        "region_of": reference.region,
    }


def change_mark(item) -> list[str] | None:
    """The item's last announced change, as the itinerary pages mark it until the visit."""
    if not announcements.marked(item):
        return None
    return announcements.describe(item, item.announced_change)


def whatsapp_url(member, program) -> str:
    text = _(
        "Yth. %(name)s, this is your personal schedule for %(program)s: %(url)s",
        name=member.full_name,
        program=program.title,
        url=personal_url(member),
    )
    number = member.phone.lstrip("+") if member.phone else ""
    return f"https://wa.me/{number}?text={quote(text)}"


@bp.route("/programs/<slug>/register", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def register(slug: str):
    program = public_program_or_404(slug)
    closed = registration.registration_problem(program)
    form = NewRegistrationForm(program)
    status = 200
    if closed:
        return render_template(
            "delegation/register.html", program=program, form=None, closed=closed
        ), 200 if request.method == "GET" else 409
    if request.method == "GET":
        form.add_rows(FIRST_ROWS)
    elif "add_rows" in request.form:
        form.add_rows(ADDED_ROWS)
    elif pasting():
        status = 200 if form.paste_list() else 422
    elif form.validate_on_submit():
        answer = _register_once(program, form)
        if not isinstance(answer, int):
            return answer
        status = answer
    else:
        status = 422
    if not len(form.members):
        form.add_rows(1)
    return render_template(
        "delegation/register.html",
        program=program,
        form=form,
        closed=None,
        seats=capacity.seat_summary(program),
    ), status


def _register_once(program, form: NewRegistrationForm):
    """Register, unless this form (its one-time key) already did: then its first answer. A
    refusal is shown at the form, and its status returned."""
    once = idempotency.FormKey(
        f"{request.method} {request.path}", request.form, request.files.items(multi=True)
    )
    try:
        earlier = once.earlier_location()
    except idempotency.KeyReused:
        form.members_errors.append(
            _(
                "This form has already registered a delegation. To register another one, "
                "open the registration page again."
            )
        )
        return 422
    if earlier is not None:
        return redirect(earlier, code=303)
    result = {}

    def act():
        once.claim()
        delegation = registration.register(
            program, form.delegation_data(), form.members_data(), form.letter()
        )
        result["location"] = url_for("delegations.delegation", token=delegation.token)
        once.answered(result["location"], delegation.public_id)

    try:
        saved = save_form(form, act)
    except IntegrityError as error:
        db.session.rollback()
        earlier = once.location_after(error)
        return redirect(earlier, code=303) if earlier else 409
    if not saved:
        return 409 if form.members_errors else 422
    flash(_("Your delegation is registered."), "registered")
    flash(worker.mail_note(form.contact.email.data), "info")
    return redirect(result["location"], code=303)


@bp.get("/d/<token>")
@private_link_limit
def delegation(token: str):
    delegation = delegation_by_token_or_404(token)
    program = delegation.program
    joined = {}
    for member in delegation.members:
        for item in member.optional_items:
            joined[item.id] = joined.get(item.id, 0) + 1
    return render_template(
        "delegation/page.html",
        delegation=delegation,
        program=program,
        days=agenda_by_day(program),
        joined=joined,
        can_edit=registration.can_contact_edit(delegation),
        cancel_form=CancelForm(),
        cancel_question=confirmations.cancel(delegation),
        personal_url=personal_url,
        whatsapp_url=whatsapp_url,
        whatsapp_texts=whatsapp.texts(delegation),
        manage_url=manage_url(delegation),
        fetched_at=datetime.now(UTC),
    )


@bp.route("/d/<token>/edit", methods=["GET", "POST"])
@private_link_limit
def edit(token: str):
    delegation = delegation_by_token_or_404(token)
    closed = closed_to_the_contact(delegation)
    if closed:
        return closed
    return edit_page(
        delegation,
        "delegation/edit.html",
        url_for("delegations.delegation", token=token),
        _("Your changes are saved."),
        actor_label="delegation contact",
    )


@bp.post("/d/<token>/cancel")
@private_link_limit
def cancel(token: str):
    delegation = delegation_by_token_or_404(token)
    form = CancelForm()
    if not form.validate_on_submit() or not registration.can_contact_edit(delegation):
        abort(400)
    if not confirm.confirmed():
        back = url_for("delegations.delegation", token=token)
        return confirm.ask(confirmations.cancel(delegation), back=back)
    registration.cancel_by_contact(delegation, form.reason.data or "")
    db.session.commit()
    flash(_("Your registration is cancelled."), "success")
    return redirect(url_for("delegations.delegation", token=token), code=303)


@bp.get("/d/<token>/letter.pdf")
@private_link_limit
def letter(token: str):
    delegation = delegation_by_token_or_404(token)
    if delegation.request_letter is None:
        abort(404)
    return letter_response(delegation.request_letter)


@bp.get("/m/<token>")
@private_link_limit
def member(token: str):
    member = member_by_token_or_404(token)
    program = member.delegation.program
    items = member_items(member)
    cancelled = member.delegation.status in (DelegationStatus.CANCELLED, DelegationStatus.REJECTED)
    page = render_template(
        "member/page.html",
        member=member,
        delegation=member.delegation,
        program=program,
        days=agenda_by_day(program, items),
        changes=companion.changes_since_seen(member, items),
        now_next=None if cancelled else companion.now_and_next(program, items),
        cancelled_delegation=cancelled,
        fetched_at=datetime.now(UTC),
    )
    if member.first_seen_at is None and not companion.is_preview(
        request.method, request.user_agent.string
    ):
        try:
            companion.mark_seen(member)
            db.session.commit()  # after rendering: the commit expires what the page reads
        except SQLAlchemyError:  # the page is worth more than the mark: the next visit sets it
            db.session.rollback()
            log.warning("Could not record a member's first visit.", exc_info=True)
    return page


@bp.get("/m/<token>/qr.svg")
@private_link_limit
def member_qr(token: str):
    member = member_by_token_or_404(token)
    return Response(qr_svg_file(personal_url(member)), mimetype="image/svg+xml")


# The itinerary offline. The worker is served from the site's root so that it may be registered
# with any scope on the site (no Service-Worker-Allowed header needed); planner.js registers it
# only on /m/<token> and /d/<token>, with exactly that page as its scope, so its cache holds
# that page, its calendar and the static files, never another link or a staff page.
# "no-cache": the browser asks every time whether the worker changed (304 when it did not).
@bp.get("/itinerary-sw.js")
def service_worker():
    response = send_from_directory(
        current_app.static_folder, "js/itinerary-sw.js", mimetype="text/javascript", max_age=0
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


# One manifest for every itinerary, with no start_url: the browser then takes the page that
# links it (the member's or the delegation's own link) as the installed app's start page, and
# the manifest itself names no token.
ITINERARY_MANIFEST = {
    "name": "planner",
    "short_name": "planner",
    "lang": "id",
    "dir": "ltr",
    "display": "standalone",
    "background_color": "#fbfaf7",
    "theme_color": "#0b5d56",
}


@bp.get("/itinerary.webmanifest")
def manifest():
    icon = {
        "src": url_for("static", filename="favicon.svg"),
        "sizes": "any",
        "type": "image/svg+xml",
        "purpose": "any",
    }
    body = json.dumps({**ITINERARY_MANIFEST, "icons": [icon]}, ensure_ascii=False)
    response = Response(body, mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response
