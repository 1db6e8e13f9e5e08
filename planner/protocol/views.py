"""Printable sheets and the order of precedence, for protocol staff."""

from planner.staff.access import staff_blueprint

bp = staff_blueprint("protocol", __name__)
