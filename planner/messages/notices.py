"""Change notices: after staff change a published agenda, each affected contact and member gets
one message listing only their changes, once staff have reviewed them and pressed send."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.audit.log import record
from planner.core.database import db
from planner.delegations.access import delegation_items, member_items
from planner.delegations.capacity import lock_program
from planner.delegations.models import Delegation, DelegationStatus, Member
from planner.messages import composing
from planner.programs import announcements
from planner.programs.announcements import ItemChange
from planner.programs.models import Program

TOLD_STATUSES = (DelegationStatus.PENDING, DelegationStatus.APPROVED, DelegationStatus.WAITLISTED)


class NoticeRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class Recipient:
    email: str
    name: str
    delegation: Delegation
    changes: list[ItemChange]
    member: Member | None = None


def _of(changes: list[ItemChange], attended, new_too: bool = False) -> list[ItemChange]:
    """The changes to the items attended (and, for a contact, every new item)."""
    ids = {item.id for item in attended}
    return [change for change in changes if change.item.id in ids or (new_too and change.new)]


def recipients(program: Program, changes: list[ItemChange]) -> list[Recipient]:
    """Every contact and member (with an e-mail address) the changes concern, each with their
    own: a member hears of an optional item only if they joined it; a contact of every item a
    member of theirs attends, and of every new item (one they might join)."""
    delegations = db.session.scalars(
        select(Delegation)
        .where(Delegation.program_id == program.id, Delegation.status.in_(TOLD_STATUSES))
        .options(selectinload(Delegation.members).selectinload(Member.optional_items))
        .order_by(Delegation.created_at)
    )
    found = []
    for delegation in delegations:
        theirs = _of(changes, delegation_items(delegation), new_too=True)
        if theirs:
            found.append(
                Recipient(delegation.contact_email, delegation.contact_name, delegation, theirs)
            )
        for member in delegation.members:
            mine = _of(changes, member_items(member))
            if member.email and mine:
                found.append(Recipient(member.email, member.full_name, delegation, mine, member))
    return found


def send(program: Program, reviewed: str) -> int:
    """Queue the notice of the changes staff reviewed (their fingerprint) and mark them
    announced; returns how many messages were queued. Under the program's lock, so a second
    press (a double click, another desk) finds nothing left to announce."""
    lock_program(program)
    db.session.expire_all()
    changes = announcements.pending_changes(program)
    if not changes:
        raise NoticeRefused(_l("These changes have already been announced."))
    if announcements.fingerprint(changes) != reviewed:
        raise NoticeRefused(
            _l("The agenda changed while you were reviewing it. Review the changes again.")
        )
    people = recipients(program, changes)
    for person in people:
        composing.change_notice(
            person.email, person.name, person.delegation, person.changes, person.member
        )
    announcements.announce(changes)
    record(
        "program.changes_announced",
        program,
        program=program,
        changes={"items": [None, len(changes)], "messages": [None, len(people)]},
    )
    return len(people)
