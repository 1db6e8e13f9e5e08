"""Staff decisions on delegations: approve, waitlist, reject, cancel; new private links."""

from collections import defaultdict

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from planner.audit.log import record
from planner.core.database import db, new_token
from planner.core.records import StaleEdit
from planner.core.validation import name_key
from planner.delegations import capacity, events
from planner.delegations.labels import status_label
from planner.delegations.models import SEAT_HOLDING_STATUSES, Delegation, DelegationStatus, Member
from planner.regions.matching import institution_key

S = DelegationStatus
TRANSITIONS = {
    S.PENDING: {S.APPROVED, S.WAITLISTED, S.REJECTED, S.CANCELLED},
    S.WAITLISTED: {S.PENDING, S.APPROVED, S.REJECTED, S.CANCELLED},
    S.APPROVED: {S.WAITLISTED, S.REJECTED, S.CANCELLED},
    S.REJECTED: {S.PENDING, S.APPROVED, S.WAITLISTED},
    S.CANCELLED: {S.PENDING, S.APPROVED, S.WAITLISTED},
}


class TransitionRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def change_status(
    delegation: Delegation, status: str, reason: str, expected_version: int | None = None
) -> None:
    """Move the delegation; moving it into seats re-checks every cap under the program lock.
    StaleEdit when the decision was taken on an older version of the registration."""
    if expected_version is not None and expected_version != delegation.version:
        raise StaleEdit()
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
                _l(
                    "There are not enough places left in the program for this delegation. Raise "
                    "the program's capacity, or free places first."
                )
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
    events.status_changed.send(delegation, old=old, by_contact=False)


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


# Delegations still in the running; a second one of the same group among them is worth a look.
ACTIVE_STATUSES = (S.PENDING, S.APPROVED, S.WAITLISTED)


def possible_duplicates(program) -> dict[int, list[Delegation]]:
    """For each delegation in the running, the others of the program with the same institution
    and leader: regencies do send two groups, so staff decide (one query)."""
    active = db.session.scalars(
        select(Delegation)
        .where(Delegation.program_id == program.id, Delegation.status.in_(ACTIVE_STATUSES))
        .order_by(Delegation.created_at)
    )
    groups: dict[tuple[str, str], list[Delegation]] = defaultdict(list)
    for delegation in active:
        groups[(institution_key(delegation.institution), name_key(delegation.leader_name))].append(
            delegation
        )
    return {
        delegation.id: [other for other in group if other is not delegation]
        for group in groups.values()
        if len(group) > 1
        for delegation in group
    }
