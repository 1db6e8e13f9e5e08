"""Changing a program's agenda: the rules every path (staff pages, API) goes through."""

from datetime import datetime

from flask_babel import lazy_gettext as _l

from planner.audit.log import record
from planner.core.database import db
from planner.core.records import StaleEdit, changes_between, snapshot
from planner.programs.models import AgendaItem, ItemStatus, Program, ProgramStatus
from planner.venues.models import Venue

# Changes a participant would need to know about: they raise the item's revision
# (and so the SEQUENCE in every calendar feed) once the program has been published.
NOTICEABLE_FIELDS = frozenset({"title", "starts_at", "ends_at", "venue_id", "status"})


class AgendaRuleError(Exception):
    """A change that breaks an agenda rule; `errors` maps field names to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def time_errors(program: Program, starts_at: datetime, ends_at: datetime) -> dict[str, list]:
    """The timing rules of an item: it starts on one of the program's days and ends after it."""
    errors: dict[str, list] = {}
    local_day = starts_at.astimezone(program.tz).date()
    if not program.first_day <= local_day <= program.last_day:
        errors["starts_at"] = [
            _l(
                "The item must start on one of the program's days. Choose one of its days, or "
                "change the program's dates first."
            )
        ]
    if ends_at <= starts_at:
        errors["ends_at"] = [_l("The end must be after the start. Check the start and end times.")]
    return errors


def _has_been_published(program: Program) -> bool:
    return program.status != ProgramStatus.DRAFT


def add_item(program: Program, values: dict) -> AgendaItem:
    errors = time_errors(program, values["starts_at"], values["ends_at"])
    if errors:
        raise AgendaRuleError(errors)
    item = AgendaItem(program=program, **values)
    db.session.add(item)
    record(
        "item.created",
        item,
        program=program,
        changes=_readable(changes_between({}, snapshot(item, values.keys()))),
    )
    return item


def update_item(item: AgendaItem, values: dict, expected_version: int | None = None) -> dict:
    """Apply changed values; returns {field: [old, new]} of what changed (empty if nothing)."""
    if expected_version is not None and expected_version != item.version:
        raise StaleEdit()
    program = item.program
    starts_at = values.get("starts_at", item.starts_at)
    ends_at = values.get("ends_at", item.ends_at)
    errors = time_errors(program, starts_at, ends_at)
    if errors:
        raise AgendaRuleError(errors)
    before = snapshot(item, values.keys())
    changes = changes_between(before, values)
    if not changes:
        return {}
    for field in changes:
        setattr(item, field, values[field])
    if _has_been_published(program) and NOTICEABLE_FIELDS & changes.keys():
        item.revision += 1
        changes["revision"] = [item.revision - 1, item.revision]
    action = "item.cancelled" if changes.get("status", [None, None])[1] == "cancelled" else None
    record(action or "item.updated", item, program=program, changes=_readable(changes))
    return changes


def _readable(changes: dict) -> dict:
    """The trail names a venue, as staff know it, rather than its row number."""
    if "venue_id" not in changes:
        return changes
    names = [
        db.session.get(Venue, venue_id).name if venue_id is not None else None
        for venue_id in changes["venue_id"]
    ]
    readable = {name: values for name, values in changes.items() if name != "venue_id"}
    readable["venue"] = names
    return readable


def cancel_item(item: AgendaItem, expected_version: int | None = None) -> dict:
    return update_item(item, {"status": ItemStatus.CANCELLED}, expected_version)


def restore_item(item: AgendaItem, expected_version: int | None = None) -> dict:
    return update_item(item, {"status": ItemStatus.SCHEDULED}, expected_version)


def can_remove(item: AgendaItem) -> bool:
    """Items of a program nobody has seen yet may be removed; after that they are cancelled,
    so calendars that hold them learn of the cancellation instead of keeping a ghost."""
    return not _has_been_published(item.program)


def remove_item(item: AgendaItem) -> None:
    if not can_remove(item):
        raise AgendaRuleError(
            {
                "status": [
                    _l(
                        "A published item cannot be removed. Cancel it instead, so that it shows "
                        "as cancelled."
                    )
                ]
            }
        )
    record(
        "item.removed",
        item,
        program=item.program,
        changes={"title": [item.title, None], "starts_at": [item.starts_at.isoformat(), None]},
    )
    db.session.delete(item)
