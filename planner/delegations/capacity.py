"""Seats: who holds them, how many are left, and taking them without ever overbooking.

Every path that adds members, moves a delegation into a seat-holding status or opts a
member into an item goes through `lock_program` first and then the checks below, in the
same transaction (pretalx/pretix style: lock, count, insert, commit).
"""

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import OperationalError

from planner.core.database import db
from planner.delegations.models import SEAT_HOLDING_STATUSES, Delegation, Member, MemberItem
from planner.programs.models import AgendaItem, Program


class CapacityError(Exception):
    """A cap would be exceeded. `field` names what the refusal is about (for forms and API)."""

    def __init__(self, message, field: str = "members"):
        super().__init__(message)
        self.message = message
        self.field = field


class ProgramFull(CapacityError):
    pass


class ProgramBusy(CapacityError):
    """The program's lock was not free within PLANNER_LOCK_TIMEOUT: try again in a moment."""


def lock_program(program: Program) -> None:
    """Serialise every seat-taking transaction of the program until commit or rollback, waiting
    at most PLANNER_LOCK_TIMEOUT (as pretix does) rather than holding a worker forever.

    PostgreSQL: SELECT ... FOR UPDATE on the program row. SQLite: a no-op write, which makes
    the connection take the database's write lock before anything is counted.
    """
    try:
        if db.session.get_bind().dialect.name == "postgresql":
            milliseconds = int(current_app.config["PLANNER_LOCK_TIMEOUT"] * 1000)
            db.session.execute(text(f"SET LOCAL lock_timeout = {milliseconds}"))
            db.session.execute(select(Program.id).where(Program.id == program.id).with_for_update())
        else:
            db.session.execute(
                update(Program)
                .where(Program.id == program.id)
                .values(id=Program.id, updated_at=Program.updated_at)  # changes nothing
                .execution_options(synchronize_session=False)
            )
    except OperationalError as error:
        if not _lock_not_free(error):
            raise
        raise ProgramBusy(
            _l(
                "Many registrations for this program are being saved at this moment. "
                "Nothing was saved; please send the form again in a few seconds."
            )
        ) from None


def _lock_not_free(error: OperationalError) -> bool:
    code = getattr(error.orig, "sqlstate", None)  # psycopg: 55P03 lock_not_available
    return code == "55P03" or "database is locked" in str(error.orig)


def seats_taken(program: Program, excluding: Delegation | None = None) -> tuple[int, int]:
    """(delegations, participants) holding seats in the program."""
    query = (
        select(func.count(func.distinct(Delegation.id)), func.count(Member.id))
        .select_from(Delegation)
        .outerjoin(Member, Member.delegation_id == Delegation.id)
        .where(Delegation.program_id == program.id, Delegation.status.in_(SEAT_HOLDING_STATUSES))
    )
    if excluding is not None and excluding.id is not None:
        query = query.where(Delegation.id != excluding.id)
    delegations, participants = db.session.execute(query).one()
    return delegations, participants


def seats_left(program: Program) -> int | None:
    """Participant seats left, or None when the program has no participant cap."""
    if program.max_participants is None:
        return None
    _, participants = seats_taken(program)
    return max(program.max_participants - participants, 0)


def program_has_room(program: Program, delegation: Delegation, members: int) -> bool:
    """Whether the delegation, with this many members, fits beside those already holding seats."""
    if program.max_delegations is None and program.max_participants is None:
        return True
    delegations, participants = seats_taken(program, excluding=delegation)
    if program.max_delegations is not None and delegations + 1 > program.max_delegations:
        return False
    return program.max_participants is None or participants + members <= program.max_participants


def check_member_limit(program: Program, members: int) -> None:
    if members < 1:
        raise CapacityError(_l("The member list is empty. List at least one member."))
    if members > program.members_per_delegation:
        raise CapacityError(
            _l(
                "A delegation can have at most %(limit)s members; this list has %(count)s. Remove "
                "the extra rows, or ask the host about a larger delegation.",
                limit=program.members_per_delegation,
                count=members,
            )
        )


def item_seats_taken(items: list[AgendaItem], excluding: Delegation | None = None) -> dict:
    """{item id: members of seat-holding delegations who opted in}."""
    if not items:
        return {}
    query = (
        select(MemberItem.item_id, func.count())
        .join(Member, Member.id == MemberItem.member_id)
        .join(Delegation, Delegation.id == Member.delegation_id)
        .where(
            MemberItem.item_id.in_([item.id for item in items]),
            Delegation.status.in_(SEAT_HOLDING_STATUSES),
        )
        .group_by(MemberItem.item_id)
    )
    if excluding is not None and excluding.id is not None:
        query = query.where(Delegation.id != excluding.id)
    return dict(db.session.execute(query).all())


def check_item_capacity(delegation: Delegation, choices: dict[AgendaItem, int]) -> None:
    """Refuse if this delegation's opt-ins (item -> members) overfill any optional item."""
    limited = [item for item in choices if item.capacity is not None]
    taken = item_seats_taken(limited, excluding=delegation)
    for item in sorted(limited, key=lambda item: item.starts_at):
        wanted = choices[item]
        if wanted and taken.get(item.id, 0) + wanted > item.capacity:
            left = max(item.capacity - taken.get(item.id, 0), 0)
            raise CapacityError(
                _l(
                    "%(title)s is full: %(left)s of %(capacity)s places left, %(wanted)s chosen. "
                    "Choose it for fewer members.",
                    title=item.title,
                    left=left,
                    capacity=item.capacity,
                    wanted=wanted,
                ),
                field=f"item:{item.public_id}",
            )


def items_left(program: Program) -> dict[int, int]:
    """Places left per capacity-limited item of the program."""
    limited = [item for item in program.items if item.capacity is not None]
    taken = item_seats_taken(limited)
    return {item.id: max(item.capacity - taken.get(item.id, 0), 0) for item in limited}


@dataclass
class Seats:
    """What the program page and the API show."""

    delegations: int
    participants: int
    participants_left: int | None
    delegations_left: int | None

    @property
    def full(self) -> bool:
        return self.participants_left == 0 or self.delegations_left == 0


def seat_summary(program: Program) -> Seats:
    delegations, participants = seats_taken(program)
    return Seats(
        delegations=delegations,
        participants=participants,
        participants_left=None
        if program.max_participants is None
        else max(program.max_participants - participants, 0),
        delegations_left=None
        if program.max_delegations is None
        else max(program.max_delegations - delegations, 0),
    )


def seats_left_by_program(programs: list[Program]) -> dict[int, int | None]:
    """{program id: participant seats left, None without a cap}, in one query for them all."""
    capped = [program for program in programs if program.max_participants is not None]
    taken = dict(
        db.session.execute(
            select(Delegation.program_id, func.count(Member.id))
            .join(Member, Member.delegation_id == Delegation.id)
            .where(
                Delegation.program_id.in_([program.id for program in capped]),
                Delegation.status.in_(SEAT_HOLDING_STATUSES),
            )
            .group_by(Delegation.program_id)
        ).all()
        if capped
        else ()
    )
    left: dict[int, int | None] = {program.id: None for program in programs}
    for program in capped:
        left[program.id] = max(program.max_participants - taken.get(program.id, 0), 0)
    return left
