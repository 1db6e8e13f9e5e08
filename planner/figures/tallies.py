"""The queries behind planner.figures.compute: each a GROUP BY over the year's programs,
folded into the figures' rows in Python."""

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import distinct, extract, func, select

from planner.core.database import db
from planner.delegations.models import Delegation, DelegationStatus, Member, MemberItem
from planner.figures.rows import (
    NOT_MATCHED,
    Count,
    DayRow,
    LeadTime,
    MonthRow,
    OptionalRow,
    PlaceRow,
    RepeatVisitor,
    TopicRow,
    VenueRow,
)
from planner.programs.models import AgendaItem, ItemStatus, Program, ProgramStatus
from planner.regions.reference import Region, region
from planner.venues.models import Venue
from planner.visits.models import Topic, VisitRequest, request_topics


def is_visit():
    return Delegation.status == DelegationStatus.APPROVED


def in_year(year: int):
    return Program.first_day.between(date(year, 1, 1), date(year, 12, 31))


def _host_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["PLANNER_TIMEZONE"])


@dataclass
class ProgramTally:
    slug: str
    title: str
    first_day: date
    last_day: date
    timezone: str
    status: str
    by_status: dict[str, Count]  # delegation status -> its delegations and their members
    visits_by_code: dict[str, Count]  # region code ("" for none) -> visits and participants

    @property
    def visits(self) -> Count:
        return self.by_status.get(DelegationStatus.APPROVED, Count())


def year_programs(year: int) -> dict[int, ProgramTally]:
    """The year's programs (drafts only when they have a delegation), with their delegations
    counted by status and their visits by region code: one query."""
    keys = (
        Program.id,
        Program.slug,
        Program.title,
        Program.first_day,
        Program.last_day,
        Program.timezone,
        Program.status,
        Delegation.status,
        Delegation.region_code,
    )
    rows = db.session.execute(
        select(*keys, func.count(Delegation.id), func.coalesce(func.sum(_members()), 0))
        .select_from(Program)
        .outerjoin(Delegation, Delegation.program_id == Program.id)
        .where(in_year(year))
        .group_by(*keys)
    ).tuples()
    programs: dict[int, ProgramTally] = {}
    for pid, slug, title, first, last, zone, program_status, status, code, dels, people in rows:
        program = programs.get(pid)
        if program is None:
            program = ProgramTally(slug, title, first, last, zone, program_status, {}, {})
            programs[pid] = program
        if status is None:
            continue
        count = Count(dels, int(people))  # a SUM, a Decimal on PostgreSQL
        _add(program.by_status, status, count)
        if status == DelegationStatus.APPROVED:
            _add(program.visits_by_code, code or "", count)
    return {pid: p for pid, p in programs.items() if p.by_status or p.status != ProgramStatus.DRAFT}


def visits_by_code(year: int) -> dict[str, Count]:
    """The year's visits by region code ("" without one), counted in one query."""
    rows = db.session.execute(
        select(Delegation.region_code, func.count(Delegation.id), func.sum(_members()))
        .join(Program, Program.id == Delegation.program_id)
        .where(is_visit(), in_year(year))
        .group_by(Delegation.region_code)
    ).tuples()
    return {code or "": Count(delegations, int(people)) for code, delegations, people in rows}


def _members():
    """A delegation's members, counted through the members' delegation index, so that a
    grouping sorts delegations, not every member of the year."""
    return (
        select(func.count(Member.id))
        .where(Member.delegation_id == Delegation.id)
        .correlate(Delegation)
        .scalar_subquery()
    )


def _add(counts: dict, key, count: Count) -> None:
    before = counts.get(key, Count())
    counts[key] = Count(
        before.delegations + count.delegations, before.participants + count.participants
    )


def visits_by_place(per_program) -> dict[Region | None, Count]:
    """Visits by region (None: without a known region code)."""
    places: dict[Region | None, Count] = {}
    for by_code in per_program:
        for code, count in by_code.items():
            _add(places, region(code), count)
    return places


def _region_name(place: Region) -> str:
    return f"Provinsi {place.name}" if place.is_province else place.name


def place_rows(places: dict[Region | None, Count], *, province: bool) -> tuple[PlaceRow, ...]:
    folded: dict[Region | None, Count] = {}
    for place, count in places.items():
        _add(folded, place.province if (province and place is not None) else place, count)
    rows = [
        PlaceRow(
            key.code,
            key.name if province else _region_name(key),
            key.province.name,
            count.delegations,
            count.participants,
        )
        for key, count in folded.items()
        if key is not None and count.delegations
    ]
    rows.sort(key=lambda r: (-r.delegations, -r.participants, r.name.casefold(), r.code))
    other = folded.get(None)
    if other and other.delegations:
        rows.append(
            PlaceRow(
                NOT_MATCHED,
                _("Other institutions (no region code)"),
                "",
                other.delegations,
                other.participants,
            )
        )
    return tuple(rows)


def by_month(programs) -> tuple[MonthRow, ...]:
    months: dict[int, dict[str, Count]] = defaultdict(dict)
    for program in programs:
        for status, count in program.by_status.items():
            _add(months[program.first_day.month], status, count)
    return tuple(
        MonthRow(
            month=number,
            visited=months[number].get(DelegationStatus.APPROVED, Count()),
            pending=months[number].get(DelegationStatus.PENDING, Count()),
            waitlisted=months[number].get(DelegationStatus.WAITLISTED, Count()),
            rejected=months[number].get(DelegationStatus.REJECTED, Count()),
            cancelled=months[number].get(DelegationStatus.CANCELLED, Count()),
        )
        for number in range(1, 13)
    )


def by_topic(year: int) -> tuple[TopicRow, ...]:
    zone = _host_zone()
    start = datetime(year, 1, 1, tzinfo=zone).astimezone(UTC)
    end = datetime(year + 1, 1, 1, tzinfo=zone).astimezone(UTC)
    topic = (Topic.id, Topic.public_id, Topic.title_id, Topic.title_en, Topic.sort_order)
    requested = db.session.execute(
        select(*topic, func.count(distinct(VisitRequest.id)))
        .join(request_topics, request_topics.c.topic_id == Topic.id)
        .join(VisitRequest, VisitRequest.id == request_topics.c.request_id)
        .where(VisitRequest.created_at >= start, VisitRequest.created_at < end)
        .group_by(*topic)
    ).tuples()
    visited = db.session.execute(
        select(*topic, func.count(distinct(Delegation.id)))
        .join(request_topics, request_topics.c.topic_id == Topic.id)
        .join(VisitRequest, VisitRequest.id == request_topics.c.request_id)
        .join(Delegation, Delegation.id == VisitRequest.delegation_id)
        .join(Program, Program.id == Delegation.program_id)
        .where(is_visit(), in_year(year))
        .group_by(*topic)
    ).tuples()
    topics: dict[int, tuple] = {}
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for index, rows in enumerate((requested, visited)):
        for tid, public_id, title_id, title_en, sort_order, count in rows:
            topics[tid] = (public_id, title_id, title_en, sort_order)
            counts[tid][index] = count
    result = [
        TopicRow(topics[tid][0], topics[tid][1], topics[tid][2], asked, came)
        for tid, (asked, came) in counts.items()
    ]
    result.sort(key=lambda r: (-r.visited, -r.requested, r.title_id.casefold(), r.public_id))
    return tuple(result)


def lead_time(year: int) -> LeadTime:
    asked = (
        select(
            VisitRequest.delegation_id.label("delegation_id"),
            func.min(VisitRequest.created_at).label("created_at"),
        )
        .join(Delegation, Delegation.id == VisitRequest.delegation_id)
        .join(Program, Program.id == Delegation.program_id)
        .where(is_visit(), in_year(year))
        .group_by(VisitRequest.delegation_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Program.first_day, Delegation.created_at, asked.c.created_at)
        .join(Program, Program.id == Delegation.program_id)
        .outerjoin(asked, asked.c.delegation_id == Delegation.id)
        .where(is_visit(), in_year(year))
    ).tuples()
    zone = _host_zone()
    days = [
        (first_day - _as_utc(requested or registered).astimezone(zone).date()).days
        for first_day, registered, requested in rows
    ]
    if not days:
        return LeadTime(0, None, None, None, None)
    return LeadTime(
        visits=len(days),
        median_days=round(float(statistics.median(days)), 1),
        average_days=round(statistics.fmean(days), 1),
        shortest_days=min(days),
        longest_days=max(days),
    )


def _as_utc(moment: datetime) -> datetime:
    """A subquery's MIN() may come back without the column's type on some drivers."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def repeat_visitors(year: int) -> tuple[RepeatVisitor, ...]:
    this_year = (
        select(Delegation.region_code)
        .join(Program, Program.id == Delegation.program_id)
        .where(is_visit(), in_year(year), Delegation.region_code != "")
    )
    visit_year = extract("year", Program.first_day)
    rows = db.session.execute(
        select(Delegation.region_code, visit_year)
        .join(Program, Program.id == Delegation.program_id)
        .where(is_visit(), Delegation.region_code.in_(this_year))
        .group_by(Delegation.region_code, visit_year)
    ).tuples()
    years: dict[str, set[int]] = defaultdict(set)
    for code, visited in rows:
        years[code].add(int(visited))
    result = []
    for code, visited in years.items():
        place = region(code)
        if place is None or len(visited) < 2:
            continue
        result.append(
            RepeatVisitor(code, _region_name(place), place.province.name, tuple(sorted(visited)))
        )
    result.sort(key=lambda r: (-len(r.years), r.name.casefold(), r.code))
    return tuple(result)


def busiest_venues(year: int, programs: dict[int, ProgramTally]) -> tuple[VenueRow, ...]:
    rows = db.session.execute(
        select(Venue.id, Venue.name, AgendaItem.program_id, func.count(AgendaItem.id))
        .join(Venue, Venue.id == AgendaItem.venue_id)
        .join(Program, Program.id == AgendaItem.program_id)
        .where(in_year(year), AgendaItem.status == ItemStatus.SCHEDULED)
        .group_by(Venue.id, Venue.name, AgendaItem.program_id)
    ).tuples()
    venues: dict[int, list] = {}
    for vid, name, pid, items in rows:
        program = programs.get(pid)
        if program is None or not program.visits.delegations:
            continue
        venue = venues.setdefault(vid, [name, 0, 0, 0])
        venue[1] += items
        venue[2] += program.visits.delegations
        venue[3] += program.visits.participants
    result = [VenueRow(*values) for values in venues.values()]
    result.sort(key=lambda r: (-r.participants, -r.delegations, -r.items, r.name.casefold()))
    return tuple(result)


BUSIEST_DAYS = 10


def busiest_days(visited: list[ProgramTally]) -> tuple[DayRow, ...]:
    days: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for program in visited:
        day = program.first_day
        while day <= program.last_day:
            days[day][0] += program.visits.delegations
            days[day][1] += program.visits.participants
            day += timedelta(days=1)
    result = sorted(
        (DayRow(day, dels, people) for day, (dels, people) in days.items()),
        key=lambda r: (-r.delegations, -r.participants, r.day),
    )
    return tuple(result[:BUSIEST_DAYS])


def optional_items(year: int, programs: dict[int, ProgramTally]) -> tuple[OptionalRow, ...]:
    joined = (
        select(MemberItem.item_id.label("item_id"), func.count(MemberItem.member_id).label("n"))
        .join(Member, Member.id == MemberItem.member_id)
        .join(Delegation, Delegation.id == Member.delegation_id)
        .join(Program, Program.id == Delegation.program_id)
        .where(is_visit(), in_year(year))
        .group_by(MemberItem.item_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            AgendaItem.program_id,
            AgendaItem.title,
            AgendaItem.starts_at,
            AgendaItem.capacity,
            AgendaItem.status,
            func.coalesce(joined.c.n, 0),
        )
        .join(Program, Program.id == AgendaItem.program_id)
        .outerjoin(joined, joined.c.item_id == AgendaItem.id)
        .where(in_year(year), AgendaItem.optional.is_(True))
    ).tuples()
    result = []
    for pid, title, starts_at, capacity, status, count in rows:
        program = programs.get(pid)
        if program is None:
            continue
        result.append(
            (
                (program.first_day, starts_at, title.casefold()),
                OptionalRow(
                    program.slug,
                    program.title,
                    title,
                    starts_at.astimezone(ZoneInfo(program.timezone)).date(),
                    int(count),
                    capacity,
                    status == ItemStatus.CANCELLED,
                ),
            )
        )
    result.sort(key=lambda pair: pair[0])
    return tuple(row for _, row in result)
