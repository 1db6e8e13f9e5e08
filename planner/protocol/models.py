import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.core.database import (
    PublicIdMixin,
    TimestampMixin,
    UTCDateTime,
    db,
    one_of,
    utcnow,
)
from planner.delegations.models import Member
from planner.programs.models import AgendaItem, Program


class RuleKind(enum.StrEnum):
    PLACE = "place"  # the office places the person: "sekretaris daerah" -> 14
    AIDE = "aide"  # the person serves an official ("ajudan bupati"): after the officials
    ACTING = "acting"  # "plt.": placed as the office, after whoever holds it


class CheckinSource(enum.StrEnum):
    SCAN = "scan"  # the QR on the tag or the member's phone
    NAME = "name"  # found by name on the scanner (a forgotten tag)
    MANUAL = "manual"  # corrected by staff afterwards


class PrecedenceRule(db.Model):
    """A word or words of a position and what they mean for the order of precedence (lower
    places come first). Staff keep this table; the most specific matching rule places a
    member, unless staff place the member by hand."""

    __tablename__ = "precedence_rules"
    __table_args__ = (
        CheckConstraint("rank >= 1", "rank_positive"),
        CheckConstraint(one_of("kind", RuleKind), "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    keyword: Mapped[str] = mapped_column(String(100), unique=True)
    rank: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16), default=RuleKind.PLACE, server_default="place")


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
