import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.core import checkcodes
from planner.core.database import (
    TOKEN_LENGTH,
    PublicIdMixin,
    TimestampMixin,
    UTCDateTime,
    db,
    new_token,
    one_of,
    utcnow,
)
from planner.programs.models import AgendaItem, Program


class DelegationStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


# Delegations in these states hold seats in the program and its items.
SEAT_HOLDING_STATUSES = (DelegationStatus.PENDING, DelegationStatus.APPROVED)


class Gender(enum.StrEnum):
    MALE = "L"  # laki-laki
    FEMALE = "P"  # perempuan


class MemberRole(enum.StrEnum):
    LEADER = "leader"
    MEMBER = "member"
    STAFF = "staff"


class SenderColumns:
    """Who writes to the host: the institution, its leader, the contact person and the request
    letter (a delegation's and a visit request's, by the same names)."""

    institution: Mapped[str] = mapped_column(String(200))
    province: Mapped[str] = mapped_column(String(100))
    # A regional government's Kemendagri code ("62.07"); "" for a ministry, a university.
    region_code: Mapped[str] = mapped_column(String(13), default="")
    leader_name: Mapped[str] = mapped_column(String(200))
    leader_title: Mapped[str] = mapped_column(String(200))
    contact_name: Mapped[str] = mapped_column(String(200))
    contact_phone: Mapped[str] = mapped_column(String(32))
    contact_email: Mapped[str] = mapped_column(String(254))
    # The language the contact wrote in: their messages are written in it.
    language: Mapped[str] = mapped_column(String(5), default="id")
    request_letter_number: Mapped[str] = mapped_column(String(100), default="")
    request_letter_date: Mapped[date | None] = mapped_column(Date)


class Delegation(SenderColumns, PublicIdMixin, TimestampMixin, db.Model):
    __tablename__ = "delegations"
    __table_args__ = (
        CheckConstraint(one_of("status", DelegationStatus), "status"),
        CheckConstraint(
            "arrives_on IS NULL OR departs_on IS NULL OR departs_on >= arrives_on", "travel_dates"
        ),
        Index("ix_delegations_program_status", "program_id", "status"),
        Index("ix_delegations_status_created", "status", "created_at"),  # waiting for a decision
        Index("ix_delegations_region_code", "region_code"),  # repeat visitors
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The secret of the contact's private link /d/<token>.
    token: Mapped[str] = mapped_column(String(TOKEN_LENGTH), unique=True, default=new_token)
    # Programs with delegations are archived, not deleted.
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(16), default=DelegationStatus.PENDING)
    status_reason: Mapped[str] = mapped_column(String(500), default="")
    arrival_notes: Mapped[str] = mapped_column(String(1000), default="")
    departure_notes: Mapped[str] = mapped_column(String(1000), default="")
    # For the travel-order (SPPD) certification; the program's first and last day if empty.
    arrives_on: Mapped[date | None] = mapped_column(Date)
    departs_on: Mapped[date | None] = mapped_column(Date)
    # Staff's confirmation of the order of precedence, and what the order was then.
    precedence_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    precedence_confirmed_by: Mapped[str] = mapped_column(String(254), default="", server_default="")
    precedence_digest: Mapped[str] = mapped_column(String(64), default="", server_default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    program: Mapped[Program] = relationship()
    members: Mapped[list["Member"]] = relationship(
        back_populates="delegation",
        order_by="(Member.sort_order, Member.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    request_letter: Mapped["RequestLetter | None"] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="select"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def holds_seats(self) -> bool:
        return self.status in SEAT_HOLDING_STATUSES

    def __repr__(self) -> str:
        return f"<Delegation {self.institution!r} {self.status}>"


class RequestLetter(db.Model):
    """The PDF of a delegation's official request letter.

    Kept in the database so that every app server of a deployment can serve it.
    """

    __tablename__ = "request_letters"
    __table_args__ = (CheckConstraint("size > 0", "size_positive"),)

    delegation_id: Mapped[int] = mapped_column(
        ForeignKey("delegations.id", ondelete="CASCADE"), primary_key=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Member(PublicIdMixin, TimestampMixin, db.Model):
    __tablename__ = "members"
    __table_args__ = (
        CheckConstraint("nip IS NULL OR length(nip) = 18", "nip_length"),
        CheckConstraint("gender IS NULL OR " + one_of("gender", Gender), "gender"),
        CheckConstraint(one_of("role", MemberRole), "role"),
        UniqueConstraint("delegation_id", "nip", name="uq_members_delegation_nip"),
        Index("ix_members_delegation_sort", "delegation_id", "sort_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The secret of the member's own link /m/<token>; it opens nothing else.
    token: Mapped[str] = mapped_column(String(TOKEN_LENGTH), unique=True, default=new_token)
    # What the name tag's QR holds for check-in (planner.core.checkcodes): it opens no page.
    checkin_code: Mapped[str] = mapped_column(String(16), unique=True, default=checkcodes.new_code)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id", ondelete="CASCADE"))
    full_name: Mapped[str] = mapped_column(String(200))
    nip: Mapped[str | None] = mapped_column(String(18))
    position: Mapped[str] = mapped_column(String(200), default="")
    rank: Mapped[str] = mapped_column(String(100), default="")
    gender: Mapped[str | None] = mapped_column(String(1))
    phone: Mapped[str] = mapped_column(String(32), default="")
    email: Mapped[str | None] = mapped_column(String(254))
    dietary: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16), default=MemberRole.MEMBER)
    # Staff's manual place in the order of precedence (lower first); None: from the position.
    precedence: Mapped[int | None] = mapped_column(Integer)
    # Whether the member has handed in the health certificate an item may require.
    health_certificate: Mapped[bool] = mapped_column(Boolean, default=False)
    # The order in which the contact listed the members.
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # When the member first opened their page (a link preview does not count): the page marks
    # the changes announced since.
    first_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    delegation: Mapped[Delegation] = relationship(back_populates="members")
    optional_items: Mapped[list[AgendaItem]] = relationship(
        secondary="member_items", order_by="AgendaItem.starts_at"
    )

    def __repr__(self) -> str:
        return f"<Member {self.full_name!r}>"


class MemberItem(db.Model):
    """A member's choice to join an optional agenda item."""

    __tablename__ = "member_items"
    __table_args__ = (Index("ix_member_items_item", "item_id"),)

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CheckinSource(enum.StrEnum):
    SCAN = "scan"  # the QR on the tag or the member's phone
    NAME = "name"  # found by name on the scanner (a forgotten tag)
    MANUAL = "manual"  # corrected by staff afterwards


class CheckinPoint(PublicIdMixin, TimestampMixin, db.Model):
    """Where staff count heads: for one agenda item (the bus, the briefing, Paltuding before the
    trek) or for a whole day of the program. A closed point takes no more check-ins."""

    __tablename__ = "checkin_points"
    __table_args__ = (
        CheckConstraint("item_id IS NOT NULL OR day IS NOT NULL", "item_or_day"),
        Index("ix_checkin_points_program", "program_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"))
    day: Mapped[date | None] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    program: Mapped[Program] = relationship()
    item: Mapped[AgendaItem | None] = relationship()
    checkins: Mapped[list["Checkin"]] = relationship(
        back_populates="point", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Checkin(db.Model):
    """A member counted at a point: once per point (the first scan is kept), with who scanned,
    when (the scanner's clock) and on which device. `client_id` is the scanner's own id for
    the check-in, so a batch sent twice is stored once."""

    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("point_id", "member_id", name="uq_checkins_point_member"),
        CheckConstraint(one_of("source", CheckinSource), "source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    point_id: Mapped[int] = mapped_column(ForeignKey("checkin_points.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    staff_label: Mapped[str] = mapped_column(String(254), default="")
    device: Mapped[str] = mapped_column(String(100), default="")
    source: Mapped[str] = mapped_column(String(16), default="scan")

    point: Mapped[CheckinPoint] = relationship(back_populates="checkins")
    member: Mapped[Member] = relationship()
