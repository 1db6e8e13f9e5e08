"""Counting the seats of a program: who holds them and how many are left."""

from sqlalchemy import func, select

from planner.database import db
from planner.delegations.models import SEAT_HOLDING_STATUSES, Delegation, Member
from planner.programs.models import Program


def seats_taken(program: Program) -> tuple[int, int]:
    """(delegations, participants) holding seats in the program."""
    delegations, participants = db.session.execute(
        select(
            func.count(func.distinct(Delegation.id)),
            func.count(Member.id),
        )
        .select_from(Delegation)
        .outerjoin(Member, Member.delegation_id == Delegation.id)
        .where(Delegation.program_id == program.id, Delegation.status.in_(SEAT_HOLDING_STATUSES))
    ).one()
    return delegations, participants


def seats_left(program: Program) -> int | None:
    """Participant seats left, or None when the program has no participant cap."""
    if program.max_participants is None:
        return None
    _, participants = seats_taken(program)
    return max(program.max_participants - participants, 0)
