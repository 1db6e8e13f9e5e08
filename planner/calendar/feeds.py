"""Which items each feed holds, and a cheap version of them for conditional requests.

A calendar app polls every feed every hour for weeks: `*_version` answers "has anything
changed?" with one or two aggregate queries, before any event is loaded or rendered.
"""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from planner.audit.models import AuditEvent
from planner.calendar.builder import Feed, build_calendar, stable_uid
from planner.core.database import db
from planner.core.links import absolute
from planner.delegations.models import Delegation, Member, MemberItem
from planner.programs.models import AgendaItem, Program, ProgramStatus
from planner.venues.models import Venue

Version = tuple  # a hashable summary of everything a feed's bytes depend on


def _items_version(query: Select) -> tuple:
    """(count, newest change) of the items selected, their venues included."""
    subquery = query.subquery()
    count, items_changed, venues_changed = db.session.execute(
        select(
            func.count(subquery.c.id),
            func.max(subquery.c.updated_at),
            func.max(Venue.updated_at),
        ).outerjoin(Venue, Venue.id == subquery.c.venue_id)
    ).one()
    return count, items_changed, venues_changed


def _item_columns():
    return select(AgendaItem.id, AgendaItem.updated_at, AgendaItem.venue_id)


def _load(query: Select) -> list[AgendaItem]:
    return list(
        db.session.scalars(
            query.options(joinedload(AgendaItem.venue), joinedload(AgendaItem.program)).order_by(
                AgendaItem.starts_at, AgendaItem.ends_at, AgendaItem.id
            )
        ).unique()
    )


# --- a program's items -------------------------------------------------------------


def program_version(program: Program) -> Version:
    return (
        program.updated_at,
        *_items_version(_item_columns().where(AgendaItem.program_id == program.id)),
    )


def program_items(program: Program) -> list[AgendaItem]:
    return _load(select(AgendaItem).where(AgendaItem.program_id == program.id))


# --- a delegation's items: every item at least one member attends ---------------------


def _delegation_filter(delegation: Delegation):
    joined = (
        select(MemberItem.item_id)
        .join(Member, Member.id == MemberItem.member_id)
        .where(Member.delegation_id == delegation.id)
    )
    return (AgendaItem.program_id == delegation.program_id) & (
        AgendaItem.optional.is_(False) | AgendaItem.id.in_(joined)
    )


def delegation_version(delegation: Delegation) -> Version:
    return (
        delegation.token,  # the links in the events carry it
        delegation.program.updated_at,
        delegation.updated_at,
        *_items_version(_item_columns().where(_delegation_filter(delegation))),
    )


def delegation_items(delegation: Delegation) -> list[AgendaItem]:
    return _load(select(AgendaItem).where(_delegation_filter(delegation)))


def delegation_calendar(delegation: Delegation) -> bytes:
    """The delegation's calendar file: its feed, and the file attached to its messages."""
    program = delegation.program
    page = absolute("delegations.delegation", token=delegation.token)
    return build_calendar(
        Feed(
            name=f"{program.title} · {delegation.institution}",
            uid=stable_uid("delegation", delegation.public_id),
            timezone=program.timezone,
            items=delegation_items(delegation),
            url_of=lambda item: page,
        )
    )


# --- a member's own items -------------------------------------------------------------


def _member_filter(member: Member):
    joined = select(MemberItem.item_id).where(MemberItem.member_id == member.id)
    return (AgendaItem.program_id == member.delegation.program_id) & (
        AgendaItem.optional.is_(False) | AgendaItem.id.in_(joined)
    )


def member_version(member: Member) -> Version:
    return (
        member.token,
        member.delegation.program.updated_at,
        member.updated_at,
        *_items_version(_item_columns().where(_member_filter(member))),
    )


def member_items(member: Member) -> list[AgendaItem]:
    return _load(select(AgendaItem).where(_member_filter(member)))


def member_calendar(member: Member) -> bytes:
    program = member.delegation.program
    page = absolute("delegations.member", token=member.token)
    return build_calendar(
        Feed(
            name=_("%(program)s · %(name)s", program=program.title, name=member.full_name),
            uid=stable_uid("member", member.public_id),
            timezone=program.timezone,
            items=member_items(member),
            url_of=lambda item: page,
        )
    )


# --- every program, for staff --------------------------------------------------------------

STAFF_VISIBLE = AgendaItem.program_id.in_(
    select(Program.id).where(Program.status != ProgramStatus.ARCHIVED)
)


def staff_version(user) -> Version:
    # Removed items and archived programs leave only an audit event behind.
    last_event = db.session.scalar(select(func.max(AuditEvent.id)))
    return (user.public_id, last_event, *_items_version(_item_columns().where(STAFF_VISIBLE)))


def staff_items() -> list[AgendaItem]:
    return _load(select(AgendaItem).where(STAFF_VISIBLE))


def last_modified(version: Version) -> datetime | None:
    moments = [value for value in version if isinstance(value, datetime)]
    return max(moments) if moments else None
