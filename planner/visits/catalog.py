"""What the host offers, changed by staff: topics, program templates and their items, the
host's settings and logo, and the holidays of its calendar.

Each change is in the audit trail; saving a form unchanged changes and records nothing. The
staff pages (and any later API) go through these functions; they never commit.
"""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from planner.audit.log import record
from planner.core.database import db, utcnow
from planner.core.i18n import format_day, ngettext
from planner.core.records import StaleEdit, apply_changes, changes_between
from planner.venues.models import Venue
from planner.visits import host
from planner.visits.models import Holiday, HostProfile, ProgramTemplate, TemplateItem, Topic


class CatalogRefused(Exception):
    """A change the catalog's rules do not allow; `field` names the input it is about."""

    def __init__(self, message, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


def _venue_names(venues) -> list[str]:
    return sorted(venue.name for venue in venues)


# Topics


def create_topic(values: dict, venues: list[Venue]) -> Topic:
    """A new topic; `values` are TopicFields' attributes (its `venues` entry, public ids, is
    read from `venues` instead)."""
    values = {name: value for name, value in values.items() if name != "venues"}
    topic = Topic(**values)
    topic.venues = list(venues)
    db.session.add(topic)
    changes = changes_between({}, values)
    if venues:
        changes["venues"] = [None, _venue_names(venues)]
    record("topic.created", topic, changes=changes)
    return topic


def update_topic(
    topic: Topic, values: dict, venues: list[Venue], expected_version: int | None = None
) -> dict:
    """What changed, {field: [old, new]}; StaleEdit if the editor saw an older version."""
    values = {name: value for name, value in values.items() if name != "venues"}
    changes = apply_changes(topic, values, expected_version)
    if {venue.id for venue in topic.venues} != {venue.id for venue in venues}:
        changes["venues"] = [_venue_names(topic.venues), _venue_names(venues)]
        topic.venues = list(venues)
        # Only the link table changed: touch the row so that its version moves on and a
        # concurrent editor is told.
        topic.updated_at = utcnow()
    if changes:
        record("topic.updated", topic, changes=changes)
    return changes


# Program templates


def _last_item_day(template: ProgramTemplate) -> int:
    return max((item.day for item in template.items), default=0)


def create_template(values: dict) -> ProgramTemplate:
    template = ProgramTemplate(**values)
    db.session.add(template)
    record("template.created", template, changes=changes_between({}, values))
    return template


def update_template(
    template: ProgramTemplate, values: dict, expected_version: int | None = None
) -> dict:
    """What changed; a template cannot get fewer days than its items use."""
    if expected_version is not None and expected_version != template.version:
        raise StaleEdit()
    needed = _last_item_day(template)
    if values.get("days", needed) < needed:
        raise CatalogRefused(
            _l(
                "Items are planned up to day %(day)s: remove or move them before shortening "
                "the template.",
                day=needed,
            ),
            field="days",
        )
    changes = apply_changes(template, values, expected_version)
    if changes:
        record("template.updated", template, changes=changes)
    return changes


def item_day_problem(template: ProgramTemplate, day: int) -> str:
    """Why an item cannot be on this day of the template, or ""."""
    if 1 <= day <= template.days:
        return ""
    return ngettext(
        "This template has %(num)s day: choose day 1, or give the template more days first.",
        "This template has %(num)s days: choose a day from 1 to %(num)s.",
        template.days,
    )


def _item_summary(values: dict, venue: Venue | None, topic: Topic | None) -> dict:
    """An item as the audit trail keeps it: its place and topic by name."""
    summary = {
        name: value for name, value in values.items() if name not in ("venue_id", "topic_id")
    }
    summary["venue"] = venue.name if venue else None
    summary["topic"] = topic.title_id if topic else None
    return summary


def add_template_item(template: ProgramTemplate, values: dict) -> TemplateItem:
    """A new item; `values` are TemplateItemFields' attributes with the venue's and the topic's
    row ids (or None)."""
    problem = item_day_problem(template, values.get("day", 1))
    if problem:
        raise CatalogRefused(problem, field="day")
    if values["starts_at"] == values["ends_at"]:
        raise CatalogRefused(_l("The end must differ from the start."), field="ends_at")
    item = TemplateItem(**values)
    template.items.append(item)
    venue = db.session.get(Venue, item.venue_id) if item.venue_id else None
    topic = db.session.get(Topic, item.topic_id) if item.topic_id else None
    record(
        "template.item_added",
        template,
        changes=changes_between({}, _item_summary(values, venue, topic)),
    )
    return item


def remove_template_item(item: TemplateItem) -> None:
    template = item.template
    record(
        "template.item_removed",
        template,
        changes={
            "title": [item.title, None],
            "day": [item.day, None],
            "starts_at": [item.starts_at.isoformat(), None],
        },
    )
    template.items.remove(item)
    db.session.delete(item)


# The host's settings and logo


def update_host(profile: HostProfile, values: dict, expected_version: int | None = None) -> dict:
    changes = apply_changes(profile, values, expected_version)
    if changes:
        record("host.updated", profile, changes=changes)
    return changes


def set_logo(profile: HostProfile, content: bytes, content_type: str) -> bool:
    """Keep this logo (checked by the form: PNG or JPEG); False when it is the one kept."""
    if profile.logo == content and profile.logo_type == content_type:
        return False
    changes = {
        "logo_type": [profile.logo_type or None, content_type],
        "logo_size": [len(profile.logo) if profile.logo else None, len(content)],
    }
    profile.logo, profile.logo_type = content, content_type
    record("host.updated", profile, changes=changes)
    return True


def remove_logo(profile: HostProfile) -> bool:
    """False when there was no logo."""
    if profile.logo is None:
        return False
    changes = {
        "logo_type": [profile.logo_type or None, None],
        "logo_size": [len(profile.logo), None],
    }
    profile.logo, profile.logo_type = None, ""
    record("host.updated", profile, changes=changes)
    return True


# Holidays


def holiday_on(day: date) -> Holiday | None:
    return db.session.scalar(select(Holiday).where(Holiday.day == day))


def already_entered(holiday: Holiday):
    return _l(
        "%(day)s is already entered, as %(name)s. Remove it first to enter it again.",
        day=format_day(holiday.day),
        name=holiday.name,
    )


def add_holiday(day: date, name: str) -> Holiday:
    """A day the host receives no visits; refused when the day is already entered."""
    existing = holiday_on(day)
    if existing is not None:
        raise CatalogRefused(already_entered(existing), field="day")
    holiday = Holiday(day=day, name=name)
    db.session.add(holiday)
    record(
        "host.holiday_added",
        host.profile(),
        changes={"holiday_day": [None, day.isoformat()], "holiday_name": [None, name]},
    )
    return holiday


def remove_holiday(holiday: Holiday) -> None:
    record(
        "host.holiday_removed",
        host.profile(),
        changes={
            "holiday_day": [holiday.day.isoformat(), None],
            "holiday_name": [holiday.name, None],
        },
    )
    db.session.delete(holiday)


def holidays_from(first: date) -> list[Holiday]:
    return list(
        db.session.scalars(select(Holiday).where(Holiday.day >= first).order_by(Holiday.day))
    )
