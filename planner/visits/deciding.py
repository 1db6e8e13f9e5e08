"""Staff's decisions on a request (accept, merge, propose, decline) and the requester's answers
(take or refuse a proposal, withdraw). Each is in the audit trail with its reason, and each
checks the version the decider saw: of two staff deciding at once, one wins and the other is
told."""

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from planner.audit.log import record
from planner.core.database import db, new_token, utcnow
from planner.core.records import StaleEdit
from planner.delegations import capacity, registration
from planner.delegations.models import MemberRole
from planner.delegations.records import ContactFields, DelegationFields, LetterFields, MemberFields
from planner.programs import lifecycle
from planner.programs.models import Program, ProgramStatus
from planner.regions import reference
from planner.visits import building, host, notices, requesting
from planner.visits.labels import status_label
from planner.visits.models import (
    OPEN_STATUSES,
    ProgramTemplate,
    ProposalAnswer,
    RequestStatus,
    VisitRequest,
)

REQUESTER = "requester"


class DecisionRefused(Exception):
    """A decision the request's state (or the chosen program) does not allow; `field` names
    the input it is about."""

    def __init__(self, message, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


def _check_day(day: date, field: str = "first_day") -> None:
    if day < host.today():
        raise DecisionRefused(_l("This day has already passed. Choose a later day."), field)
    if day > host.today() + timedelta(days=requesting.MAX_MONTHS_AHEAD * 31):
        raise DecisionRefused(
            _l(
                "Choose a day within the coming %(months)s months.",
                months=requesting.MAX_MONTHS_AHEAD,
            ),
            field,
        )


def _require_open(request: VisitRequest, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != request.version:
        raise StaleEdit()
    if request.status not in OPEN_STATUSES:
        raise DecisionRefused(
            _l(
                "This request is already %(status)s; it cannot be decided again.",
                status=status_label(request.status),
            )
        )


def _decided(request: VisitRequest, status: RequestStatus, reason: str, action: str, **changes):
    old = request.status
    request.status = status
    request.reason = reason
    request.decided_at = utcnow()
    # The request's row is written (and, on PostgreSQL, locked) before anything else is made:
    # of two deciders, the second stops here.
    db.session.flush()
    record(
        action,
        request,
        program=request.program,
        delegation=request.delegation,
        changes={"status": [str(old), status.value], "reason": [None, reason], **changes},
    )


def _delegation_in(program: Program, request: VisitRequest):
    """The requester's delegation, approved, with the leader as its first member: the contact
    adds the others from the delegation's page."""
    details = DelegationFields(
        institution=request.institution,
        # A code the list no longer has (typed before the list was) is not carried over.
        region_code=request.region_code if reference.region(request.region_code) else "",
        province=request.province,
        leader_name=request.leader_name,
        leader_title=request.leader_title,
        contact=ContactFields(
            name=request.contact_name, phone=request.contact_phone, email=request.contact_email
        ),
        request_letter=LetterFields(
            number=request.request_letter_number, date=request.request_letter_date
        ),
    )
    leader = MemberFields(
        full_name=request.leader_name,
        position=request.leader_title,
        role=MemberRole.LEADER.value,
    )
    letter = request.letter
    return registration.register(
        program,
        details,
        [leader],
        registration.LetterFile(letter.filename, letter.content) if letter else None,
        actor_label="protocol staff",
        approved_by_host=True,
        language=request.language,
    )


def accept(
    request: VisitRequest,
    template: ProgramTemplate,
    first_day: date,
    title: str,
    reason: str,
    expected_version: int | None = None,
) -> Program:
    """Accept the request as a new program made from the template, with its delegation."""
    _require_open(request, expected_version)
    _check_day(first_day)
    profile = host.profile()
    _decided(request, RequestStatus.ACCEPTED, reason, "visit_request.accepted")
    try:
        program = building.build_program(
            template,
            first_day,
            title,
            request.topics,
            members_per_delegation=request.size,
            official={
                "host_official_name": profile.signing_official_name,
                "host_official_title": profile.signing_official_title,
                "host_official_nip": profile.signing_official_nip,
            },
        )
    except lifecycle.TransitionError as refusal:  # e.g. no item of the template applies
        raise DecisionRefused(refusal.message, "template") from None
    _settle(request, program, template=template.title)
    return program


def merge(
    request: VisitRequest, program: Program, reason: str, expected_version: int | None = None
) -> Program:
    """Add the requester's delegation to a program already planned (a joint visit)."""
    _require_open(request, expected_version)
    problem = registration.registration_problem(program)
    if program.status == ProgramStatus.ARCHIVED or problem:
        raise DecisionRefused(
            _l("This program takes no registrations now; open its registration first."),
            "program",
        )
    _decided(request, RequestStatus.MERGED, reason, "visit_request.merged")
    _settle(request, program)
    return program


def _settle(request: VisitRequest, program: Program, **changes) -> None:
    request.program = program
    try:
        request.delegation = _delegation_in(program, request)
    except capacity.ProgramBusy:
        raise
    except (capacity.CapacityError, registration.RegistrationClosed) as refusal:
        raise DecisionRefused(refusal.message, "program") from None
    except registration.RegistrationRefused as refusal:  # the leader's seat is taken there
        message = next(iter(refusal.errors.values()))[0]
        raise DecisionRefused(message, "program") from None
    db.session.flush()
    record(
        "visit_request.delegation_created",
        request,
        program=program,
        delegation=request.delegation,
        changes={"program": [None, program.title], **{k: [None, v] for k, v in changes.items()}},
    )
    notices.decided(request)


def propose(
    request: VisitRequest,
    first_day: date,
    last_day: date,
    reason: str,
    expected_version: int | None = None,
) -> None:
    _require_open(request, expected_version)
    _check_day(first_day)
    if last_day < first_day:
        raise DecisionRefused(
            _l("The last day cannot be before the first day. Check both dates."), "last_day"
        )
    if (last_day - first_day).days >= requesting.MAX_DAYS_PER_VISIT:
        raise DecisionRefused(
            _l(
                "A visit lasts at most %(days)s days. Choose a shorter date range.",
                days=requesting.MAX_DAYS_PER_VISIT,
            ),
            "last_day",
        )
    request.proposed_first_day, request.proposed_last_day = first_day, last_day
    request.proposal_number += 1
    request.proposal_answer = ProposalAnswer.NONE
    _decided(
        request,
        RequestStatus.PROPOSED,
        reason,
        "visit_request.proposed",
        proposal=[None, f"{first_day} – {last_day}"],
    )
    notices.decided(request)


def withdraw_proposal(request: VisitRequest, expected_version: int | None = None) -> None:
    if expected_version is not None and expected_version != request.version:
        raise StaleEdit()
    if request.status != RequestStatus.PROPOSED:
        raise DecisionRefused(_l("This request has no proposal to withdraw."))
    proposal = f"{request.proposed_first_day} – {request.proposed_last_day}"
    request.status = RequestStatus.NEW
    request.proposed_first_day = request.proposed_last_day = None
    request.proposal_answer = ProposalAnswer.NONE
    db.session.flush()
    record(
        "visit_request.proposal_withdrawn",
        request,
        changes={"status": ["proposed", "new"], "proposal": [proposal, None]},
    )


def decline(request: VisitRequest, reason: str, expected_version: int | None = None) -> None:
    _require_open(request, expected_version)
    _decided(request, RequestStatus.DECLINED, reason, "visit_request.declined")
    notices.decided(request)


def answer_proposal(request: VisitRequest, proposal_number: int, accepted: bool) -> None:
    """The requester takes or refuses the dates staff proposed (the proposal they saw)."""
    if proposal_number == request.proposal_number and request.proposal_answer:
        raise DecisionRefused(_l("You have already answered this proposal."))
    if request.status != RequestStatus.PROPOSED or proposal_number != request.proposal_number:
        raise DecisionRefused(
            _l(
                "The host withdrew or changed this proposal; the page now shows the request "
                "as it stands."
            )
        )
    proposal = f"{request.proposed_first_day} – {request.proposed_last_day}"
    if accepted:
        request.proposal_answer = ProposalAnswer.ACCEPTED
        action, status = "visit_request.proposal_accepted", RequestStatus.PROPOSED
    else:
        request.proposal_answer = ProposalAnswer.DECLINED
        action, status = "visit_request.proposal_declined", RequestStatus.NEW
    request.status = status
    db.session.flush()
    record(
        action,
        request,
        actor_label=REQUESTER,
        changes={"proposal": [proposal, request.proposal_answer]},
    )


def reissue_link(request: VisitRequest) -> None:
    """A new private link for the requester; the old one stops working."""
    request.token = new_token()
    record("visit_request.link_reissued", request)


def withdraw(request: VisitRequest) -> None:
    if request.status not in OPEN_STATUSES:
        raise DecisionRefused(
            _l(
                "This request is already %(status)s; it cannot be withdrawn.",
                status=status_label(request.status),
            )
        )
    old = request.status
    request.status = RequestStatus.WITHDRAWN
    request.decided_at = utcnow()
    db.session.flush()
    record(
        "visit_request.withdrawn",
        request,
        actor_label=REQUESTER,
        changes={"status": [old, RequestStatus.WITHDRAWN.value]},
    )
