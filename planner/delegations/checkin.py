"""Counting heads on the day: check-in points, who is expected at each, and check-ins as the
scanners send them (also in batches from a phone that was offline).

A check-in is stored once: by its `client_id` (the scanner's own id, so a batch sent again
changes nothing) and once per member and point (two phones scanning one person keep the first).
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from planner.audit.log import record
from planner.core import checkcodes, labels
from planner.core.database import db, utcnow
from planner.delegations.models import (
    SEAT_HOLDING_STATUSES,
    Checkin,
    CheckinPoint,
    CheckinSource,
    Delegation,
    Member,
)
from planner.programs.models import AgendaItem, Program

MAX_BATCH = 500

labels.register(
    "CheckinPoint",
    actions={
        "checkin.point_opened": _l("Check-in point opened"),
        "checkin.point_closed": _l("Check-in point closed"),
        "checkin.corrected": _l("Check-in corrected by hand"),
    },
    fields={"title": _l("Name of the point"), "member": _l("Member"), "present": _l("Present")},
)


class Status:
    EXPECTED = "expected"  # green when first scanned
    NOT_LISTED = "not_listed"  # amber: e.g. did not join this optional item
    REFUSED = "refused"  # red: cancelled, rejected or waitlisted


class Result:
    CHECKED_IN = "checked_in"
    ALREADY = "already"
    NOT_LISTED = "not_listed"
    REFUSED = "refused"
    UNKNOWN = "unknown"
    INVALID = "invalid"
    CLOSED = "closed"


MESSAGES = {
    Result.CHECKED_IN: _l("Checked in."),
    Result.ALREADY: _l("Already checked in here."),
    Result.NOT_LISTED: _l("Not on this item's list."),
    Result.REFUSED: _l("This member's delegation is not taking part."),
    Result.UNKNOWN: _l("No member of this program has this code."),
    Result.INVALID: _l("This is not a planner check-in code (damaged or cut off)."),
    Result.CLOSED: _l(
        "This check-in point is closed; staff can open it again on the program's page."
    ),
}


@dataclass
class Entry:
    """A member as a point sees them."""

    member: Member
    delegation: Delegation
    status: str
    checkin: Checkin | None


def open_point(program: Program, title: str, item: AgendaItem | None = None, day=None):
    point = CheckinPoint(program=program, item=item, day=None if item else day, title=title)
    db.session.add(point)
    record("checkin.point_opened", point, program=program, changes={"title": [None, title]})
    return point


def set_open(point: CheckinPoint, is_open: bool) -> None:
    if point.is_open == is_open:
        return
    point.closed_at = None if is_open else utcnow()
    record(
        "checkin.point_opened" if is_open else "checkin.point_closed",
        point,
        program=point.program,
    )


def _status(point: CheckinPoint, member: Member, delegation: Delegation) -> str:
    if delegation.status not in SEAT_HOLDING_STATUSES:
        return Status.REFUSED
    item = point.item
    if item is not None and item.optional and item.id not in {i.id for i in member.optional_items}:
        return Status.NOT_LISTED
    return Status.EXPECTED


def roster(point: CheckinPoint) -> list[Entry]:
    """Every member of the program's delegations, with what the point makes of them, in a
    fixed number of queries."""
    delegations = db.session.scalars(
        select(Delegation)
        .where(Delegation.program_id == point.program_id)
        .options(selectinload(Delegation.members).selectinload(Member.optional_items))
        .order_by(Delegation.institution)
    ).all()
    checkins = {
        checkin.member_id: checkin
        for checkin in db.session.scalars(select(Checkin).where(Checkin.point_id == point.id))
    }
    return [
        Entry(member, delegation, _status(point, member, delegation), checkins.get(member.id))
        for delegation in delegations
        for member in delegation.members
    ]


@dataclass
class Count:
    delegation: Delegation
    checked_in: int
    expected: int
    missing: list[Member]


def counts(entries: list[Entry]) -> list[Count]:
    """Checked in against expected per delegation, with the missing members."""
    found: dict[int, Count] = {}
    for entry in entries:
        if entry.status != Status.EXPECTED:
            continue
        count = found.setdefault(entry.delegation.id, Count(entry.delegation, 0, 0, []))
        count.expected += 1
        if entry.checkin is not None:
            count.checked_in += 1
        else:
            count.missing.append(entry.member)
    return list(found.values())


@dataclass
class Scan:
    client_id: str
    code: str
    at: datetime
    source: str = CheckinSource.SCAN


@dataclass
class Outcome:
    client_id: str
    result: str
    member: Member | None = None
    checkin: Checkin | None = None

    @property
    def message(self):
        return MESSAGES[self.result]


def check_in(point: CheckinPoint, scans: list[Scan], staff=None, device: str = "") -> list:
    """Store the scans that count, each once; an outcome per scan, in order. A scan already
    stored (its client id) answers as it did the first time. Scans made before the point was
    closed (a phone that was offline) still count; later ones do not."""
    by_code = {entry.member.checkin_code: entry for entry in roster(point)}
    stored = {
        checkin.client_id: checkin
        for checkin in db.session.scalars(
            select(Checkin).where(Checkin.client_id.in_([scan.client_id for scan in scans]))
        )
    }
    outcomes = []
    for scan in scans:
        earlier = stored.get(scan.client_id)
        if earlier is not None:
            outcomes.append(
                Outcome(scan.client_id, Result.CHECKED_IN, earlier.member, earlier)
                if earlier.point_id == point.id
                else Outcome(scan.client_id, Result.INVALID)
            )
            continue
        code = checkcodes.normalise(scan.code)
        entry = by_code.get(code) if code else None
        if point.closed_at is not None and scan.at >= point.closed_at:
            outcomes.append(Outcome(scan.client_id, Result.CLOSED))
        elif code is None:
            outcomes.append(Outcome(scan.client_id, Result.INVALID))
        elif entry is None:
            outcomes.append(Outcome(scan.client_id, Result.UNKNOWN))
        elif entry.status == Status.REFUSED:
            outcomes.append(Outcome(scan.client_id, Result.REFUSED, entry.member))
        elif entry.status == Status.NOT_LISTED:
            outcomes.append(Outcome(scan.client_id, Result.NOT_LISTED, entry.member))
        elif entry.checkin is not None:
            outcomes.append(Outcome(scan.client_id, Result.ALREADY, entry.member, entry.checkin))
        else:
            entry.checkin = _store(point, entry.member, scan, staff, device)
            result = (
                Result.CHECKED_IN if entry.checkin.client_id == scan.client_id else (Result.ALREADY)
            )
            outcomes.append(Outcome(scan.client_id, result, entry.member, entry.checkin))
    return outcomes


def _store(point, member, scan: Scan, staff, device: str) -> Checkin:
    """The check-in, or the one another phone stored a moment before (the first is kept)."""
    checkin = Checkin(
        client_id=scan.client_id,
        point_id=point.id,
        member_id=member.id,
        scanned_at=min(scan.at, utcnow()),
        staff_id=staff.id if staff else None,
        staff_label=staff.email if staff else "",
        device=device[:100],
        source=scan.source,
    )
    try:
        with db.session.begin_nested():
            db.session.add(checkin)
        checkin.member = member
    except IntegrityError:
        return db.session.scalar(
            select(Checkin).where(Checkin.point_id == point.id, Checkin.member_id == member.id)
        ) or db.session.scalar(select(Checkin).where(Checkin.client_id == scan.client_id))
    return checkin


def correct(point: CheckinPoint, member: Member, present: bool) -> None:
    """Staff's manual correction afterwards, in the audit trail."""
    existing = db.session.scalar(
        select(Checkin).where(Checkin.point_id == point.id, Checkin.member_id == member.id)
    )
    if present and existing is None:
        scan = Scan(f"manual-{uuid.uuid4()}", member.checkin_code, utcnow(), CheckinSource.MANUAL)
        _store(point, member, scan, None, "")
    elif not present and existing is not None:
        db.session.delete(existing)
    else:
        return
    record(
        "checkin.corrected",
        point,
        program=point.program,
        delegation=member.delegation,
        changes={"member": [None, member.public_id], "present": [not present, present]},
    )


def present_on(program: Program, delegation: Delegation) -> dict[int, set[date]]:
    """For each member of the delegation, the days of the program they were checked in at any
    point (the SPPD list marks them)."""
    rows = db.session.execute(
        select(Checkin.member_id, Checkin.scanned_at, CheckinPoint.day, AgendaItem.starts_at)
        .join(CheckinPoint, CheckinPoint.id == Checkin.point_id)
        .outerjoin(AgendaItem, AgendaItem.id == CheckinPoint.item_id)
        .join(Member, Member.id == Checkin.member_id)
        .where(CheckinPoint.program_id == program.id, Member.delegation_id == delegation.id)
    )
    days: dict[int, set[date]] = {}
    for member_id, scanned_at, day, starts_at in rows:
        when = day or (starts_at or scanned_at).astimezone(program.tz).date()
        days.setdefault(member_id, set()).add(when)
    return days


def checked_in_at_item(item: AgendaItem) -> dict[int, datetime]:
    """When each member was first checked in at a point of the item."""
    rows = db.session.execute(
        select(Checkin.member_id, Checkin.scanned_at)
        .join(CheckinPoint, CheckinPoint.id == Checkin.point_id)
        .where(CheckinPoint.item_id == item.id)
        .order_by(Checkin.scanned_at)
    )
    first: dict[int, datetime] = {}
    for member_id, scanned_at in rows:
        first.setdefault(member_id, scanned_at)
    return first


def open_points(limit: int = 6) -> list[tuple[CheckinPoint, list[Count]]]:
    """The latest open check-in points with their counts (the staff dashboard)."""
    points = db.session.scalars(
        select(CheckinPoint)
        .where(CheckinPoint.closed_at.is_(None))
        .options(joinedload(CheckinPoint.program), joinedload(CheckinPoint.item))
        .order_by(CheckinPoint.id.desc())
        .limit(limit)
    ).all()
    return [(point, counts(roster(point))) for point in points]
