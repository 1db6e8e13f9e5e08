"""What participants were told of a program's agenda, and what has changed since.

Publishing a program announces every item as it is. After that, every change staff make to a
published agenda waits as "not yet announced" until staff review it and send the change notice;
sending it announces the changes and marks the items on the itinerary pages until the visit.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

from planner.core.database import utcnow
from planner.core.i18n import format_local_time, format_moment, format_weekday_date
from planner.programs.models import AgendaItem, ItemStatus, Program, ProgramStatus

FIELDS = ("title", "starts_at", "ends_at", "venue", "status")
FIELD_LABELS = {
    "title": _l("Title"),
    "starts_at": _l("Start"),
    "ends_at": _l("End"),
    "venue": _l("Venue"),
    "status": _l("Status"),
}


def announced_state(item: AgendaItem) -> dict:
    return {
        "title": item.title,
        "starts_at": item.starts_at.isoformat(),
        "ends_at": item.ends_at.isoformat(),
        "venue": item.venue.name if item.venue is not None else "",
        "status": str(item.status),
    }


@dataclass
class ItemChange:
    """One item's changes since it was last announced: {field: [before, after]}, or a new item."""

    item: AgendaItem
    changes: dict[str, list]
    new: bool = False

    @property
    def marks(self) -> dict:
        """The change as `describe` reads it."""
        return {"new": True} if self.new else self.changes


def pending_changes(program: Program) -> list[ItemChange]:
    """The changes participants have not been told of, in agenda order. None for a draft."""
    if program.status == ProgramStatus.DRAFT:
        return []
    pending = []
    for item in program.items:
        now = announced_state(item)
        if item.announced is None:
            if not item.is_cancelled:
                pending.append(ItemChange(item, {}, new=True))
            continue
        changes = {
            field: [item.announced.get(field), now[field]]
            for field in FIELDS
            if item.announced.get(field) != now[field]
        }
        if changes:
            pending.append(ItemChange(item, changes))
    return pending


def fingerprint(changes: list[ItemChange]) -> str:
    """Names one set of pending changes: a notice is sent only for the changes staff reviewed."""
    content = [[change.item.public_id, change.new, change.changes] for change in changes]
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:32]


def announce(changes: list[ItemChange]) -> None:
    """Record the changes as told: each item's mark keeps the first value participants knew."""
    now = utcnow()
    for change in changes:
        item = change.item
        item.announced = announced_state(item)
        item.announced_at = now
        if change.new:
            item.announced_change = {"new": True}
            continue
        merged = dict(item.announced_change or {})
        merged.pop("new", None)
        for field, (before, after) in change.changes.items():
            first = merged.get(field, [before])[0]
            merged[field] = [first, after]
        item.announced_change = {
            field: values for field, values in merged.items() if values[0] != values[1]
        } or None


def announce_all(program: Program) -> None:
    """At publication: every item is announced as it is, with no mark."""
    for item in program.items:
        item.announced = announced_state(item)
        item.announced_change = None


def describe(item: AgendaItem, changes: dict[str, list]) -> list[str]:
    """The changes as people read them, in the current language: "Mulai: 01.00 WIB → 02.00 WIB".
    A time on another day names the day too."""
    timezone = item.program.timezone
    lines = []
    if changes.get("new"):
        return [str(_l("New item"))]
    for field in FIELDS:
        if field not in changes:
            continue
        before, after = changes[field]
        if field == "status":
            lines.append(
                str(_l("Cancelled"))
                if after == ItemStatus.CANCELLED
                else str(_l("Takes place again"))
            )
            continue
        if field in ("starts_at", "ends_at"):
            old, new = datetime.fromisoformat(before), datetime.fromisoformat(after)
            same_day = format_weekday_date(old, timezone) == format_weekday_date(new, timezone)
            show = format_local_time if same_day else format_moment
            before, after = show(old, timezone), show(new, timezone)
        lines.append(f"{FIELD_LABELS[field]}: {before or '–'} → {after or '–'}")
    return lines


def marked(item: AgendaItem) -> bool:
    """Whether the itinerary pages show the item's last announced change: until the visit ends."""
    program = item.program
    return (
        bool(item.announced_change) and program.last_day >= utcnow().astimezone(program.tz).date()
    )
