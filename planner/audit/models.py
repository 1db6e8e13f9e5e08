from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.core.database import PUBLIC_ID_LENGTH, UTCDateTime, db, utcnow

if TYPE_CHECKING:
    from planner.staff.models import StaffUser


class AuditEvent(db.Model):
    """Who did what to which record, when, with the old and new values of what changed.

    The links to the program and delegation are kept loose (SET NULL) so that the
    fact of a change outlives the record; personal data is not copied into `changes`
    for deleted records.
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_program", "program_id", "occurred_at"),
        Index("ix_audit_events_delegation", "delegation_id", "occurred_at"),
        Index("ix_audit_events_object", "object_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    # Who acted, readable even when there is no staff account (a delegation's contact, a command).
    actor_label: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(50))
    object_type: Mapped[str] = mapped_column(String(30))
    object_id: Mapped[str] = mapped_column(String(PUBLIC_ID_LENGTH))
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id", ondelete="SET NULL"))
    delegation_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegations.id", ondelete="SET NULL")
    )
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped["StaffUser | None"] = relationship("StaffUser")
