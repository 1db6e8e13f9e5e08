"""The one iCalendar builder behind every feed (program, delegation, member, staff).

Rules (see ../shared/icalcheck/CHECKLIST.md): one UID per agenda item in every feed;
DTSTART/DTEND in the program's zone with a VTIMEZONE; DTSTAMP and LAST-MODIFIED from the
item's last change (so the bytes only change when the data does); SEQUENCE = revision;
cancelled items stay as STATUS:CANCELLED; no METHOD, no ATTENDEE or ORGANIZER.
"""

import functools
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from icalendar import Alarm, Calendar, Event, Timezone, vDuration, vGeo, vText

from planner.core.text import without_control_characters
from planner.programs.labels import KIND_LABELS
from planner.programs.models import AgendaItem, ItemStatus

PRODID = "-//planner//Study visits//ID"
REFRESH = timedelta(hours=1)


@dataclass
class Feed:
    """What one calendar file holds."""

    name: str
    uid: str
    timezone: str
    items: Iterable[AgendaItem]
    url_of: Callable[[AgendaItem], str]  # the page an event links to
    description: str = ""


def host_name() -> str:
    return urlsplit(current_app.config["PLANNER_BASE_URL"]).hostname or "planner"


def event_uid(item: AgendaItem) -> str:
    """The same in every feed, so importing two feeds never duplicates an event."""
    return f"{item.public_id}@{host_name()}"


def stable_uid(*parts: str) -> str:
    """A calendar UID derived from stored ids: the same on every request."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join((host_name(), *parts))))


def _text(value: str) -> str:
    # icalendar escapes commas, semicolons and newlines; we only drop control characters.
    return without_control_characters(value).strip()


def _description(item: AgendaItem, url: str) -> str:
    lines = []
    if item.is_cancelled:
        lines.append(_("CANCELLED"))
    for label, value in (
        (_("Host / presenter"), item.presenter),
        (_("Dress code"), item.dress_code),
        (_("Requirements"), item.requirements),
    ):
        if value:
            lines.append(f"{label}: {_text(value)}")
    if item.description:
        lines.append(_text(item.description))
    lines.append(url)
    return "\n".join(lines)


def _location(item: AgendaItem) -> str | None:
    venue = item.venue
    if venue is None:
        return None
    return ", ".join(part for part in (_text(venue.name), _text(venue.address)) if part)


def build_event(item: AgendaItem, url: str) -> Event:
    tz = item.program.tz
    event = Event.new(
        uid=event_uid(item),
        stamp=item.updated_at,
        created=item.created_at,
        last_modified=item.updated_at,
        start=item.starts_at.astimezone(tz),
        end=item.ends_at.astimezone(tz),
        summary=_text(item.title),
        sequence=item.revision,
        status="CANCELLED" if item.status == ItemStatus.CANCELLED else "CONFIRMED",
        location=_location(item),
        description=_description(item, url),
        categories=[str(KIND_LABELS.get(item.kind, item.kind))],
    )
    if item.venue is not None and item.venue.has_coordinates:
        event.add("geo", vGeo((item.venue.latitude, item.venue.longitude)))
    event.add("url", url)
    if not item.is_cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _text(item.title))
        alarm.add("trigger", -timedelta(minutes=item.reminder_minutes))
        event.add_component(alarm)
    return event


def build_calendar(feed: Feed) -> bytes:
    calendar = Calendar.new(prodid=PRODID, uid=feed.uid)
    calendar.add("calscale", "GREGORIAN")
    # icalendar 7 does not know NAME and X-WR-* are TEXT and would leave , ; unescaped.
    calendar.add("name", vText(_text(feed.name)))
    calendar.add("x-wr-calname", vText(_text(feed.name)))
    if feed.description:
        calendar.add("description", _text(feed.description))
        calendar.add("x-wr-caldesc", vText(_text(feed.description)))
    calendar.add("x-wr-timezone", feed.timezone)
    # icalendar's refresh_interval= leaves out VALUE=DURATION, which RFC 7986 requires.
    calendar.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for item in feed.items:
        calendar.add_component(build_event(item, feed.url_of(item)))
    # Every zone used, and the feed's own (so an empty calendar still holds a component,
    # as RFC 5545 asks), first in the file.
    for tzid in sorted(calendar.get_used_tzids() | {feed.timezone}, reverse=True):
        calendar.subcomponents.insert(0, vtimezone(tzid))
    return calendar.to_ical()


@functools.cache
def vtimezone(tzid: str) -> Timezone:
    """The library's VTIMEZONE for a zone, built once per process (it takes ~20 ms)."""
    timezone = Timezone.from_tzid(tzid)
    # libical refuses COMMENT directly inside VTIMEZONE (RFC 5545 §3.6.5).
    timezone.pop("COMMENT", None)
    return timezone
