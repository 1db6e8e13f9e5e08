"""Which items each feed holds, and a cheap version of them for conditional requests.

A calendar app polls every feed every hour for weeks: `*_version` answers "has anything
changed?" with one aggregate query straight from the URL's slug or token, before any object
is loaded or anything rendered. A version names everything a feed's bytes depend on except
the language and the base URL, which the views add.
"""

from datetime import date, datetime, time, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Row, Select, bindparam, func, select
from sqlalchemy.orm import joinedload

from planner.audit.models import AuditEvent
from planner.calendar.builder import Feed, build_calendar, stable_uid
from planner.core.database import db
from planner.core.i18n import format_long_date
from planner.core.links import absolute
from planner.delegations.models import Delegation, Member, MemberItem
from planner.programs.models import AgendaItem, Program, ProgramStatus
from planner.programs.queries import PUBLIC_STATUSES
from planner.programs.times import host_today, to_utc
from planner.venues.models import Venue

Version = tuple  # a hashable summary of everything a feed's bytes depend on

# How many items, which ones, their newest change and their venues' newest change: a choice
# swapped for another or a venue renamed shows here even when the count stays the same.
_ITEMS_STATE = (
    func.count(AgendaItem.id),
    func.coalesce(func.sum(AgendaItem.id), 0),
    func.max(AgendaItem.updated_at),
    func.max(Venue.updated_at),
)


def _with_items(query: Select, items_on) -> Select:
    return query.outerjoin(AgendaItem, items_on).outerjoin(Venue, Venue.id == AgendaItem.venue_id)


def _version(statement: Select, **parameters) -> Row | None:
    return db.session.connection().execute(statement, parameters).one_or_none()


def _load(query: Select) -> list[AgendaItem]:
    return list(
        db.session.scalars(
            query.options(joinedload(AgendaItem.venue), joinedload(AgendaItem.program)).order_by(
                AgendaItem.starts_at, AgendaItem.ends_at, AgendaItem.id
            )
        ).unique()
    )


def _attended(program_id, optional_chosen: Select):
    """Every non-optional item of the program, and the optional ones chosen."""
    return (AgendaItem.program_id == program_id) & (
        AgendaItem.optional.is_(False) | AgendaItem.id.in_(optional_chosen)
    )


# --- a program's items -------------------------------------------------------------

_PROGRAM_VERSION = (
    _with_items(
        select(Program.id, Program.updated_at, *_ITEMS_STATE), AgendaItem.program_id == Program.id
    )
    .where(Program.slug == bindparam("slug"), Program.status.in_(PUBLIC_STATUSES))
    .group_by(Program.id, Program.updated_at)
)


def program_version(slug: str) -> Row | None:
    """The version of a public program's feed; None when no public program has the slug."""
    return _version(_PROGRAM_VERSION, slug=slug)


def program_items(program: Program) -> list[AgendaItem]:
    return _load(select(AgendaItem).where(AgendaItem.program_id == program.id))


# --- a delegation's items: every item at least one member attends ---------------------


def _delegation_choices(delegation_id) -> Select:
    return (
        select(MemberItem.item_id)
        .join(Member, Member.id == MemberItem.member_id)
        .where(Member.delegation_id == delegation_id)
    )


_DELEGATION_KEYS = (Delegation.id, Delegation.token, Delegation.updated_at, Program.slug)
_DELEGATION_VERSION = (
    _with_items(
        select(*_DELEGATION_KEYS, Program.updated_at, *_ITEMS_STATE).join(Delegation.program),
        _attended(Delegation.program_id, _delegation_choices(Delegation.id)),
    )
    .where(Delegation.token == bindparam("token"))
    .group_by(*_DELEGATION_KEYS, Program.updated_at)
)


def delegation_version(token: str) -> Row | None:
    """The version of a delegation's feed (the token included: the events' links carry it),
    its program's slug at `.slug`; None when no delegation has the token."""
    return _version(_DELEGATION_VERSION, token=token)


def delegation_items(delegation: Delegation) -> list[AgendaItem]:
    return _load(
        select(AgendaItem).where(
            _attended(delegation.program_id, _delegation_choices(delegation.id))
        )
    )


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


def _member_choices(member_id) -> Select:
    return select(MemberItem.item_id).where(MemberItem.member_id == member_id)


_MEMBER_KEYS = (Member.id, Member.token, Member.updated_at, Program.slug)
_MEMBER_VERSION = (
    _with_items(
        select(*_MEMBER_KEYS, Program.updated_at, *_ITEMS_STATE)
        .join(Member.delegation)
        .join(Delegation.program),
        _attended(Delegation.program_id, _member_choices(Member.id)),
    )
    .where(Member.token == bindparam("token"))
    .group_by(*_MEMBER_KEYS, Program.updated_at)
)


def member_version(token: str) -> Row | None:
    """As delegation_version, for a member's own feed (their name is in it: their row's
    change is in the version)."""
    return _version(_MEMBER_VERSION, token=token)


def member_items(member: Member) -> list[AgendaItem]:
    return _load(
        select(AgendaItem).where(
            _attended(member.delegation.program_id, _member_choices(member.id))
        )
    )


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


# --- every program, for staff: the last 90 days and everything ahead ---------------------

STAFF_DAYS_BACK = 90


def staff_since() -> date:
    return host_today() - timedelta(days=STAFF_DAYS_BACK)


def _staff_visible(since):
    """Items of programs not archived that end on `since` (the host's midnight) or later."""
    return AgendaItem.program_id.in_(
        select(Program.id).where(Program.status != ProgramStatus.ARCHIVED)
    ) & (AgendaItem.ends_at >= since)


def _staff_start(since: date) -> datetime:
    return to_utc(since, time(0), current_app.config["PLANNER_TIMEZONE"])


# Removed items and archived programs leave only an audit event behind.
_STAFF_VERSION = (
    select(select(func.max(AuditEvent.id)).scalar_subquery(), *_ITEMS_STATE)
    .select_from(AgendaItem)
    .outerjoin(Venue, Venue.id == AgendaItem.venue_id)
    .where(_staff_visible(bindparam("start", type_=AgendaItem.ends_at.type)))
)


def staff_version(user_public_id: str, since: date) -> Version:
    row = _version(_STAFF_VERSION, start=_staff_start(since))
    return ("staff", user_public_id, since, *row)


def staff_items(since: date) -> list[AgendaItem]:
    return _load(select(AgendaItem).where(_staff_visible(_staff_start(since))))


def staff_description(since: date) -> str:
    return _(
        "Study visits from %(date)s onward: the last 90 days and everything ahead",
        date=format_long_date(since),
    )


def last_modified(version: Version) -> datetime | None:
    moments = [value for value in version if isinstance(value, datetime)]
    return max(moments) if moments else None
