"""Converting between a program's wall-clock times and the UTC instants we store."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app


def to_utc(day: date, clock: time, timezone: str) -> datetime:
    """The UTC instant of a wall-clock time on a day in the zone."""
    return datetime.combine(day, clock, tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def host_today() -> date:
    """Today in the host's time zone."""
    return datetime.now(ZoneInfo(current_app.config["PLANNER_TIMEZONE"])).date()


def next_weekday(today: date, weekday: int) -> date:
    """The next date after today that falls on the weekday (Monday is 0)."""
    days_ahead = (weekday - today.weekday()) % 7 or 7
    return date.fromordinal(today.toordinal() + days_ahead)
