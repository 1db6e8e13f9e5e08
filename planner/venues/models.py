import enum
from datetime import date, time
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    Time,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.core.database import PublicIdMixin, TimestampMixin, db, one_of

if TYPE_CHECKING:
    from planner.programs.models import AgendaItem


class Venue(PublicIdMixin, TimestampMixin, db.Model):
    __tablename__ = "venues"
    __table_args__ = (
        CheckConstraint("latitude IS NULL OR (latitude >= -90 AND latitude <= 90)", "latitude"),
        CheckConstraint(
            "longitude IS NULL OR (longitude >= -180 AND longitude <= 180)", "longitude"
        ),
        CheckConstraint("(latitude IS NULL) = (longitude IS NULL)", "coordinates_pair"),
        CheckConstraint("seats IS NULL OR seats > 0", "seats_positive"),
        CheckConstraint("(opens_at IS NULL) = (closes_at IS NULL)", "opening_hours_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(500), default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    seats: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Daily opening hours in local wall-clock time; closes_at before opens_at spans midnight.
    opens_at: Mapped[time | None] = mapped_column(Time)
    closes_at: Mapped[time | None] = mapped_column(Time)
    # Room for several groups at once (an open-air site such as Pos Paltuding): overlapping
    # items here are no double booking; only the seats, when known, limit them.
    shared_use: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    version: Mapped[int] = mapped_column(Integer, default=1)

    closures: Mapped[list["VenueClosure"]] = relationship(
        back_populates="venue",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(VenueClosure.starts_on, VenueClosure.id)",
    )

    # What the agendas plan here (read-only: items choose their venue); a venue in use is kept.
    agenda_items: Mapped[list["AgendaItem"]] = relationship(
        "AgendaItem", viewonly=True, order_by="AgendaItem.starts_at"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def has_opening_hours(self) -> bool:
        return self.opens_at is not None and self.closes_at is not None

    def __repr__(self) -> str:
        return f"<Venue {self.name!r}>"


class ClosureKind(enum.StrEnum):
    DATES = "dates"  # closed from starts_on to ends_on, both included
    MONTHLY = "monthly"  # closed on the nth weekday of every month


class VenueClosure(db.Model):
    """When a venue is closed: a stretch of dates, or a monthly rule such as every first Friday."""

    __tablename__ = "venue_closures"
    __table_args__ = (
        CheckConstraint(one_of("kind", ClosureKind), "kind"),
        CheckConstraint(
            "kind != 'dates' OR (starts_on IS NOT NULL AND ends_on IS NOT NULL "
            "AND ends_on >= starts_on)",
            "dates_in_order",
        ),
        CheckConstraint(
            "kind != 'monthly' OR (week_of_month IN (1, 2, 3, 4, -1) "
            "AND weekday >= 0 AND weekday <= 6)",
            "monthly_rule",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    # 1..4 for first..fourth, -1 for the last such weekday of the month.
    week_of_month: Mapped[int | None] = mapped_column(SmallInteger)
    weekday: Mapped[int | None] = mapped_column(SmallInteger)  # Monday is 0
    reason: Mapped[str] = mapped_column(String(200), default="")

    venue: Mapped[Venue] = relationship(back_populates="closures")

    def applies_on(self, day: date) -> bool:
        if self.kind == ClosureKind.DATES:
            return self.starts_on <= day <= self.ends_on
        if day.weekday() != self.weekday:
            return False
        if self.week_of_month == -1:
            return (day.day + 7) > _days_in_month(day)
        return (day.day - 1) // 7 + 1 == self.week_of_month


def _days_in_month(day: date) -> int:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return (following - date(day.year, day.month, 1)).days


class TravelTime(db.Model):
    """Minutes needed to get from one venue to another (either direction)."""

    __tablename__ = "travel_times"
    __table_args__ = (
        CheckConstraint("minutes >= 0", "minutes_not_negative"),
        CheckConstraint("from_venue_id < to_venue_id", "ordered_pair"),
    )

    from_venue_id: Mapped[int] = mapped_column(
        ForeignKey("venues.id", ondelete="CASCADE"), primary_key=True
    )
    to_venue_id: Mapped[int] = mapped_column(
        ForeignKey("venues.id", ondelete="CASCADE"), primary_key=True
    )
    minutes: Mapped[int] = mapped_column(Integer)
