"""Staff decisions on delegations: approve, waitlist, reject, cancel; new private links."""

from flask_babel import lazy_gettext as _l

from planner.audit.log import record
from planner.core.database import new_token
from planner.delegations import capacity
from planner.delegations.models import SEAT_HOLDING_STATUSES, Delegation, DelegationStatus, Member

S = DelegationStatus
TRANSITIONS = {
    S.PENDING: {S.APPROVED, S.WAITLISTED, S.REJECTED, S.CANCELLED},
    S.WAITLISTED: {S.PENDING, S.APPROVED, S.REJECTED, S.CANCELLED},
    S.APPROVED: {S.WAITLISTED, S.REJECTED, S.CANCELLED},
    S.REJECTED: {S.PENDING, S.APPROVED, S.WAITLISTED},
    S.CANCELLED: {S.PENDING, S.APPROVED, S.WAITLISTED},
}

STATUS_LABELS = {
    S.PENDING: _l("waiting for approval"),
    S.APPROVED: _l("approved"),
    S.WAITLISTED: _l("on the waitlist"),
    S.REJECTED: _l("rejected"),
    S.CANCELLED: _l("cancelled"),
}


class TransitionRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def status_label(status) -> str:
    return str(STATUS_LABELS[DelegationStatus(status)])


def change_status(delegation: Delegation, status: str, reason: str) -> None:
    """Move the delegation; moving it into seats re-checks every cap under the program lock."""
    new = DelegationStatus(status)
    old = DelegationStatus(delegation.status)
    if new == old:
        raise TransitionRefused(_l("The delegation already has this status."))
    if new not in TRANSITIONS[old]:
        raise TransitionRefused(
            _l(
                "A delegation that is %(old)s cannot become %(new)s.",
                old=status_label(old),
                new=status_label(new),
            )
        )
    if new in SEAT_HOLDING_STATUSES and old not in SEAT_HOLDING_STATUSES:
        program = delegation.program
        capacity.lock_program(program)
        if not capacity.program_has_room(program, delegation, len(delegation.members)):
            raise capacity.ProgramFull(
                _l("There are not enough seats left in the program for this delegation.")
            )
        choices: dict = {}
        for member in delegation.members:
            for item in member.optional_items:
                choices[item] = choices.get(item, 0) + 1
        capacity.check_item_capacity(delegation, choices)
    delegation.status = new
    delegation.status_reason = reason
    record(
        "delegation.status_changed",
        delegation,
        program=delegation.program,
        delegation=delegation,
        changes={"status": [old.value, new.value], "reason": [None, reason]},
    )


def reissue_delegation_link(delegation: Delegation) -> None:
    delegation.token = new_token()
    record(
        "delegation.link_reissued",
        delegation,
        program=delegation.program,
        delegation=delegation,
    )


def reissue_member_link(member: Member) -> None:
    member.token = new_token()
    record(
        "member.link_reissued",
        member,
        program=member.delegation.program,
        delegation=member.delegation,
    )
