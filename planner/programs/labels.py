"""The words for programs' and agenda items' codes: kinds, statuses, audit actions, fields."""

from flask_babel import lazy_gettext as _l

from planner.core import labels
from planner.programs.models import ItemKind, ItemStatus, ProgramStatus

KIND_LABELS = {
    ItemKind.WELCOME: _l("Welcome"),
    ItemKind.BRIEFING: _l("Briefing"),
    ItemKind.TOUR: _l("Tour"),
    ItemKind.FIELD_TRIP: _l("Field trip"),
    ItemKind.MEAL: _l("Meal"),
    ItemKind.TRANSFER: _l("Transfer"),
    ItemKind.FREE_TIME: _l("Free time"),
    ItemKind.CEREMONY: _l("Ceremony"),
    ItemKind.OTHER: _l("Other"),
}
STATUS_LABELS = {
    ProgramStatus.DRAFT: _l("draft"),
    ProgramStatus.PUBLISHED: _l("published"),
    ProgramStatus.CLOSED: _l("registration closed"),
    ProgramStatus.ARCHIVED: _l("archived"),
}
ITEM_STATUS_LABELS = {
    ItemStatus.SCHEDULED: _l("on the agenda"),
    ItemStatus.CANCELLED: _l("cancelled"),
}

labels.register(
    "Program",
    actions={
        "program.created": _l("Program created"),
        "program.updated": _l("Program changed"),
        "program.copied": _l("Program copied"),
        "program.published": _l("Program published"),
        "program.changes_announced": _l("Agenda changes announced"),
        "program.closed": _l("Registration closed"),
        "program.archived": _l("Program archived"),
    },
    fields={
        "status": _l("Status"),
        "copied_from": _l("Copied from"),
        "items": _l("Items"),
        "messages": _l("Messages"),
    },
    values={"status": STATUS_LABELS},
)
labels.register(
    "AgendaItem",
    actions={
        "item.created": _l("Item added"),
        "item.updated": _l("Item changed"),
        "item.cancelled": _l("Item cancelled"),
        "item.removed": _l("Item removed"),
    },
    fields={
        "starts_at": _l("Starts"),
        "ends_at": _l("Ends"),
        "venue": _l("Place"),
        "status": _l("Status"),
        "revision": _l("Revision"),
    },
    values={"status": ITEM_STATUS_LABELS, "kind": KIND_LABELS},
)


def status_label(status) -> str:
    return str(STATUS_LABELS[ProgramStatus(status)])
