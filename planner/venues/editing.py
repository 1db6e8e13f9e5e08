"""Changing venues: the rules the staff pages (and the API) go through."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from planner.audit.log import record
from planner.core.database import db
from planner.core.records import apply_changes, changes_between
from planner.venues.models import TravelTime, Venue, VenueClosure


class VenueInUse(Exception):
    def __init__(self, items: list):
        super().__init__(items)
        self.items = items
        self.message = _l("This place is still used by agenda items; move them first.")


def create_venue(values: dict) -> Venue:
    venue = Venue(**values)
    db.session.add(venue)
    record("venue.created", venue, changes=changes_between({}, values))
    return venue


def update_venue(venue: Venue, values: dict, expected_version: int | None = None) -> dict:
    changes = apply_changes(venue, values, expected_version)
    if changes:
        record("venue.updated", venue, changes=changes)
    return changes


def items_using(venue: Venue, limit: int = 20) -> list:
    """The venue's latest agenda items, their programs loaded: a few, however long its history."""
    # The agenda lives in the area above; its class is reached through the relationship.
    item = Venue.agenda_items.property.mapper.class_
    return list(
        db.session.scalars(
            select(item)
            .where(item.venue_id == venue.id)
            .options(joinedload(item.program))
            .order_by(item.starts_at.desc())
            .limit(limit)
        )
    )


def delete_venue(venue: Venue) -> None:
    items = items_using(venue)
    if items:
        raise VenueInUse(items)
    record("venue.deleted", venue, changes={"name": [venue.name, None]})
    db.session.delete(venue)


def add_closure(venue: Venue, values: dict) -> VenueClosure:
    closure = VenueClosure(venue=venue, **values)
    db.session.add(closure)
    record("venue.closure_added", venue, changes=changes_between({}, values))
    return closure


def remove_closure(closure: VenueClosure) -> None:
    record("venue.closure_removed", closure.venue, changes={"reason": [closure.reason, None]})
    db.session.delete(closure)


def set_travel_time(venue: Venue, other: Venue, minutes: int | None) -> None:
    low, high = sorted((venue.id, other.id))
    row = db.session.get(TravelTime, (low, high))
    old = row.minutes if row else None
    if minutes is None:
        if row:
            db.session.delete(row)
    elif row:
        row.minutes = minutes
    else:
        db.session.add(TravelTime(from_venue_id=low, to_venue_id=high, minutes=minutes))
    if old != minutes:
        record("venue.travel_time", venue, changes={other.name: [old, minutes]})


def travel_times_from(venue: Venue) -> dict[int, int]:
    rows = db.session.scalars(
        select(TravelTime).where(
            (TravelTime.from_venue_id == venue.id) | (TravelTime.to_venue_id == venue.id)
        )
    )
    return {
        (row.to_venue_id if row.from_venue_id == venue.id else row.from_venue_id): row.minutes
        for row in rows
    }
