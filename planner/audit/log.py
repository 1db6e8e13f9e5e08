"""Recording what staff (and delegations) change: one explicit call per change."""

from typing import Any

from flask import g, has_request_context
from flask_login import current_user
from sqlalchemy import select

from planner.audit.models import AuditEvent
from planner.core.database import db


def record(
    action: str,
    target,
    *,
    changes: dict[str, list[Any]] | None = None,
    program=None,
    delegation=None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction (it commits or rolls back with the change)."""
    db.session.flush()  # new records get their ids and public ids
    actor = None
    if has_request_context():
        if g.get("api_user") is not None:  # a JSON API call authenticated by a staff token
            actor = g.api_user
        elif current_user and current_user.is_authenticated:
            actor = current_user._get_current_object()
    label = actor_label or (actor.email if actor else "system")
    event = AuditEvent(
        actor=actor,
        actor_label=label,
        action=action,
        object_type=type(target).__name__,
        object_id=target.public_id,
        program_id=program.id if program is not None else None,
        delegation_id=delegation.id if delegation is not None else None,
        changes=changes or {},
    )
    db.session.add(event)
    return event


def events_about(target, limit: int = 200) -> list[AuditEvent]:
    """The trail of one record (a visit request), newest first."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.object_id == target.public_id)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    )
    return list(db.session.scalars(query.limit(limit)))


def events_for(*, program=None, delegation=None, limit: int = 200) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    if program is not None:
        query = query.where(AuditEvent.program_id == program.id)
    if delegation is not None:
        query = query.where(AuditEvent.delegation_id == delegation.id)
    return list(db.session.scalars(query.limit(limit)))
