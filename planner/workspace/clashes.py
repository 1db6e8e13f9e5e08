"""Clash detection: double bookings staff must not miss.

Five kinds, each reported on every item it concerns:
- venue_taken: two items in one room at overlapping times, of one program or of two, unless
  the venue takes several groups at once (Venue.shared_use, an open-air site);
- overlap: two non-optional items of the same program at the same time (in different places:
  in the same room it is reported as venue_taken, which names the room);
- venue_seats / venue_closed / venue_hours: a venue shared by several groups used beyond its
  seats by overlapping items of different programs, on a day it is closed, or outside its
  opening hours;
- presenter: the same host official or presenter in two places at once, across programs;
- travel: too little time between consecutive items at venues a known travel time apart.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from planner.core.database import db
from planner.core.i18n import format_clock, format_local_time
from planner.delegations.models import SEAT_HOLDING_STATUSES, Delegation, Member, MemberItem
from planner.programs.models import AgendaItem, ItemStatus, Program, ProgramStatus
from planner.venues.models import TravelTime, Venue


@dataclass(frozen=True)
class Clash:
    kind: str
    item: AgendaItem
    others: tuple[AgendaItem, ...] = ()
    detail: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def message(self) -> str:
        other = self.others[0] if self.others else None
        names = ", ".join(f"{o.title} ({o.program.title})" for o in self.others)
        if self.kind == "venue_taken":
            return self._taken_message(other)
        if self.kind == "overlap":
            return _("Overlaps with %(title)s, which is not optional either.", title=other.title)
        if self.kind == "venue_seats":
            return _(
                "%(venue)s has %(seats)s seats but %(people)s people are expected at the same "
                "time (with %(others)s).",
                venue=self.item.venue.name,
                seats=self.item.venue.seats,
                people=self.detail["people"],
                others=names,
            )
        if self.kind == "venue_closed":
            return _(
                "%(venue)s is closed on this day: %(reason)s",
                venue=self.item.venue.name,
                reason=self.detail["reason"] or _("closure"),
            )
        if self.kind == "venue_hours":
            return _(
                "%(venue)s is open only from %(opens)s to %(closes)s.",
                venue=self.item.venue.name,
                opens=format_clock(self.detail["opens"]),
                closes=format_clock(self.detail["closes"]),
            )
        if self.kind == "presenter":
            return _(
                "%(presenter)s is expected elsewhere at the same time: %(others)s.",
                presenter=self.item.presenter,
                others=names,
            )
        return _(
            "Only %(gap)s minutes to get from %(origin)s to %(venue)s; the trip takes "
            "%(minutes)s minutes.",
            gap=self.detail["gap"],
            origin=other.venue.name,
            venue=self.item.venue.name,
            minutes=self.detail["minutes"],
        )

    def _taken_message(self, other: AgendaItem) -> str:
        # The other item's times on the wall clock of the program being looked at.
        zone = self.item.program.timezone
        values = dict(
            venue=self.item.venue.name,
            title=other.title,
            start=format_clock(other.starts_at.astimezone(ZoneInfo(zone))),
            end=format_local_time(other.ends_at, zone),
        )
        if other.program_id != self.item.program_id:
            return _(
                "%(venue)s is already in use by %(program)s for %(title)s at %(start)s–%(end)s.",
                program=other.program.title,
                **values,
            )
        return _("%(venue)s is already in use for %(title)s at %(start)s–%(end)s.", **values)


def _overlaps(a: AgendaItem, b: AgendaItem) -> bool:
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def _double_booked(item: AgendaItem, other: AgendaItem) -> bool:
    """Both in one room that takes one group at a time (overlap is checked by the caller)."""
    return (
        item.venue_id is not None and other.venue_id == item.venue_id and not item.venue.shared_use
    )


def _person(name: str) -> str:
    return " ".join(name.casefold().split())


def _within_opening_hours(venue: Venue, start: datetime, end: datetime) -> bool:
    """True when the whole item falls inside one opening period (which may span midnight)."""
    periods = []
    for day in (start.date() - timedelta(days=1), start.date()):
        close_day = day if venue.closes_at > venue.opens_at else day + timedelta(days=1)
        periods.append(
            (
                datetime.combine(day, venue.opens_at, tzinfo=start.tzinfo),
                datetime.combine(close_day, venue.closes_at, tzinfo=start.tzinfo),
            )
        )
    return any(opens <= start and end <= closes for opens, closes in periods)


def _expected_people(items: list[AgendaItem]) -> dict[int, int]:
    """How many participants (of delegations holding seats) each item expects."""
    program_ids = {item.program_id for item in items}
    optional_ids = [item.id for item in items if item.optional]
    per_program = dict(
        db.session.execute(
            select(Delegation.program_id, func.count(Member.id))
            .join(Member, Member.delegation_id == Delegation.id)
            .where(
                Delegation.program_id.in_(program_ids),
                Delegation.status.in_(SEAT_HOLDING_STATUSES),
            )
            .group_by(Delegation.program_id)
        ).all()
    )
    per_optional = (
        dict(
            db.session.execute(
                select(MemberItem.item_id, func.count())
                .join(Member, Member.id == MemberItem.member_id)
                .join(Delegation, Delegation.id == Member.delegation_id)
                .where(
                    MemberItem.item_id.in_(optional_ids),
                    Delegation.status.in_(SEAT_HOLDING_STATUSES),
                )
                .group_by(MemberItem.item_id)
            ).all()
        )
        if optional_ids
        else {}
    )
    return {
        item.id: per_optional.get(item.id, 0)
        if item.optional
        else per_program.get(item.program_id, 0)
        for item in items
    }


def _travel_minutes() -> dict[tuple[int, int], int]:
    table = {}
    for row in db.session.scalars(select(TravelTime)):
        table[(row.from_venue_id, row.to_venue_id)] = row.minutes
        table[(row.to_venue_id, row.from_venue_id)] = row.minutes
    return table


def detect(
    items: list[AgendaItem], people: dict[int, int], travel: dict[tuple[int, int], int]
) -> list[Clash]:
    """All clashes among the items (scheduled ones; cancelled items clash with nothing)."""
    items = sorted(
        (item for item in items if item.status != ItemStatus.CANCELLED),
        key=lambda item: (item.starts_at, item.ends_at, item.id),
    )
    clashes: list[Clash] = []
    for index, item in enumerate(items):
        overlapping = [other for other in items if other is not item and _overlaps(item, other)]
        clashes.extend(_same_program_overlaps(item, overlapping))
        clashes.extend(_venue_clashes(item, overlapping, people))
        clashes.extend(_presenter_clashes(item, overlapping))
        clashes.extend(_travel_clashes(item, items[:index], travel))
    return clashes


def _same_program_overlaps(item, overlapping):
    if item.optional:
        return
    for other in overlapping:
        if (
            other.program_id == item.program_id
            and not other.optional
            and not _double_booked(item, other)
        ):
            yield Clash("overlap", item, (other,))


def _venue_clashes(item, overlapping, people):
    venue = item.venue
    if venue is None:
        return
    local_start, local_end = item.local_start, item.local_end
    for closure in venue.closures:
        days = {local_start.date(), (local_end - timedelta(seconds=1)).date()}
        if any(closure.applies_on(day) for day in days):
            yield Clash("venue_closed", item, detail={"reason": closure.reason})
            break
    if venue.has_opening_hours and not _within_opening_hours(venue, local_start, local_end):
        yield Clash(
            "venue_hours", item, detail={"opens": venue.opens_at, "closes": venue.closes_at}
        )
    if not venue.shared_use:
        for other in overlapping:
            if _double_booked(item, other):
                yield Clash("venue_taken", item, (other,))
    elif venue.seats is not None:
        # Several groups at once, as many as the seats take.
        sharing = tuple(
            other
            for other in overlapping
            if other.venue_id == venue.id and other.program_id != item.program_id
        )
        total = people.get(item.id, 0) + sum(people.get(other.id, 0) for other in sharing)
        if sharing and total > venue.seats:
            yield Clash("venue_seats", item, sharing, detail={"people": total})


def _presenter_clashes(item, overlapping):
    if not item.presenter:
        return
    name = _person(item.presenter)
    elsewhere = tuple(
        other
        for other in overlapping
        if other.presenter
        and _person(other.presenter) == name
        and (other.venue_id != item.venue_id or other.venue_id is None)
    )
    if elsewhere:
        yield Clash("presenter", item, elsewhere)


def _travel_clashes(item, earlier, travel):
    """Against the item that ends last before this one starts, in the same program."""
    if item.venue_id is None:
        return
    before = [
        other
        for other in earlier
        if other.program_id == item.program_id and other.ends_at <= item.starts_at
    ]
    if not before:
        return
    previous = max(before, key=lambda other: (other.ends_at, other.starts_at))
    if previous.venue_id is None or previous.venue_id == item.venue_id:
        return
    minutes = travel.get((previous.venue_id, item.venue_id))
    gap = int((item.starts_at - previous.ends_at).total_seconds() // 60)
    if minutes is not None and gap < minutes:
        yield Clash("travel", item, (previous,), detail={"gap": gap, "minutes": minutes})


def _items_between(start: datetime, end: datetime) -> list[AgendaItem]:
    return list(
        db.session.scalars(
            select(AgendaItem)
            .join(Program)
            .where(
                AgendaItem.starts_at < end,
                AgendaItem.ends_at > start,
                AgendaItem.status == ItemStatus.SCHEDULED,
                Program.status != ProgramStatus.ARCHIVED,
            )
            .options(
                joinedload(AgendaItem.program),
                joinedload(AgendaItem.venue).selectinload(Venue.closures),
            )
        ).unique()
    )


def _window(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    # Wide enough for any zone in the world around the program's local days.
    start = datetime.combine(first_day - timedelta(days=1), time(0), tzinfo=UTC)
    end = datetime.combine(last_day + timedelta(days=2), time(0), tzinfo=UTC)
    return start, end


def clashes_between(start: datetime, end: datetime) -> list[Clash]:
    items = _items_between(start, end)
    return detect(items, _expected_people(items), _travel_minutes())


def clashes_by_item(program: Program) -> dict[int, list[Clash]]:
    """The clashes of a program's items (also with other programs), keyed by item id."""
    by_item: dict[int, list[Clash]] = defaultdict(list)
    for clash in clashes_between(*_window(program.first_day, program.last_day)):
        if clash.item.program_id == program.id:
            by_item[clash.item.id].append(clash)
    return by_item


def upcoming_clashes(today: date, days: int = 60) -> list[Clash]:
    """Clashes in the coming weeks, for the dashboard; each pair once."""
    seen = set()
    result = []
    for clash in clashes_between(*_window(today, today + timedelta(days=days))):
        key = (clash.kind, frozenset({clash.item.id, *(o.id for o in clash.others)}))
        if key in seen:
            continue
        seen.add(key)
        result.append(clash)
    return sorted(result, key=lambda clash: clash.item.starts_at)


__all__ = ["Clash", "clashes_between", "clashes_by_item", "detect", "upcoming_clashes"]
