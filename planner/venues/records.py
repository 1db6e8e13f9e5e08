"""What staff may edit of a venue (one declaration)."""

from datetime import time

from planner.core.records import Record


class VenueFields(Record):
    name: str
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    seats: int | None = None
    opens_at: time | None = None
    closes_at: time | None = None
    notes: str = ""
