"""Every area's models, imported together so that the metadata (and Alembic) sees all tables."""

from planner.audit.models import AuditEvent
from planner.core.idempotency import IdempotencyKey
from planner.core.outbox import OutgoingMessage
from planner.core.worker import WorkerHeartbeat
from planner.delegations.models import (
    Checkin,
    CheckinPoint,
    Delegation,
    Member,
    MemberItem,
    RequestLetter,
)
from planner.programs.models import AgendaItem, Program
from planner.protocol.models import PrecedenceRule
from planner.staff.models import ApiToken, StaffUser
from planner.venues.models import TravelTime, Venue, VenueClosure
from planner.visits.models import (
    Holiday,
    HostProfile,
    ProgramTemplate,
    TemplateItem,
    Topic,
    VisitRequest,
    VisitRequestLetter,
    WishedDates,
)

__all__ = [
    "AgendaItem",
    "Holiday",
    "HostProfile",
    "ProgramTemplate",
    "TemplateItem",
    "Topic",
    "VisitRequest",
    "VisitRequestLetter",
    "WishedDates",
    "ApiToken",
    "AuditEvent",
    "Checkin",
    "CheckinPoint",
    "Delegation",
    "IdempotencyKey",
    "Member",
    "MemberItem",
    "OutgoingMessage",
    "PrecedenceRule",
    "Program",
    "RequestLetter",
    "StaffUser",
    "TravelTime",
    "Venue",
    "VenueClosure",
    "WorkerHeartbeat",
]
