"""What staff may edit of a venue (one declaration)."""

from planner.core.records import Record, WallClock


class VenueFields(Record):
    name: str
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    seats: int | None = None
    opens_at: WallClock | None = None
    closes_at: WallClock | None = None
    shared_use: bool = False
    notes: str = ""
