"""Deleting personal data after a visit: one delegation, or every one of old programs."""

from datetime import date

from sqlalchemy import select

from planner.audit.log import record
from planner.audit.models import AuditEvent
from planner.core import idempotency
from planner.core.database import db
from planner.delegations.models import Delegation
from planner.programs.models import Program


def delete_delegation(delegation: Delegation, actor_label: str | None = None) -> None:
    """Removes the delegation, its members, their choices and its letter. The audit trail
    keeps that it happened, with counts, and loses the personal values it held."""
    program = delegation.program
    record(
        "delegation.deleted",
        delegation,
        program=program,
        actor_label=actor_label,
        changes={"members": [len(delegation.members), None], "status": [delegation.status, None]},
    )
    for event in db.session.scalars(
        select(AuditEvent).where(AuditEvent.delegation_id == delegation.id)
    ):
        event.changes = {name: ["•••", "•••"] for name in event.changes}
    idempotency.forget(delegation.public_id)
    db.session.delete(delegation)


def purge_before(day: date, actor_label: str = "purge command") -> int:
    """Delete the delegations of every program that ended before `day`; returns how many."""
    delegations = db.session.scalars(
        select(Delegation).join(Program).where(Program.last_day < day)
    ).all()
    for delegation in delegations:
        delete_delegation(delegation, actor_label=actor_label)
    return len(delegations)
