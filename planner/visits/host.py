"""The host's profile (one row, made on first use) and its calendar of working days."""

from datetime import date, timedelta

from sqlalchemy import select

from planner.core.database import db
from planner.programs.times import host_today as today
from planner.visits.models import Holiday, HostProfile

PROFILE_ID = 1


def profile() -> HostProfile:
    row = db.session.get(HostProfile, PROFILE_ID)
    if row is None:
        row = HostProfile(id=PROFILE_ID)
        db.session.add(row)
        db.session.flush()
    return row


def place() -> str:
    """Where the host signs its letters and sheets ("Banyuwangi, 3 Desember 2026"); "" until
    staff set it. Reading it makes no profile row."""
    row = db.session.get(HostProfile, PROFILE_ID)
    return row.place.strip() if row else ""


def holidays_between(first: date, last: date) -> dict[date, str]:
    rows = db.session.execute(
        select(Holiday.day, Holiday.name).where(Holiday.day.between(first, last))
    )
    return dict(rows.tuples().all())


def is_working_day(day: date, holidays) -> bool:
    return day.weekday() < 5 and day not in holidays


def earliest_day(lead_working_days: int, now: date | None = None) -> date:
    """The first day a request may ask for: the lead time's last working day after today."""
    start = now or today()
    holidays = holidays_between(start, start + timedelta(days=lead_working_days * 3 + 30))
    day, counted = start, 0
    while counted < lead_working_days:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            counted += 1
    return day
