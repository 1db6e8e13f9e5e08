"""The words for venues' audit actions and fields."""

from flask_babel import lazy_gettext as _l

from planner.core import labels

labels.register(
    "Venue",
    actions={
        "venue.created": _l("Place added"),
        "venue.updated": _l("Place changed"),
        "venue.deleted": _l("Place deleted"),
        "venue.closure_added": _l("Closure added"),
        "venue.closure_removed": _l("Closure removed"),
        "venue.travel_time": _l("Travel time set"),
    },
    fields={
        "kind": _l("Closed"),
        "starts_on": _l("From"),
        "ends_on": _l("Until"),
        "week_of_month": _l("Week"),
        "weekday": _l("Weekday"),
        "reason": _l("Reason"),
    },
)
