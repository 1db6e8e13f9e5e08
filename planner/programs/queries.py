"""Loading programs and their agendas for the pages that show them."""

from collections import OrderedDict
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from planner.core.database import db
from planner.programs.models import AgendaItem, Program, ProgramStatus
from planner.programs.times import host_today

PUBLIC_STATUSES = (ProgramStatus.PUBLISHED, ProgramStatus.CLOSED)
# Loads a program's agenda with each item's venue in two queries.
WITH_AGENDA = selectinload(Program.items).selectinload(AgendaItem.venue)
ITEM_WITH_PROGRAM_AND_VENUE = (joinedload(AgendaItem.program), joinedload(AgendaItem.venue))


def listed_programs() -> list[Program]:
    """Published, listed programs not yet over, the next ones first. A past program leaves the
    list on its own; its page stays reachable by link."""
    return list(
        db.session.scalars(
            select(Program)
            .where(
                Program.status == ProgramStatus.PUBLISHED,
                Program.listed.is_(True),
                Program.last_day >= host_today(),
            )
            .order_by(Program.first_day, Program.title)
        )
    )


def public_program_or_404(slug: str, with_items: bool = True) -> Program:
    """A program the public may see: published or closed, listed or not (unlisted = by link)."""
    query = select(Program).where(Program.slug == slug, Program.status.in_(PUBLIC_STATUSES))
    if with_items:
        query = query.options(WITH_AGENDA)
    return db.first_or_404(query)


def program_days(program: Program):
    day = program.first_day
    while day <= program.last_day:
        yield day
        day += timedelta(days=1)


def agenda_by_day(program: Program, items=None) -> "OrderedDict[date, list[AgendaItem]]":
    """Every day of the program (also days without items) with its items in local time."""
    items = program.items if items is None else items
    days: OrderedDict[date, list[AgendaItem]] = OrderedDict(
        (day, []) for day in program_days(program)
    )
    for item in items:
        days.setdefault(item.local_start.date(), []).append(item)
    return days
