"""Public JSON API: programs, registering a delegation, the delegation's own view."""

from flask import jsonify
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from planner.api.common import ApiError, api_blueprint, form_errors, json_body, to_formdata
from planner.api.serializers import delegation_json, program_json
from planner.core.database import db
from planner.core.records import StaleEdit
from planner.delegations import capacity, registration
from planner.delegations.access import delegation_by_token_or_404
from planner.delegations.forms import MAX_ROWS, MembersForm, RegistrationForm
from planner.programs.queries import listed_programs, public_program_or_404

bp = api_blueprint("api_public", __name__)


@bp.get("/programs")
def programs():
    return jsonify(
        programs=[program_json(program, with_items=False) for program in listed_programs()]
    )


@bp.get("/programs/<slug>")
def program(slug: str):
    return jsonify(program_json(public_program_or_404(slug)))


def _members_within_bounds(body: dict) -> None:
    members = body.get("members")
    if isinstance(members, list) and len(members) > MAX_ROWS:
        raise ApiError(
            422,
            _("Too many members."),
            {
                "members": [
                    _(
                        "A delegation can have at most %(limit)s members; this list has %(count)s.",
                        limit=MAX_ROWS,
                        count=len(members),
                    )
                ]
            },
        )


def _save(act) -> None:
    """Run a domain change in the transaction; refusals become API errors."""
    try:
        act()
        db.session.commit()
    except registration.RegistrationRefused as refusal:
        raise ApiError(422, _("Some fields are not valid."), refusal.errors) from None
    except capacity.CapacityError as refusal:
        status = (
            409 if isinstance(refusal, capacity.ProgramFull) or refusal.field != "members" else 422
        )
        raise ApiError(
            status, refusal.message, {refusal.field.split(":")[0]: [refusal.message]}
        ) from None
    except registration.RegistrationClosed as refusal:
        raise ApiError(409, refusal.message) from None
    except (StaleEdit, StaleDataError):
        raise ApiError(
            409,
            _("Someone else changed this delegation at the same time; fetch it again and retry."),
        ) from None


@bp.post("/programs/<slug>/registrations")
def register(slug: str):
    program = public_program_or_404(slug)
    body = json_body()
    _members_within_bounds(body)
    closed = registration.registration_problem(program)
    if closed:
        raise ApiError(409, closed)
    form = RegistrationForm(program, formdata=to_formdata(body), meta={"csrf": False})
    if not form.validate():
        raise ApiError(422, _("Some fields are not valid."), form_errors(form))
    result = {}

    def act():
        result["delegation"] = registration.register(
            program, form.delegation_data(), form.members_data()
        )

    _save(act)
    return jsonify(delegation_json(result["delegation"])), 201


@bp.get("/delegations/<token>")
def delegation(token: str):
    return jsonify(delegation_json(delegation_by_token_or_404(token)))


@bp.put("/delegations/<token>/members")
def replace_members(token: str):
    delegation = delegation_by_token_or_404(token)
    body = json_body()
    _members_within_bounds(body)
    if not registration.can_contact_edit(delegation):
        raise ApiError(
            409, _("Registration is closed; please ask the host's protocol staff for changes.")
        )
    form = MembersForm(delegation.program, formdata=to_formdata(body), meta={"csrf": False})
    if not form.validate():
        raise ApiError(422, _("Some fields are not valid."), form_errors(form))
    _save(
        lambda: registration.replace_members(
            delegation, form.members_data(), actor_label="delegation contact (API)"
        )
    )
    return jsonify(delegation_json(delegation))
