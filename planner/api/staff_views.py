"""Staff JSON API (Bearer token): venues, programs, agenda items, delegation decisions.

Every write goes through the same forms and domain functions as the staff pages."""

from flask import current_app, jsonify
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
    typed_body,
)
from planner.api.serializers import (
    delegation_json,
    delegations_json,
    item_json,
    program_json,
    venue_json,
)
from planner.core.database import db, one_or_404
from planner.core.forms import options
from planner.core.records import StaleEdit
from planner.delegations import capacity, review
from planner.delegations.access import WITH_MEMBERS
from planner.delegations.forms import StatusForm
from planner.delegations.models import Delegation, DelegationStatus
from planner.programs import agenda, lifecycle
from planner.programs.forms import ItemForm, ProgramForm
from planner.programs.models import AgendaItem, Program, ProgramStatus
from planner.programs.records import ItemFields, ProgramFields
from planner.venues import editing
from planner.venues.forms import VenueForm
from planner.venues.models import Venue

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
            _("Another program already uses this web address."),
            {"slug": [_("Another program already uses this web address.")]},
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
