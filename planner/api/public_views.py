"""Public JSON API: programs, registering a delegation, the delegation's own view, topics and
visit requests."""

import json

from flask import jsonify, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from planner.api import schemas
from planner.api.common import (
    ApiError,
    api_blueprint,
    documented,
    invalid,
    through_form,
    typed_body,
)
from planner.api.serializers import (
    delegation_json,
    program_json,
    programs_json,
    topics_json,
    visit_request_json,
)
from planner.core import idempotency
from planner.core.database import db
from planner.core.digests import digest_of
from planner.core.records import StaleEdit
from planner.core.security import limiter
from planner.delegations import capacity, registration
from planner.delegations.access import WITH_MEMBERS, delegation_by_token_or_404
from planner.delegations.forms import MAX_ROWS, MembersForm, RegistrationForm
from planner.delegations.matching import AmbiguousList, match_members, with_current_values
from planner.delegations.models import Delegation
from planner.programs.queries import listed_programs, public_program_or_404
from planner.visits import requesting
from planner.visits.forms import VisitRequestForm
from planner.visits.links import request_by_token_or_404

bp = api_blueprint("api_public", __name__)
PUBLIC = ("public",)


@bp.get("/programs")
@documented("HTTP_200", schemas.ProgramList, tags=PUBLIC)
def programs():
    """Published, listed programs"""
    return jsonify(programs_json(listed_programs()))


@bp.get("/programs/<slug>")
@documented("HTTP_200", schemas.ProgramOut, 404, tags=PUBLIC)
def program(slug: str):
    """One program with its agenda and seats left"""
    return jsonify(program_json(public_program_or_404(slug)))


def _members_within_bounds(body) -> None:
    if len(body.members or ()) > MAX_ROWS:
        raise invalid(
            {
                "members": [
                    _(
                        "A delegation can have at most %(limit)s members; this list has "
                        "%(count)s. Remove the extra rows, or ask the host about a larger "
                        "delegation.",
                        limit=MAX_ROWS,
                        count=len(body.members),
                    )
                ]
            }
        )


def _save(act) -> None:
    """Run a domain change in the transaction; refusals become API errors."""
    try:
        act()
        db.session.commit()
    except registration.RegistrationRefused as refusal:
        raise invalid(refusal.errors) from None
    except capacity.ProgramBusy as refusal:
        raise ApiError(503, refusal.message) from None
    except capacity.CapacityError as refusal:
        status = (
            409 if isinstance(refusal, capacity.ProgramFull) or refusal.field != "members" else 422
        )
        raise ApiError(
            status, refusal.message, {refusal.field.split(":")[0]: [refusal.message]}
        ) from None
    except registration.RegistrationClosed as refusal:
        raise ApiError(409, refusal.message) from None
    except requesting.RequestRefused as refusal:
        raise invalid(refusal.errors) from None
    except (StaleEdit, StaleDataError):
        raise ApiError(
            409,
            _("Someone else changed this delegation at the same time; fetch it again and retry."),
        ) from None


def _fresh(delegation_id: int) -> Delegation:
    """The delegation as committed, with its members and their choices in three queries."""
    return db.session.scalars(
        select(Delegation)
        .where(Delegation.id == delegation_id)
        .options(joinedload(Delegation.program), *WITH_MEMBERS)
        .execution_options(populate_existing=True)
    ).one()


@bp.post("/programs/<slug>/registrations")
@limiter.limit("20 per hour")  # as the registration form
@documented(
    "HTTP_201",
    schemas.DelegationOut,
    404,
    409,
    503,
    json=schemas.RegistrationIn,
    headers=schemas.IdempotencyHeader,
    tags=PUBLIC,
)
def register(slug: str):
    """Register a delegation

    Same rules and messages as the registration form. The answer carries the private links:
    `manage_url` for the contact, `personal_url` for each member. With an `Idempotency-Key`,
    a repeated request within 24 hours gets the first answer and registers nothing new."""
    program = public_program_or_404(slug)
    body = typed_body(schemas.RegistrationIn)
    once = _idempotency()
    if once is not None and (replay := once.replay()) is not None:
        return replay
    _members_within_bounds(body)
    closed = registration.registration_problem(program)
    if closed:
        raise ApiError(409, closed)
    values = body.model_dump()
    form = through_form(
        lambda formdata: RegistrationForm(program, formdata=formdata, meta={"csrf": False}),
        {name: value for name, value in values.items() if name != "members"},
        members=values.get("members") or [],
    )
    result = {}

    def act():
        claim = once.claim() if once is not None else None
        delegation = registration.register(program, form.delegation_data(), form.members_data())
        result["answer"] = delegation_json(delegation)
        if claim is not None:
            claim.status_code, claim.answer = 201, result["answer"]
            claim.resource = delegation.public_id

    return _saved_once(once, act, result)


def _saved_once(once, act, result: dict):
    """Commit the change with its Idempotency-Key; a request with the same key that was
    committed first wins, and this one gets its answer."""
    try:
        _save(act)
    except IntegrityError as error:
        db.session.rollback()
        if once is None or not idempotency.is_taken(error) or (replay := once.replay()) is None:
            raise
        return replay
    return jsonify(result["answer"]), 201


class _Once:
    """This request's Idempotency-Key."""

    def __init__(self, key: str):
        self.scope = f"{request.method} {request.path}"
        self.key = key
        self.digest = digest_of(json.loads(request.get_data(cache=True)))

    def replay(self):
        try:
            earlier = idempotency.earlier_answer(self.scope, self.key, self.digest)
        except idempotency.KeyReused:
            raise invalid(
                {"Idempotency-Key": [_("This key was used with another request; use a new key.")]}
            ) from None
        if earlier is None:
            return None
        response = jsonify(earlier.answer)
        response.status_code = earlier.status_code
        response.headers["Idempotent-Replayed"] = "true"
        return response

    def claim(self):
        return idempotency.claim(self.scope, self.key, self.digest)


def _idempotency() -> _Once | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not idempotency.valid_key(key):
        raise invalid({"Idempotency-Key": [_("Use 1 to 200 visible characters, e.g. a UUID.")]})
    return _Once(key)


@bp.get("/delegations/<token>")
@documented("HTTP_200", schemas.DelegationOut, 404, tags=PUBLIC)
def delegation(token: str):
    """The delegation as its contact sees it"""
    return jsonify(delegation_json(delegation_by_token_or_404(token)))


@bp.put("/delegations/<token>/members")
@documented("HTTP_200", schemas.DelegationOut, 404, 409, 503, json=schemas.MembersIn, tags=PUBLIC)
def replace_members(token: str):
    """Replace the member list

    Each row is matched to an existing member by `id`, else `nip`, else exact `full_name`;
    matched members keep their personal links, feeds and choices, and the fields a row leaves
    out keep their values. Rows that match nobody are new members; members no row matches are
    removed. Swapping NIPs between members works."""
    delegation = delegation_by_token_or_404(token)
    body = typed_body(schemas.MembersIn)
    _members_within_bounds(body)
    if not registration.can_contact_edit(delegation):
        raise ApiError(
            409, _("Registration is closed; please ask the host's protocol staff for changes.")
        )
    try:
        matched = match_members(delegation.members, body.members)
    except AmbiguousList as ambiguous:
        raise invalid(ambiguous.errors) from None
    rows = [row.model_dump() for row in with_current_values(body.members, matched)]
    form = through_form(
        lambda formdata: MembersForm(delegation.program, formdata=formdata, meta={"csrf": False}),
        None,
        members=rows,
    )
    delegation_id = delegation.id
    _save(
        lambda: registration.replace_members(
            delegation, form.members_data(), actor_label="delegation contact (API)"
        )
    )
    return jsonify(delegation_json(_fresh(delegation_id)))


# --- visit requests ----------------------------------------------------------------------


@bp.get("/topics")
@documented("HTTP_200", schemas.TopicList, tags=PUBLIC)
def topics():
    """What the host offers to learn

    Active topics, in the host's order; titles and summaries in the request's language
    (Accept-Language)."""
    return jsonify(topics_json(requesting.active_topics()))


def _ranges_within_bounds(body) -> None:
    """The form has a row for each of MAX_RANGES ranges: more would be dropped unseen."""
    if len(body.wished_dates or ()) > requesting.MAX_RANGES:
        raise invalid(
            {
                "wished_dates": [
                    _("Give at most %(count)s date ranges.", count=requesting.MAX_RANGES)
                ]
            }
        )


def _request_form(body: schemas.VisitRequestIn) -> VisitRequestForm:
    """The request form for this body, checked by its rules. The form shows every refusal
    of a topic at its one list of boxes; the API names each unknown topic by its place."""
    offered = requesting.active_topics()
    try:
        return through_form(
            lambda formdata: VisitRequestForm(offered, formdata=formdata, meta={"csrf": False}),
            body.model_dump(),
        )
    except ApiError as refusal:
        unknown = requesting.topic_problems(body.topics or [], offered)
        unknown.pop("topics", None)
        if unknown and "topics" in refusal.errors:
            del refusal.errors["topics"]
            refusal.errors.update({path: [str(m) for m in ms] for path, ms in unknown.items()})
        raise


@bp.post("/visit-requests")
@limiter.limit("20 per hour")  # as the request form
@documented(
    "HTTP_201",
    schemas.VisitRequestOut,
    json=schemas.VisitRequestIn,
    headers=schemas.IdempotencyHeader,
    tags=PUBLIC,
)
def request_visit():
    """Request a visit

    Same rules and messages as the request form: 1 to 3 wished date ranges in order of
    preference, each starting after the host's lead time (in working days) and in the coming
    18 months; a size within the host's maximum; active topic ids (GET /api/v1/topics). The
    request letter's PDF is not part of the JSON API: give its number and date (a request
    with its PDF goes through the request form, /visits/request). The answer carries
    `manage_url`, the request's private page. With an `Idempotency-Key`, a repeated request
    within 24 hours gets the first answer and creates nothing new."""
    body = typed_body(schemas.VisitRequestIn)
    once = _idempotency()
    if once is not None and (replay := once.replay()) is not None:
        return replay
    _ranges_within_bounds(body)
    form = _request_form(body)
    result = {}

    def act():
        claim = once.claim() if once is not None else None
        visit = requesting.submit(form.request_data())
        db.session.flush()
        result["answer"] = visit_request_json(visit)
        if claim is not None:
            claim.status_code, claim.answer = 201, result["answer"]
            claim.resource = visit.public_id

    return _saved_once(once, act, result)


@bp.get("/visit-requests/<token>")
@documented("HTTP_200", schemas.VisitRequestOut, 404, tags=PUBLIC)
def visit_request(token: str):
    """The visit request as its requester sees it"""
    return jsonify(visit_request_json(request_by_token_or_404(token)))
