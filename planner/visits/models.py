"""What the host offers (topics, program templates, its letterhead and calendar) and the visit
requests regencies send."""

import enum
from datetime import date, datetime, time

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Table,
    Text,
    Time,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

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
from planner.delegations.models import Delegation, SenderColumns
from planner.programs.models import ItemKind, Program
from planner.venues.models import Venue

topic_venues = Table(
    "topic_venues",
    db.metadata,
    Column("topic_id", ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
    Column("venue_id", ForeignKey("venues.id", ondelete="CASCADE"), primary_key=True),
)

request_topics = Table(
    "visit_request_topics",
    db.metadata,
    Column("request_id", ForeignKey("visit_requests.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topics.id", ondelete="RESTRICT"), primary_key=True),
)


class Topic(PublicIdMixin, TimestampMixin, db.Model):
    """Something visitors can learn here, such as the public service mall or SAKIP."""

    __tablename__ = "topics"
    __table_args__ = (CheckConstraint("duration_minutes > 0", "duration_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title_id: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    summary_id: Mapped[str] = mapped_column(String(1000), default="")
    summary_en: Mapped[str] = mapped_column(String(1000), default="")
    unit: Mapped[str] = mapped_column(String(200), default="")  # who presents it
    duration_minutes: Mapped[int] = mapped_column(Integer, default=120)
    # Weekdays (Monday is 0) it is never offered, and when else it is not, in words.
    unavailable_weekdays: Mapped[list] = mapped_column(JSON, default=list)
    unavailable_note: Mapped[str] = mapped_column(String(500), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)

    venues: Mapped[list[Venue]] = relationship(secondary=topic_venues, order_by=Venue.name)

    __mapper_args__ = {"version_id_col": version}

    def title(self, language: str) -> str:
        return (self.title_en if language == "en" else "") or self.title_id

    def summary(self, language: str) -> str:
        return (self.summary_en if language == "en" else "") or self.summary_id

    def __repr__(self) -> str:
        return f"<Topic {self.title_id!r}>"


class ProgramTemplate(PublicIdMixin, TimestampMixin, db.Model):
    """A reusable agenda ("Studi tiru MPP + SAKIP, 1 hari") with times relative to its days."""

    __tablename__ = "program_templates"
    __table_args__ = (CheckConstraint("days >= 1 AND days <= 14", "days_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    days: Mapped[int] = mapped_column(Integer, default=1)
    version: Mapped[int] = mapped_column(Integer, default=1)

    items: Mapped[list["TemplateItem"]] = relationship(
        back_populates="template",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(TemplateItem.day, TemplateItem.starts_at, TemplateItem.id)",
    )

    __mapper_args__ = {"version_id_col": version}


class TemplateItem(db.Model):
    """An agenda item of a template: on its day (1 is the first), from and to a wall-clock time
    (an end before the start ends the next morning). An item tied to a topic is part of a
    program only when the request asks for that topic."""

    __tablename__ = "template_items"
    __table_args__ = (
        CheckConstraint("day >= 1", "day_positive"),
        CheckConstraint(one_of("kind", ItemKind), "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(
        ForeignKey("program_templates.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[int] = mapped_column(SmallInteger, default=1)
    starts_at: Mapped[time] = mapped_column(Time)
    ends_at: Mapped[time] = mapped_column(Time)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default=ItemKind.OTHER)
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venues.id", ondelete="SET NULL"))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="SET NULL"))
    presenter: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    requirements: Mapped[str] = mapped_column(Text, default="")
    dress_code: Mapped[str] = mapped_column(String(200), default="")
    optional: Mapped[bool] = mapped_column(Boolean, default=False)

    template: Mapped[ProgramTemplate] = relationship(back_populates="items")
    venue: Mapped[Venue | None] = relationship()
    topic: Mapped[Topic | None] = relationship()


class Holiday(db.Model):
    """A public holiday (or a day the host is closed) entered by staff."""

    __tablename__ = "holidays"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    name: Mapped[str] = mapped_column(String(200))


class HostProfile(db.Model):
    """The host's letterhead, its rules for requests, and who signs its reply letters. One row."""

    __tablename__ = "host_profile"
    __table_args__ = (
        CheckConstraint("lead_working_days >= 0", "lead_not_negative"),
        CheckConstraint("max_size >= 1", "max_size_positive"),
        CheckConstraint("daily_delegations >= 1", "daily_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")  # PEMERINTAH KABUPATEN ...
    office: Mapped[str] = mapped_column(String(200), default="")  # SEKRETARIAT DAERAH
    address: Mapped[str] = mapped_column(String(500), default="")
    # Where the host's letters are written: "Banyuwangi, 3 Desember 2026".
    place: Mapped[str] = mapped_column(String(100), default="")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_type: Mapped[str] = mapped_column(String(40), default="")
    # Requests must name dates at least this many working days ahead.
    lead_working_days: Mapped[int] = mapped_column(Integer, default=5)
    max_size: Mapped[int] = mapped_column(Integer, default=60)
    # How many delegations the host receives on one day; a day with as many is full.
    daily_delegations: Mapped[int] = mapped_column(Integer, default=2)
    signing_official_name: Mapped[str] = mapped_column(String(200), default="")
    signing_official_title: Mapped[str] = mapped_column(String(200), default="")
    signing_official_nip: Mapped[str] = mapped_column(String(18), default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(32), default="")
    # Whether the home page says how many delegations came this year (planner.figures.counter).
    public_counter: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    # The audit trail names records by public id; there is one host profile.
    public_id = "host"


class RequestStatus(enum.StrEnum):
    NEW = "new"
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    MERGED = "merged"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


OPEN_STATUSES = (RequestStatus.NEW, RequestStatus.PROPOSED)


class ProposalAnswer(enum.StrEnum):
    NONE = ""
    ACCEPTED = "accepted"
    DECLINED = "declined"


class VisitRequest(SenderColumns, PublicIdMixin, TimestampMixin, db.Model):
    __tablename__ = "visit_requests"
    __table_args__ = (
        CheckConstraint(one_of("status", RequestStatus), "status"),
        CheckConstraint("size >= 1", "size_positive"),
        CheckConstraint(
            "proposed_first_day IS NULL OR proposed_last_day >= proposed_first_day",
            "proposal_in_order",
        ),
        Index("ix_visit_requests_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The secret of the requester's private link /visits/r/<token>.
    token: Mapped[str] = mapped_column(String(TOKEN_LENGTH), unique=True, default=new_token)
    status: Mapped[str] = mapped_column(String(16), default=RequestStatus.NEW)
    size: Mapped[int] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Other dates staff propose; the requester answers, and staff's proposal counter tells a
    # tap on an old proposal from one on the current.
    proposed_first_day: Mapped[date | None] = mapped_column(Date)
    proposed_last_day: Mapped[date | None] = mapped_column(Date)
    proposal_number: Mapped[int] = mapped_column(Integer, default=0)
    proposal_answer: Mapped[str] = mapped_column(String(16), default=ProposalAnswer.NONE)
    # The reason given with the last decision (shown to the requester).
    reason: Mapped[str] = mapped_column(String(1000), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id", ondelete="SET NULL"))
    delegation_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegations.id", ondelete="SET NULL")
    )
    # The reply letter: its number and date, and the body staff may rewrite before printing.
    reply_number: Mapped[str] = mapped_column(String(100), default="")
    reply_date: Mapped[date | None] = mapped_column(Date)
    reply_body: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    wished_dates: Mapped[list["WishedDates"]] = relationship(
        back_populates="request",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="WishedDates.preference",
    )
    topics: Mapped[list[Topic]] = relationship(
        secondary=request_topics, order_by=(Topic.sort_order, Topic.id)
    )
    letter: Mapped["VisitRequestLetter | None"] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    program: Mapped[Program | None] = relationship()
    delegation: Mapped[Delegation | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def has_proposal(self) -> bool:
        return self.status == RequestStatus.PROPOSED and self.proposed_first_day is not None

    def agreed_dates(self) -> tuple[date, date]:
        """The dates a decision starts from: an accepted proposal, else the first wish."""
        if self.has_proposal and self.proposal_answer == ProposalAnswer.ACCEPTED:
            return self.proposed_first_day, self.proposed_last_day
        first = self.wished_dates[0]
        return first.first_day, first.last_day

    def __repr__(self) -> str:
        return f"<VisitRequest {self.institution!r} {self.status}>"


class WishedDates(db.Model):
    """One date range a request asks for; preference 1 is the first choice."""

    __tablename__ = "visit_request_dates"
    __table_args__ = (
        CheckConstraint("last_day >= first_day", "days_in_order"),
        Index("ix_visit_request_dates_days", "first_day", "last_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("visit_requests.id", ondelete="CASCADE"), index=True
    )
    preference: Mapped[int] = mapped_column(SmallInteger)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)

    request: Mapped[VisitRequest] = relationship(back_populates="wished_dates")


class VisitRequestLetter(db.Model):
    """The PDF of a request's letter, kept in the database like a delegation's."""

    __tablename__ = "visit_request_letters"
    __table_args__ = (CheckConstraint("size > 0", "size_positive"),)

    request_id: Mapped[int] = mapped_column(
        ForeignKey("visit_requests.id", ondelete="CASCADE"), primary_key=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
