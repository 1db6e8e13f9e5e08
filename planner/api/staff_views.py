"""Staff JSON API (Bearer token): venues, programs, agenda items, delegation decisions, visit
requests and their decisions, the year's figures.

Every write goes through the same forms and domain functions as the staff pages."""

import dataclasses

from flask import current_app, jsonify, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from planner.api import schemas
from planner.api.common import (
    ApiError,
    api_blueprint,
    documented,
    invalid,
    require_staff_token,
    through_form,
    through_plain_form,
    typed_body,
)
from planner.api.serializers import (
    delegation_json,
    delegations_json,
    item_json,
    program_json,
    venue_json,
    visit_request_json,
    visit_requests_json,
)
from planner.core.database import db, one_or_404
from planner.core.forms import options
from planner.core.i18n import current_language
from planner.core.records import StaleEdit
from planner.delegations import capacity, review
from planner.delegations.access import WITH_MEMBERS
from planner.delegations.forms import StatusForm
from planner.delegations.models import Delegation, DelegationStatus
from planner.figures import compute
from planner.programs import agenda, lifecycle
from planner.programs.forms import ItemForm, ProgramForm
from planner.programs.models import AgendaItem, Program, ProgramStatus
from planner.programs.records import ItemFields, ProgramFields
from planner.programs.times import host_today
from planner.venues import editing
from planner.venues.forms import VenueForm
from planner.venues.models import Venue
from planner.visits import deciding
from planner.visits.forms import AcceptForm, DeclineForm, MergeForm, ProposeForm
from planner.visits.models import ProgramTemplate, RequestStatus, VisitRequest

bp = api_blueprint("api_staff", __name__, url_prefix="/api/v1/staff")
bp.before_request(require_staff_token(lambda: None))
STAFF = ("staff",)

# The item form shows a start as a day and two times, and the venue by its public id.
ITEM_RENAMES = {"day": "starts_at", "start": "starts_at", "end": "ends_at", "venue": "venue_id"}


def _venues() -> list[Venue]:
    return list(db.session.scalars(select(Venue).order_by(Venue.name)))


def _whole_minutes(values: dict, *names: str) -> None:
    """Pages take times to the minute; a time with seconds would be changed silently."""
    errors = {
        name: [_("Give whole minutes.")]
        for name in names
        if values.get(name) is not None and (values[name].second or values[name].microsecond)
    }
    if errors:
        raise invalid(errors)


# --- venues ----------------------------------------------------------------------------


@bp.post("/venues")
@documented("HTTP_201", schemas.VenueOut, json=schemas.VenueIn, staff=True, tags=STAFF)
def create_venue():
    """Create a venue"""
    body = typed_body(schemas.VenueIn)
    form = through_form(
        lambda formdata: VenueForm(formdata=formdata, meta={"csrf": False}), body.model_dump()
    )
    venue = editing.create_venue(form.values())
    db.session.commit()
    return jsonify(venue_json(venue)), 201


# --- programs ----------------------------------------------------------------------------


def _program_form(values: dict, program: Program | None) -> ProgramForm:
    _whole_minutes(values, "registration_opens_at", "registration_closes_at")
    form = through_form(
        lambda formdata: ProgramForm(formdata=formdata, meta={"csrf": False}), values
    )
    if lifecycle.slug_taken(form.values()["slug"], program):
        raise ApiError(
            409,
            _(
                "Another program already uses this web address. Choose another, e.g. with the year "
                "added."
            ),
            {
                "slug": [
                    _(
                        "Another program already uses this web address. Choose another, e.g. with "
                        "the year added."
                    )
                ]
            },
        )
    return form


@bp.post("/programs")
@documented("HTTP_201", schemas.ProgramOut, 409, json=schemas.ProgramIn, staff=True, tags=STAFF)
def create_program():
    """Create a program (as a draft)

    Without a `timezone`, the host's (PLANNER_TIMEZONE)."""
    body = typed_body(schemas.ProgramIn)
    values = body.model_dump()
    if "timezone" not in body.model_fields_set:
        values["timezone"] = current_app.config["PLANNER_TIMEZONE"]
    program = lifecycle.create_program(_program_form(values, None).values())
    db.session.commit()
    return jsonify(program_json(program)), 201


@bp.patch("/programs/<slug>")
@documented(
    "HTTP_200", schemas.ProgramOut, 404, 409, json=schemas.ProgramPatch, staff=True, tags=STAFF
)
def update_program(slug: str):
    """Change a program: only the fields sent"""
    program = one_or_404(Program, selectinload(Program.items), slug=slug)
    body = typed_body(schemas.ProgramPatch)
    form = _program_form({**ProgramFields.of(program), **body.given()}, program)
    try:
        lifecycle.update_program(program, form.values())
        db.session.commit()
    except (StaleEdit, StaleDataError):
        raise ApiError(
            409, _("Someone else changed this program at the same time; retry.")
        ) from None
    return jsonify(program_json(program))


@bp.post("/programs/<slug>/publish")
@documented("HTTP_200", schemas.ProgramOut, 404, 409, staff=True, tags=STAFF)
def publish(slug: str):
    """Publish a program (it needs at least one item)"""
    program = one_or_404(Program, selectinload(Program.items), slug=slug)
    try:
        lifecycle.change_status(program, ProgramStatus.PUBLISHED)
    except lifecycle.TransitionError as error:
        raise ApiError(409, error.message) from None
    db.session.commit()
    return jsonify(program_json(program))


# --- agenda items ----------------------------------------------------------------------------


def _item_values(program: Program, values: dict) -> dict:
    """The item form's values for these typed values, checked by the form's rules."""
    _whole_minutes(values, "starts_at", "ends_at")
    missing = [name for name in ("starts_at", "ends_at") if values.get(name) is None]
    if missing:
        raise invalid({name: [_("This field is required.")] for name in missing})
    start, end = (values[name].astimezone(program.tz) for name in ("starts_at", "ends_at"))
    if end.date() != start.date() and end > start:
        raise invalid({"ends_at": [_("An item ends on the day it starts.")]})
    venues = _venues()
    form = through_form(
        lambda formdata: ItemForm(program, venues, formdata=formdata, meta={"csrf": False}),
        values,
        renames=ITEM_RENAMES,
    )
    return form.values()


def _agenda_refusal(error: agenda.AgendaRuleError):
    return invalid(error.errors)


@bp.post("/programs/<slug>/items")
@documented("HTTP_201", schemas.ItemOut, 404, json=schemas.ItemIn, staff=True, tags=STAFF)
def create_item(slug: str):
    """Add an agenda item"""
    program = one_or_404(Program, selectinload(Program.items), slug=slug)
    body = typed_body(schemas.ItemIn)
    values = _item_values(program, body.model_dump())
    values["status"] = body.status
    try:
        item = agenda.add_item(program, values)
    except agenda.AgendaRuleError as error:
        raise _agenda_refusal(error) from None
    db.session.commit()
    return jsonify(item_json(item, capacity.items_left(program))), 201


@bp.patch("/items/<public_id>")
@documented("HTTP_200", schemas.ItemOut, 404, 409, json=schemas.ItemPatch, staff=True, tags=STAFF)
def update_item(public_id: str):
    """Change an agenda item: only the fields sent; {"status": "cancelled"} cancels it"""
    item = one_or_404(AgendaItem, joinedload(AgendaItem.venue), public_id=public_id)
    body = typed_body(schemas.ItemPatch)
    given = body.given()
    status = given.pop("status", None)
    values = _item_values(item.program, {**ItemFields.of(item), **given})
    if status is not None:
        values["status"] = status
    try:
        agenda.update_item(item, values)
        db.session.commit()
    except agenda.AgendaRuleError as error:
        raise _agenda_refusal(error) from None
    except (StaleEdit, StaleDataError):
        raise ApiError(409, _("Someone else changed this item at the same time; retry.")) from None
    return jsonify(item_json(item, capacity.items_left(item.program)))


# --- delegations ----------------------------------------------------------------------------


@bp.get("/programs/<slug>/delegations")
@documented("HTTP_200", schemas.DelegationList, 404, staff=True, tags=STAFF)
def delegations(slug: str):
    """A program's delegations, with members"""
    program = one_or_404(Program, slug=slug)
    rows = db.session.scalars(
        select(Delegation)
        .where(Delegation.program_id == program.id)
        .options(joinedload(Delegation.program), *WITH_MEMBERS)
        .order_by(Delegation.created_at)
    )
    return jsonify(delegations_json(rows))


@bp.post("/delegations/<public_id>/status")
@documented(
    "HTTP_200", schemas.DelegationOut, 404, 409, json=schemas.StatusIn, staff=True, tags=STAFF
)
def change_status(public_id: str):
    """Approve, waitlist, reject or cancel a delegation, with a reason"""
    delegation = one_or_404(Delegation, *WITH_MEMBERS, public_id=public_id)
    body = typed_body(schemas.StatusIn)

    def status_form(formdata):
        form = StatusForm(formdata=formdata, meta={"csrf": False})
        form.status.choices = options((status.value, status.value) for status in DelegationStatus)
        return form

    form = through_form(status_form, body.model_dump())
    try:
        review.change_status(delegation, form.status.data, form.reason.data)
        db.session.commit()
    except (review.TransitionRefused, capacity.CapacityError) as refusal:
        raise ApiError(409, refusal.message, {"status": [refusal.message]}) from None
    except StaleDataError:
        raise ApiError(
            409, _("Someone else changed this delegation at the same time; retry.")
        ) from None
    return jsonify(delegation_json(delegation))


# --- visit requests ------------------------------------------------------------------------

WITH_DETAILS = (
    selectinload(VisitRequest.wished_dates),
    selectinload(VisitRequest.topics),
    joinedload(VisitRequest.program),
    joinedload(VisitRequest.delegation),
)
DECISION_FORMS = {
    "accept": AcceptForm,
    "merge": MergeForm,
    "propose": ProposeForm,
    "decline": DeclineForm,
}
# What each decision's form reads from the body, besides the reason.
DECISION_FIELDS = {
    "accept": ("template", "first_day", "title"),
    "merge": ("program",),
    "propose": ("first_day", "last_day"),
    "decline": (),
}
DAY_FIELDS = ("first_day", "last_day")


REQUESTS_PER_PAGE = 100


@bp.get("/visit-requests")
@documented(
    "HTTP_200", schemas.VisitRequestList, query=schemas.VisitRequestQuery, staff=True, tags=STAFF
)
def visit_requests():
    """Visit requests, newest first, a page at a time (with the requesters' contact details)"""
    query = select(VisitRequest).options(*WITH_DETAILS)
    status = request.args.get("status")
    if status is not None:
        if status not in {s.value for s in RequestStatus}:
            raise invalid({"status": [_("Not a valid choice.")]})
        query = query.where(VisitRequest.status == status)
    page = request.args.get("page", "1")
    if not page.isdigit() or not 1 <= int(page) <= schemas.MAX_PAGE:
        raise invalid({"page": [_("Give a whole number.")]})
    page = int(page)
    rows = db.session.scalars(
        query.order_by(VisitRequest.created_at.desc(), VisitRequest.id.desc())
        .offset((page - 1) * REQUESTS_PER_PAGE)
        .limit(REQUESTS_PER_PAGE + 1)
    ).all()
    more = len(rows) > REQUESTS_PER_PAGE
    return jsonify(visit_requests_json(rows[:REQUESTS_PER_PAGE], page + 1 if more else None))


@bp.get("/visit-requests/<public_id>")
@documented("HTTP_200", schemas.StaffVisitRequestOut, 404, staff=True, tags=STAFF)
def visit_request(public_id: str):
    """One visit request, with its version"""
    visit = one_or_404(VisitRequest, *WITH_DETAILS, public_id=public_id)
    return jsonify(visit_request_json(visit, staff=True))


def _decision_form(visit: VisitRequest, body: schemas.VisitDecisionIn):
    """The staff page's form for the decision, filled from the body and checked by its rules;
    an accept's first day and title default to what the page suggests."""
    values = {name: getattr(body, name) for name in ("reason", *DECISION_FIELDS[body.decision])}
    choices = None
    if body.decision == "accept":
        if values["first_day"] is None:
            values["first_day"] = visit.agreed_dates()[0]
        if values["title"] is None:
            values["title"] = f"Studi tiru {visit.institution}"[:200]
        templates = db.session.scalars(select(ProgramTemplate).order_by(ProgramTemplate.title))
        choices = ("template", [(t.public_id, t.title) for t in templates])
    elif body.decision == "merge":
        programs = db.session.scalars(
            select(Program)
            .where(Program.status == ProgramStatus.PUBLISHED)
            .order_by(Program.first_day, Program.title)
        )
        choices = ("program", [(p.slug, p.title) for p in programs])

    def make_form(formdata, data=None):
        form = DECISION_FORMS[body.decision](formdata=formdata, data=data, meta={"csrf": False})
        if choices is not None:
            form[choices[0]].choices = options(choices[1])
        return form

    return through_plain_form(make_form, values)


def _decide(visit: VisitRequest, form, body: schemas.VisitDecisionIn) -> None:
    version, reason = body.version, form.reason.data
    if body.decision == "accept":
        template = one_or_404(
            ProgramTemplate, selectinload(ProgramTemplate.items), public_id=form.template.data
        )
        deciding.accept(visit, template, form.first_day.data, form.title.data, reason, version)
    elif body.decision == "merge":
        program = one_or_404(Program, selectinload(Program.items), slug=form.program.data)
        deciding.merge(visit, program, reason, version)
    elif body.decision == "propose":
        deciding.propose(visit, form.first_day.data, form.last_day.data, reason, version)
    else:
        deciding.decline(visit, reason, version)


def _refused(status: int, message, field: str = "") -> ApiError:
    db.session.rollback()  # nothing of a refused decision is kept
    return ApiError(status, message, {field: [message]} if field else None)


@bp.post("/visit-requests/<public_id>/decision")
@documented(
    "HTTP_200",
    schemas.StaffVisitRequestOut,
    404,
    409,
    503,
    json=schemas.VisitDecisionIn,
    staff=True,
    tags=STAFF,
)
def decide_visit_request(public_id: str):
    """Accept, merge, propose other dates for, or decline a visit request, with a reason

    The same rules as the staff pages' decision forms. Accepting makes a published, unlisted
    program from the template with the requester's delegation (approved) in it; merging adds
    the delegation to a published program. The requester is told by e-mail. A request
    already decided, or one that changed since `version`, is a 409."""
    visit = one_or_404(VisitRequest, *WITH_DETAILS, public_id=public_id)
    body = typed_body(schemas.VisitDecisionIn)
    if body.decision is None:
        raise invalid({"decision": [_("This field is required.")]})
    form = _decision_form(visit, body)
    visit_id = visit.id
    try:
        _decide(visit, form, body)
        db.session.commit()
    except deciding.DecisionRefused as refusal:
        status = 422 if refusal.field in DAY_FIELDS else 409
        raise _refused(status, refusal.message, refusal.field) from None
    except (StaleEdit, StaleDataError):
        raise _refused(
            409, _("Someone else decided this request at the same time; fetch it again.")
        ) from None
    except capacity.ProgramBusy as refusal:
        raise _refused(503, refusal.message) from None
    visit = one_or_404(VisitRequest, *WITH_DETAILS, id=visit_id)
    return jsonify(visit_request_json(visit, staff=True))


# --- figures ---------------------------------------------------------------------------


@bp.get("/figures")
@documented("HTTP_200", schemas.FiguresOut, query=schemas.FiguresQuery, staff=True, tags=STAFF)
def figures():
    """A year's figures: visits by month, province, region, program, topic, venue and day"""
    year = request.args.get("year")
    if year is None:
        year = host_today().year
    elif year.isascii() and year.isdigit() and 2000 <= int(year) <= 2100:
        year = int(year)
    else:
        raise invalid({"year": [_("Give a year from 2000 to 2100.")]})
    return jsonify(_figures_json(compute.year_figures(year)))


def _totals_json(figures: compute.YearTotals) -> dict:
    return {
        name: getattr(figures, name)
        for name in ("year", "delegations", "participants", "provinces", "regions")
    }


def _figures_json(figures: compute.YearFigures) -> dict:
    def count(value: compute.Count) -> dict:
        return {"delegations": value.delegations, "participants": value.participants}

    def place(row: compute.PlaceRow) -> dict:
        return {"code": row.code, "name": row.name, **count(row)}

    language = current_language()
    return {
        **_totals_json(figures),
        "average_size": figures.average_size,
        "by_month": [
            {
                "month": row.month,
                **count(row.visited),
                **{
                    status: count(getattr(row, status))
                    for status in ("pending", "waitlisted", "rejected", "cancelled")
                },
            }
            for row in figures.by_month
        ],
        "by_province": [place(row) for row in figures.by_province],
        "by_region": [{**place(row), "province": row.province} for row in figures.by_region],
        "by_program": [
            {
                "slug": row.slug,
                "title": row.title,
                "first_day": row.first_day.isoformat(),
                "last_day": row.last_day.isoformat(),
                **count(row),
            }
            for row in figures.by_program
        ],
        "by_topic": [
            {
                "id": row.public_id,
                "title": row.title(language),
                "requested": row.requested,
                "visited": row.visited,
            }
            for row in figures.by_topic
        ],
        "lead_time": dataclasses.asdict(figures.lead_time),
        "repeat_visitors": [
            {"code": r.code, "name": r.name, "province": r.province, "years": list(r.years)}
            for r in figures.repeat_visitors
        ],
        "busiest_venues": [dataclasses.asdict(row) for row in figures.busiest_venues],
        "busiest_days": [
            {"day": row.day.isoformat(), **count(row)} for row in figures.busiest_days
        ],
        "optional_items": [
            {
                "program": row.program_slug,
                "program_title": row.program_title,
                "title": row.item_title,
                "day": row.day.isoformat(),
                "joined": row.joined,
                "capacity": row.capacity,
                "cancelled": row.cancelled,
            }
            for row in figures.optional_items
        ],
        "previous": _totals_json(figures.previous) if figures.previous else None,
    }
