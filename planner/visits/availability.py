"""Which days can work for a visit, and what is already planned on the days a request asks for.

Every answer here costs the same few queries however many programs, requests and closures
there are: the days' programs and delegations in one query, closures and holidays in one each.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, selectinload

from planner.core.database import db
from planner.delegations.models import SEAT_HOLDING_STATUSES, Delegation
from planner.programs.models import Program, ProgramStatus
from planner.venues.models import Venue, VenueClosure
from planner.visits import host
from planner.visits.models import OPEN_STATUSES, Topic, VisitRequest, WishedDates


@dataclass
class Day:
    day: date
    holiday: str = ""
    delegations: int = 0
    full: bool = False
    too_soon: bool = False
    # (venue name, reason) of each venue closed that day.
    closed_venues: list[tuple[str, str]] = field(default_factory=list)
    # Closed for a topic the requester chose (one of its venues is closed, or not that weekday).
    closed_topics: list[str] = field(default_factory=list)

    @property
    def closed(self) -> bool:
        return bool(self.holiday or self.full or self.too_soon or self.closed_topics)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def delegations_per_day(first: date, last: date) -> dict[date, int]:
    """How many delegations (holding seats) the host receives on each day."""
    rows = db.session.execute(
        select(Program.first_day, Program.last_day, func.count(Delegation.id))
        .join(Delegation, Delegation.program_id == Program.id)
        .where(
            Program.status != ProgramStatus.ARCHIVED,
            Program.first_day <= last,
            Program.last_day >= first,
            Delegation.status.in_(SEAT_HOLDING_STATUSES),
        )
        .group_by(Program.id, Program.first_day, Program.last_day)
    )
    counts: dict[date, int] = defaultdict(int)
    for starts, ends, count in rows:
        for day in _days(max(starts, first), min(ends, last)):
            counts[day] += count
    return counts


def all_closures() -> list[VenueClosure]:
    return list(
        db.session.scalars(
            select(VenueClosure)
            .join(Venue)
            .options(contains_eager(VenueClosure.venue))
            .order_by(Venue.name, VenueClosure.id)
        )
    )


def calendar(first: date, last: date, topics: list[Topic] = ()) -> list[Day]:
    """Each day from first to last: holidays, full days, closed venues, and the days too soon
    for the host's lead time. With topics, a day on which one of them cannot be given is
    closed."""
    profile = host.profile()
    earliest = host.earliest_day(profile.lead_working_days)
    holidays = host.holidays_between(first, last)
    counts = delegations_per_day(first, last)
    closures = all_closures()
    topic_venues = {topic.id: {venue.id for venue in topic.venues} for topic in topics}
    days = []
    for day in _days(first, last):
        entry = Day(
            day=day,
            holiday=holidays.get(day, ""),
            delegations=counts.get(day, 0),
            too_soon=day < earliest,
        )
        entry.full = entry.delegations >= profile.daily_delegations
        closed_ids = set()
        for closure in closures:
            if closure.applies_on(day):
                closed_ids.add(closure.venue_id)
                entry.closed_venues.append((closure.venue.name, closure.reason))
        for topic in topics:
            if day.weekday() in (topic.unavailable_weekdays or []) or (
                topic_venues[topic.id] & closed_ids
            ):
                entry.closed_topics.append(topic.title_id)
        days.append(entry)
    return days


@dataclass
class Planned:
    """What is already planned on the days of one date range."""

    first_day: date
    last_day: date
    programs: list[tuple[Program, int]]  # with the delegations they hold
    requests: list[VisitRequest]
    days: list[Day]

    @property
    def clashes(self) -> bool:
        return bool(
            self.programs
            or self.requests
            or any(day.holiday or day.full or day.closed_topics for day in self.days)
        )


def planned_on(request: VisitRequest, ranges: list[tuple[date, date]]) -> list[Planned]:
    """For each range: the programs on those days, the other open requests asking for them,
    and the days' holidays, fullness and closures of the venues the request's topics use."""
    if not ranges:
        return []
    first, last = min(r[0] for r in ranges), max(r[1] for r in ranges)
    programs = db.session.execute(
        select(Program, func.count(Delegation.id))
        .outerjoin(
            Delegation,
            (Delegation.program_id == Program.id) & Delegation.status.in_(SEAT_HOLDING_STATUSES),
        )
        .where(
            Program.status != ProgramStatus.ARCHIVED,
            Program.first_day <= last,
            Program.last_day >= first,
        )
        .group_by(Program.id)
        .order_by(Program.first_day)
    ).all()
    others = db.session.scalars(
        select(VisitRequest)
        .join(WishedDates)
        .where(
            VisitRequest.id != request.id,
            VisitRequest.status.in_(OPEN_STATUSES),
            WishedDates.first_day <= last,
            WishedDates.last_day >= first,
        )
        .options(selectinload(VisitRequest.wished_dates))
        .distinct()
    ).all()
    days = {day.day: day for day in calendar(first, last, request.topics)}
    answer = []
    for starts, ends in ranges:
        answer.append(
            Planned(
                first_day=starts,
                last_day=ends,
                programs=[
                    (program, count)
                    for program, count in programs
                    if program.first_day <= ends
                    and program.last_day >= starts
                    and program.id != request.program_id
                ],
                requests=[
                    other
                    for other in others
                    if any(w.first_day <= ends and w.last_day >= starts for w in other.wished_dates)
                ],
                days=[days[day] for day in _days(starts, ends)],
            )
        )
    return answer
