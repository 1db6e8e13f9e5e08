"""The reminder to each contact three days before the first day of their visit."""

from datetime import timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload, selectinload

from planner.core.database import db, utcnow
from planner.core.outbox import OutgoingMessage
from planner.delegations.models import Delegation, DelegationStatus
from planner.messages import composing
from planner.programs.models import ItemStatus, Program, ProgramStatus

DAYS_BEFORE = 3


def send_due() -> int:
    """Queue the reminder of every approved delegation whose visit starts within three days and
    that has not had one; returns how many were queued."""
    today = utcnow().date()
    already = exists().where(
        OutgoingMessage.delegation_id == Delegation.id, OutgoingMessage.kind == "reminder"
    )
    delegations = db.session.scalars(
        select(Delegation)
        .join(Program, Program.id == Delegation.program_id)
        .where(
            Delegation.status == DelegationStatus.APPROVED,
            Program.status.in_((ProgramStatus.PUBLISHED, ProgramStatus.CLOSED)),
            Program.first_day > today - timedelta(days=1),
            Program.first_day <= today + timedelta(days=DAYS_BEFORE + 1),
            ~already,
        )
        .options(joinedload(Delegation.program).selectinload(Program.items))
        .options(selectinload(Delegation.members))
    ).unique()
    count = 0
    for delegation in delegations:
        program = delegation.program
        local_today = utcnow().astimezone(program.tz).date()
        if not local_today < program.first_day <= local_today + timedelta(days=DAYS_BEFORE):
            continue
        first = next((item for item in program.items if item.status == ItemStatus.SCHEDULED), None)
        composing.reminder(delegation, first)
        count += 1
    db.session.commit()
    return count
