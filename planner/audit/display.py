"""The audit trail as staff read it: actions and fields in the page's language, values as
people know them (status words, local times with WIB/WITA, yes and no)."""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from planner.core import labels
from planner.core.i18n import format_moment, format_number, format_short_date

HIDDEN = "•••"  # personal values are kept out of the trail

# Who acted, when it was not a staff member (whose e-mail address the trail keeps).
ACTORS = {
    "delegation contact": _l("the delegation's contact person"),
    "delegation contact (API)": _l("the delegation's contact person (API)"),
    "requester": _l("the requester"),
    "protocol staff": _l("protocol staff"),
    "system": _l("the system"),
    "purge command": _l("the purge command"),
    "command line (match-regions)": _l("the region matching command"),
}


@dataclass
class Change:
    field: str
    old: str
    new: str


def show_value(record_type: str, attribute: str, value, timezone: str) -> str:
    if value is None:
        return ""
    word = labels.value_label(record_type, attribute, value)
    if word is not None:
        return word
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, str) and value != HIDDEN:
        moment = _instant(value)
        if moment is not None:
            return format_moment(moment, timezone)
        if len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                return format_short_date(date.fromisoformat(value))
            except ValueError:
                pass
    return str(value)


def _instant(text: str) -> datetime | None:
    if len(text) < 19 or text[10] != "T":
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def changes_of(event, timezone: str) -> list[Change]:
    """What an event changed, readable; `timezone` is the program's (or the host's)."""
    return [
        Change(
            labels.field_label(event.object_type, field),
            show_value(event.object_type, field, values[0], timezone),
            show_value(event.object_type, field, values[1], timezone),
        )
        for field, values in (event.changes or {}).items()
        if isinstance(values, list | tuple) and len(values) == 2
    ]


def actor_name(label: str) -> str:
    """The actor as staff read it: a staff member's e-mail address, or who else it was."""
    return str(ACTORS.get(label, label))


def helpers() -> dict:
    return {
        "audit_action": labels.action_label,
        "audit_actor": actor_name,
        "audit_changes": changes_of,
    }
