"""The data behind staff exports: a fixed handful of queries per export, whatever the rows.

Member lists are selected as plain columns (no ORM objects) and fetched in batches, so a long
list costs neither one query per row nor memory per row.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from planner.core.database import db
from planner.delegations.models import (
    SEAT_HOLDING_STATUSES,
    Checkin,
    CheckinPoint,
    Delegation,
    Member,
    MemberItem,
)
from planner.programs.models import AgendaItem, ItemKind, ItemStatus, Program

BATCH = 1000

MEMBER_COLUMNS = (
    Member.id,
    Member.delegation_id,
    Member.full_name,
    Member.position,
    Member.nip,
    Member.rank,
    Member.gender,
    Member.phone,
    Member.email,
    Member.dietary,
    Member.role,
    Member.health_certificate,
    Delegation.institution,
    Delegation.status,
)


def _members_query(program: Program, delegation: Delegation | None = None) -> Select:
    query = (
        select(*MEMBER_COLUMNS)
        .join(Delegation, Delegation.id == Member.delegation_id)
        .where(Delegation.program_id == program.id)
        .order_by(Delegation.institution, Delegation.id, Member.sort_order, Member.id)
    )
    if delegation is not None:
        query = query.where(Delegation.id == delegation.id)
    return query


def _stream(query: Select) -> Iterator:
    yield from db.session.execute(query.execution_options(yield_per=BATCH))


def delegations_with_counts(
    program: Program, delegation: Delegation | None = None, seat_holding: bool = False
) -> list[tuple[Delegation, int]]:
    """The program's delegations (or just one) with their member counts, in list order."""
    query = (
        select(Delegation, func.count(Member.id))
        .outerjoin(Member, Member.delegation_id == Delegation.id)
        .where(Delegation.program_id == program.id)
        .group_by(Delegation.id)
        .order_by(Delegation.institution, Delegation.id)
    )
    if delegation is not None:
        query = query.where(Delegation.id == delegation.id)
    if seat_holding:
        query = query.where(Delegation.status.in_(SEAT_HOLDING_STATUSES))
    return [(row[0], row[1]) for row in db.session.execute(query)]


def participants(program: Program, delegation: Delegation | None = None) -> Iterator:
    """Every member of the program's delegations (any status), by institution and list order."""
    return _stream(_members_query(program, delegation))


def manifest(item: AgendaItem) -> Iterator:
    """Who goes to the item: for an optional item the members who chose it, otherwise every
    member; in both cases only members of delegations that hold seats."""
    query = _members_query(item.program).where(Delegation.status.in_(SEAT_HOLDING_STATUSES))
    if item.optional:
        query = query.join(
            MemberItem, (MemberItem.member_id == Member.id) & (MemberItem.item_id == item.id)
        )
    return _stream(query)


def meal_items(program: Program) -> list[AgendaItem]:
    return list(
        db.session.scalars(
            select(AgendaItem)
            .where(
                AgendaItem.program_id == program.id,
                AgendaItem.kind == ItemKind.MEAL,
                AgendaItem.status != ItemStatus.CANCELLED,
            )
            # The program too: a streamed CSV reads the items' times after the view returned.
            .options(joinedload(AgendaItem.venue), joinedload(AgendaItem.program))
            .order_by(AgendaItem.starts_at, AgendaItem.ends_at, AgendaItem.id)
        )
    )


@dataclass
class DietGroup:
    label: str  # the need as first written; "" for members without one
    members: list = field(default_factory=list)


@dataclass
class Meal:
    item: AgendaItem
    groups: list[DietGroup]

    @property
    def attendees(self) -> int:
        return sum(len(group.members) for group in self.groups)


def _diet_key(dietary: str) -> str:
    return " ".join((dietary or "").split()).casefold()


def meals(program: Program, delegation: Delegation | None = None) -> list[Meal]:
    """Each meal with its diners grouped by dietary need: the needs A to Z, then the rest.

    A meal that is not optional feeds every member of the delegations holding seats; an
    optional one those of them who chose it. Three queries in all.
    """
    items = meal_items(program)
    if not items:
        return []
    members = list(
        db.session.execute(
            _members_query(program, delegation).where(Delegation.status.in_(SEAT_HOLDING_STATUSES))
        )
    )
    optional = [item.id for item in items if item.optional]
    chosen: dict[int, set[int]] = {item_id: set() for item_id in optional}
    if optional and members:
        for item_id, member_id in db.session.execute(
            select(MemberItem.item_id, MemberItem.member_id)
            .join(Member, Member.id == MemberItem.member_id)
            .join(Delegation, Delegation.id == Member.delegation_id)
            .where(
                MemberItem.item_id.in_(optional),
                Delegation.program_id == program.id,
                Delegation.status.in_(SEAT_HOLDING_STATUSES),
            )
        ):
            chosen[item_id].add(member_id)
    result = []
    for item in items:
        groups: dict[str, DietGroup] = {}
        for member in members:
            if item.optional and member.id not in chosen[item.id]:
                continue
            key = _diet_key(member.dietary)
            if key not in groups:
                groups[key] = DietGroup(" ".join((member.dietary or "").split()))
            groups[key].members.append(member)
        ordered = sorted((key, group) for key, group in groups.items() if key)
        if "" in groups:
            ordered.append(("", groups[""]))
        result.append(Meal(item, [group for _, group in ordered]))
    return result


def arrivals(program: Program) -> list[tuple[Delegation, int]]:
    """Delegations holding seats with their member counts, by (assumed) arrival date."""
    rows = delegations_with_counts(program, seat_holding=True)
    return sorted(
        rows,
        key=lambda row: (
            row[0].arrives_on or program.first_day,
            row[0].departs_on or program.last_day,
            row[0].institution.casefold(),
        ),
    )


def checkins(program: Program):
    """Each check-in of the program with its point, member and institution, point by point in
    the order they were scanned."""
    return db.session.execute(
        select(CheckinPoint, Checkin, Member, Delegation.institution)
        .join(Checkin, Checkin.point_id == CheckinPoint.id)
        .join(Member, Member.id == Checkin.member_id)
        .join(Delegation, Delegation.id == Member.delegation_id)
        .where(CheckinPoint.program_id == program.id)
        .order_by(CheckinPoint.id, Checkin.scanned_at, Checkin.id)
        .execution_options(yield_per=500)
    )
