"""Copying a program to new dates: the way staff build a custom agenda for a delegation."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from planner.audit.log import record
from planner.core.database import db
from planner.programs.models import AgendaItem, Program, ProgramStatus
from planner.programs.records import ItemFields, ProgramFields
from planner.programs.times import to_utc

# What a copy sets itself; every other editable field is copied as it is.
NEW_IN_A_COPY = {"slug", "title", "first_day", "last_day"}
SHIFTED = {"registration_opens_at", "registration_closes_at", "starts_at", "ends_at"}
PROGRAM_SETTINGS = [name for name in ProgramFields.names() if name not in NEW_IN_A_COPY | SHIFTED]
ITEM_FIELDS = [*(name for name in ItemFields.names() if name not in SHIFTED), "status"]


def _shift(moment: datetime | None, days: int, timezone: str) -> datetime | None:
    """The same wall-clock time `days` later in the zone (a 01:00 trek stays at 01:00)."""
    if moment is None:
        return None
    local = moment.astimezone(ZoneInfo(timezone))
    return to_utc(local.date() + timedelta(days=days), local.time(), timezone)


def copy_program(program: Program, first_day: date, slug: str, title: str) -> Program:
    """A draft copy starting on `first_day`, every item and date shifted by the same days."""
    days = (first_day - program.first_day).days
    copy = Program(
        slug=slug,
        title=title,
        first_day=first_day,
        last_day=program.last_day + timedelta(days=days),
        status=ProgramStatus.DRAFT,
        registration_opens_at=_shift(program.registration_opens_at, days, program.timezone),
        registration_closes_at=_shift(program.registration_closes_at, days, program.timezone),
        **{name: getattr(program, name) for name in PROGRAM_SETTINGS},
    )
    for item in program.items:
        copy.items.append(
            AgendaItem(
                starts_at=_shift(item.starts_at, days, program.timezone),
                ends_at=_shift(item.ends_at, days, program.timezone),
                **{name: getattr(item, name) for name in ITEM_FIELDS},
            )
        )
    db.session.add(copy)
    record(
        "program.copied",
        copy,
        program=copy,
        changes={"copied_from": [program.slug, None], "first_day": [None, first_day.isoformat()]},
    )
    return copy
