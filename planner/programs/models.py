import enum
import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.core.database import PublicIdMixin, TimestampMixin, UTCDateTime, db, one_of
from planner.venues.models import Venue


class ProgramStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"
    ARCHIVED = "archived"


class ItemKind(enum.StrEnum):
    WELCOME = "welcome"
    BRIEFING = "briefing"
    TOUR = "tour"
    FIELD_TRIP = "field_trip"
    MEAL = "meal"
    TRANSFER = "transfer"
    FREE_TIME = "free_time"
    CEREMONY = "ceremony"
    OTHER = "other"


class ItemStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


DEFAULT_MEMBERS_PER_DELEGATION = 30


class Program(PublicIdMixin, TimestampMixin, db.Model):
    __tablename__ = "programs"
    __table_args__ = (
        CheckConstraint("last_day >= first_day", "days_in_order"),
        CheckConstraint(one_of("status", ProgramStatus), "status"),
        CheckConstraint("members_per_delegation >= 1", "members_per_delegation_positive"),
        CheckConstraint("max_delegations IS NULL OR max_delegations >= 1", "max_delegations"),
        CheckConstraint("max_participants IS NULL OR max_participants >= 1", "max_participants"),
        CheckConstraint(
            "registration_opens_at IS NULL OR registration_closes_at IS NULL "
            "OR registration_closes_at > registration_opens_at",
            "registration_window",
        ),
        Index("ix_programs_status_first_day", "status", "first_day"),
        Index("ix_programs_last_day", "last_day"),  # programs not yet over, or past
        Index("ix_programs_first_day", "first_day"),  # a year's programs, for the figures
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=ProgramStatus.DRAFT)
    listed: Mapped[bool] = mapped_column(Boolean, default=True)
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    members_per_delegation: Mapped[int] = mapped_column(
        Integer, default=DEFAULT_MEMBERS_PER_DELEGATION
    )
    max_delegations: Mapped[int | None] = mapped_column(Integer)
    max_participants: Mapped[int | None] = mapped_column(Integer)
    requires_approval: Mapped[bool] = mapped_column(Boolean, default=True)
    waitlist: Mapped[bool] = mapped_column(Boolean, default=True)
    # The host official who signs the delegations' travel orders (SPPD).
    host_official_name: Mapped[str] = mapped_column(String(200), default="")
    host_official_title: Mapped[str] = mapped_column(String(200), default="")
    host_official_nip: Mapped[str] = mapped_column(String(18), default="")
    # Whom participants call on the day (on every itinerary, also offline).
    protocol_contact_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    protocol_contact_phone: Mapped[str] = mapped_column(String(32), default="", server_default="")
    # Stable UID of the program's calendar, so the feed's bytes do not change between requests.
    calendar_uid: Mapped[str] = mapped_column(String(36), default=lambda: str(uuid.uuid4()))
    version: Mapped[int] = mapped_column(Integer, default=1)

    items: Mapped[list["AgendaItem"]] = relationship(
        back_populates="program",
        order_by="(AgendaItem.starts_at, AgendaItem.ends_at, AgendaItem.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def is_published(self) -> bool:
        return self.status == ProgramStatus.PUBLISHED

    def __repr__(self) -> str:
        return f"<Program {self.slug!r}>"


class AgendaItem(PublicIdMixin, TimestampMixin, db.Model):
    __tablename__ = "agenda_items"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", "ends_after_start"),
        CheckConstraint(one_of("kind", ItemKind), "kind"),
        CheckConstraint(one_of("status", ItemStatus), "status"),
        CheckConstraint("capacity IS NULL OR capacity >= 1", "capacity_positive"),
        CheckConstraint("revision >= 0", "revision_not_negative"),
        CheckConstraint("reminder_minutes >= 0", "reminder_not_negative"),
        Index("ix_agenda_items_program_starts", "program_id", "starts_at"),
        Index("ix_agenda_items_venue_starts", "venue_id", "starts_at"),
        Index("ix_agenda_items_ends_at", "ends_at"),  # windows of time: the week, the clashes
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default=ItemKind.OTHER)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # A venue in use cannot be deleted: staff must move the items first.
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venues.id", ondelete="RESTRICT"))
    presenter: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    requirements: Mapped[str] = mapped_column(Text, default="")
    dress_code: Mapped[str] = mapped_column(String(200), default="")
    capacity: Mapped[int | None] = mapped_column(Integer)
    optional: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default=ItemStatus.SCHEDULED)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    reminder_minutes: Mapped[int] = mapped_column(Integer, default=60)
    # What participants were last told of the item (planner.programs.announcements): None for
    # an item of a draft, or one added since the last change notice.
    announced: Mapped[dict | None] = mapped_column(JSON)
    # The last announced change, {field: [before, after]}, marked on the itinerary pages.
    announced_change: Mapped[dict | None] = mapped_column(JSON)
    # When that change was announced; None for what was announced at publication.
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    program: Mapped[Program] = relationship(back_populates="items")
    venue: Mapped[Venue | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_cancelled(self) -> bool:
        return self.status == ItemStatus.CANCELLED

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.program.tz)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(self.program.tz)

    def __repr__(self) -> str:
        return f"<AgendaItem {self.title!r} {self.starts_at:%Y-%m-%d %H:%M}Z>"
