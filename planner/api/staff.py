"""Staff JSON API (Bearer token): venues, programs, agenda items, delegation decisions.

Every write goes through the same forms and domain functions as the staff pages."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, jsonify
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from planner.api.common import (
    ApiError,
    api_blueprint,
    form_errors,
    json_body,
    require_staff_token,
    to_formdata,
)
from planner.api.serializers import delegation_json, item_json, program_json, venue_json
from planner.core.database import db
from planner.core.forms import options
from planner.delegations import capacity, review
from planner.delegations.forms import StatusForm
from planner.delegations.models import Delegation, DelegationStatus, Member
from planner.programs import agenda, lifecycle
from planner.programs.forms import ItemForm, ProgramForm
from planner.programs.models import (
    DEFAULT_MEMBERS_PER_DELEGATION,
    AgendaItem,
    ItemKind,
    ItemStatus,
    Program,
    ProgramStatus,
)
from planner.venues import editing
from planner.venues.forms import VenueForm
from planner.venues.models import Venue

bp = api_blueprint("api_staff", __name__, url_prefix="/api/v1/staff")
bp.before_request(require_staff_token(lambda: None))

ITEM_RENAMES = {"day": "starts_at", "start": "starts_at", "end": "ends_at", "venue": "venue_id"}
# The program form's own fields (its registration times are converted separately).
PROGRAM_FIELDS = ProgramForm.values_fields()
ITEM_FIELDS = (
    "title",
    "kind",
    "presenter",
    "description",
    "requirements",
    "dress_code",
    "capacity",
    "optional",
    "reminder_minutes",
)


def _venues() -> list[Venue]:
    return list(db.session.scalars(select(Venue).order_by(Venue.name)))


def _program_or_404(slug: str) -> Program:
    program = db.session.scalar(
        select(Program).where(Program.slug == slug).options(selectinload(Program.items))
    )
    if program is None:
        raise ApiError(404, _("Not found."))
    return program


def _moment(body: dict, name: str) -> datetime | None:
    """An ISO 8601 time with offset from the body, or an ApiError naming the field."""
    value = body.get(name)
    if value in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ApiError(
            422,
            _("Some fields are not valid."),
            {
                name: [
                    _("Give the time in ISO 8601 with its offset, e.g. 2026-12-09T08:00:00+07:00.")
                ]
            },
        )
    if moment.second or moment.microsecond:
        raise ApiError(422, _("Some fields are not valid."), {name: [_("Give whole minutes.")]})
    return moment


# --- venues ----------------------------------------------------------------------------


@bp.post("/venues")
def create_venue():
    body = json_body()
    form = VenueForm(formdata=to_formdata(body), meta={"csrf": False})
    if not form.validate():
        raise ApiError(422, _("Some fields are not valid."), form_errors(form))
    venue = editing.create_venue(form.values())
    db.session.commit()
    return jsonify(venue_json(venue)), 201


# --- programs ----------------------------------------------------------------------------


def _program_formdata(body: dict, program: Program | None) -> dict:
    """The program's current values (for PATCH) overlaid with the body, in form terms."""
    if program is not None:
        values = {name: getattr(program, name) for name in PROGRAM_FIELDS}
    else:  # what the staff page's empty form starts with
        values = {
            "members_per_delegation": DEFAULT_MEMBERS_PER_DELEGATION,
            "listed": True,
            "requires_approval": True,
            "waitlist": True,
            "timezone": current_app.config["PLANNER_TIMEZONE"],
        }
    values = {
        name: value.isoformat() if hasattr(value, "isoformat") else value
        for name, value in values.items()
    }
    moments = {
        name: getattr(program, name) if program else None
        for name in ("registration_opens_at", "registration_closes_at")
    }
    values.update({name: value for name, value in body.items() if name in PROGRAM_FIELDS})
    timezone = str(values.get("timezone") or "Asia/Jakarta")
    for name in moments:
        if name in body:
            moments[name] = _moment(body, name)
    try:
        zone = ZoneInfo(timezone)
    except (ValueError, KeyError, OSError):
        zone = ZoneInfo("Asia/Jakarta")  # the form refuses the zone itself, at its field
    for name, moment in moments.items():
        values[name] = moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M") if moment else None
    return values


def _validated_program(body: dict, program: Program | None) -> ProgramForm:
    form = ProgramForm(formdata=to_formdata(_program_formdata(body, program)), meta={"csrf": False})
    if not form.validate():
        raise ApiError(422, _("Some fields are not valid."), form_errors(form))
    if lifecycle.slug_taken(form.values()["slug"], program):
        raise ApiError(
            409,
            _("Another program already uses this web address."),
            {"slug": [_("Another program already uses this web address.")]},
        )
    return form


@bp.post("/programs")
def create_program():
    form = _validated_program(json_body(), None)
    program = lifecycle.create_program(form.values())
    db.session.commit()
    return jsonify(program_json(program)), 201


@bp.patch("/programs/<slug>")
def update_program(slug: str):
    program = _program_or_404(slug)
    form = _validated_program(json_body(), program)
    try:
        lifecycle.update_program(program, form.values())
        db.session.commit()
    except StaleDataError:
        raise ApiError(
            409, _("Someone else changed this program at the same time; retry.")
        ) from None
    return jsonify(program_json(program))


@bp.post("/programs/<slug>/publish")
def publish(slug: str):
    program = _program_or_404(slug)
    try:
        lifecycle.change_status(program, ProgramStatus.PUBLISHED)
    except lifecycle.TransitionError as error:
        raise ApiError(409, error.message) from None
    db.session.commit()
    return jsonify(program_json(program))


# --- agenda items ----------------------------------------------------------------------------


def _item_formdata(program: Program, body: dict, item: AgendaItem | None) -> dict:
    if item is not None:
        values = {name: getattr(item, name) for name in ITEM_FIELDS}
    else:
        values = {"kind": ItemKind.OTHER.value, "reminder_minutes": 60}
    values.update({name: value for name, value in body.items() if name in ITEM_FIELDS})
    starts_at = _moment(body, "starts_at") if "starts_at" in body or not item else item.starts_at
    ends_at = _moment(body, "ends_at") if "ends_at" in body or not item else item.ends_at
    if starts_at is None or ends_at is None:
        missing = [
            name
            for name, value in (("starts_at", starts_at), ("ends_at", ends_at))
            if value is None
        ]
        raise ApiError(
            422,
            _("Some fields are not valid."),
            {name: [_("This field is required.")] for name in missing},
        )
    start, end = starts_at.astimezone(program.tz), ends_at.astimezone(program.tz)
    if end.date() != start.date() and (end - start).total_seconds() > 0:
        raise ApiError(
            422,
            _("Some fields are not valid."),
            {"ends_at": [_("An item ends on the day it starts.")]},
        )
    values.update(
        day=start.date().isoformat(), start=start.strftime("%H:%M"), end=end.strftime("%H:%M")
    )
    venue_id = body.get("venue_id", item.venue.public_id if item and item.venue else None)
    values["venue"] = venue_id or ""
    return values


def _validated_item(program: Program, body: dict, item: AgendaItem | None) -> dict:
    form = ItemForm(
        program,
        _venues(),
        formdata=to_formdata(_item_formdata(program, body, item)),
        meta={"csrf": False},
    )
    if not form.validate():
        raise ApiError(422, _("Some fields are not valid."), form_errors(form, ITEM_RENAMES))
    values = form.values()
    if "status" in body:
        if body["status"] not in {status.value for status in ItemStatus}:
            raise ApiError(
                422, _("Some fields are not valid."), {"status": [_("Not a valid choice.")]}
            )
        values["status"] = body["status"]
    return values


def _agenda_refusal(error: agenda.AgendaRuleError):
    return ApiError(422, _("Some fields are not valid."), error.errors)


@bp.post("/programs/<slug>/items")
def create_item(slug: str):
    program = _program_or_404(slug)
    values = _validated_item(program, json_body(), None)
    try:
        item = agenda.add_item(program, values)
    except agenda.AgendaRuleError as error:
        raise _agenda_refusal(error) from None
    db.session.commit()
    return jsonify(item_json(item, capacity.items_left(program))), 201


@bp.patch("/items/<public_id>")
def update_item(public_id: str):
    item = db.session.scalar(select(AgendaItem).where(AgendaItem.public_id == public_id))
    if item is None:
        raise ApiError(404, _("Not found."))
    values = _validated_item(item.program, json_body(), item)
    try:
        agenda.update_item(item, values)
        db.session.commit()
    except agenda.AgendaRuleError as error:
        raise _agenda_refusal(error) from None
    except StaleDataError:
        raise ApiError(409, _("Someone else changed this item at the same time; retry.")) from None
    return jsonify(item_json(item, capacity.items_left(item.program)))


# --- delegations ----------------------------------------------------------------------------


@bp.get("/programs/<slug>/delegations")
def delegations(slug: str):
    program = _program_or_404(slug)
    rows = db.session.scalars(
        select(Delegation)
        .where(Delegation.program_id == program.id)
        .options(selectinload(Delegation.members).selectinload(Member.optional_items))
        .order_by(Delegation.created_at)
    )
    return jsonify(delegations=[delegation_json(delegation) for delegation in rows])


@bp.post("/delegations/<public_id>/status")
def change_status(public_id: str):
    delegation = db.session.scalar(select(Delegation).where(Delegation.public_id == public_id))
    if delegation is None:
        raise ApiError(404, _("Not found."))
    form = StatusForm(formdata=to_formdata(json_body()), meta={"csrf": False})
    form.status.choices = options((status.value, status.value) for status in DelegationStatus)
    if not form.validate():
        raise ApiError(422, _("Some fields are not valid."), form_errors(form))
    try:
        review.change_status(delegation, form.status.data, form.reason.data)
        db.session.commit()
    except (review.TransitionRefused, capacity.CapacityError) as refusal:
        raise ApiError(409, refusal.message, {"status": [refusal.message]}) from None
    return jsonify(delegation_json(delegation))
